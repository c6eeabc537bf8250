"""`replicate-kit gen-types` end to end: schemas from the mock or files, --check, clear errors."""

from __future__ import annotations

import json
from pathlib import Path

from .conftest import FIXTURES, ROOT, CliFn

SDXL = "stability-ai/sdxl"
SDXL_VERSION = "39ed52f2a78e934b3ba6e2a89f5b1c712de7dfea535525255b1aa35c5565e08b"


def test_generates_from_the_mock_and_check_passes_until_a_file_drifts(
    cli: CliFn, tmp_path: Path
) -> None:
    out = tmp_path / "models"
    run = cli(
        "gen-types", "meta/meta-llama-3-8b-instruct", f"{SDXL}:{SDXL_VERSION}", "--out", str(out)
    )
    assert run.exit_code == 0, run.stderr
    assert sorted(p.name for p in out.iterdir()) == [
        "__init__.py",
        "client.py",
        "meta__meta_llama_3_8b_instruct.py",
        "stability_ai__sdxl.py",
    ]
    assert f"version: {SDXL_VERSION}" in (out / "stability_ai__sdxl.py").read_text()
    args = ("gen-types", "meta/meta-llama-3-8b-instruct", SDXL, "--out", str(out), "--check")
    assert cli(*args).exit_code == 0
    sdxl = out / "stability_ai__sdxl.py"
    sdxl.write_text(sdxl.read_text().replace("Input prompt.", "Edited by hand."))
    drifted = cli(*args)
    assert drifted.exit_code == 1
    assert "changed" in drifted.error_line and "stability_ai__sdxl.py" in drifted.error_line
    assert "Edited by hand." in sdxl.read_text()  # --check writes nothing


def test_a_model_no_longer_asked_for_is_stale_then_removed(cli: CliFn, tmp_path: Path) -> None:
    out = tmp_path / "ts"
    assert (
        cli("gen-types", "replicate/hello-world", SDXL, "--lang", "ts", "--out", str(out)).exit_code
        == 0
    )
    check = cli("gen-types", SDXL, "--lang", "ts", "--out", str(out), "--check")
    assert check.exit_code == 1 and "stale" in check.error_line
    assert cli("gen-types", SDXL, "--lang", "ts", "--out", str(out)).exit_code == 0
    assert not (out / "replicate__hello_world.ts").exists()


def test_local_json_files_need_no_api(cli: CliFn, tmp_path: Path) -> None:
    out = tmp_path / "py"
    run = cli(
        "gen-types", *map(str, FIXTURES), "--out", str(out), env={"REPLICATE_API_TOKEN": None}
    )
    assert run.exit_code == 0, run.stderr
    assert (out / "acme__transcribe.py").is_file()


def test_a_bare_cog_document_needs_a_name_and_version(cli: CliFn, tmp_path: Path) -> None:
    document = json.loads(FIXTURES[0].read_text())["latest_version"]["openapi_schema"]
    path = tmp_path / "openapi.json"
    path.write_text(json.dumps(document))
    unnamed = cli("gen-types", str(path), "--out", str(tmp_path / "out"))
    assert unnamed.exit_code == 2 and "names no model" in unnamed.error_line
    named = cli("gen-types", f"me/thing:{'0' * 64}={path}", "--out", str(tmp_path / "out"))
    assert named.exit_code == 0, named.stderr


def test_unknown_model_and_version_are_one_line_errors(cli: CliFn, tmp_path: Path) -> None:
    out = str(tmp_path / "out")
    unknown = cli("gen-types", "nobody/nothing", "--out", out)
    assert unknown.exit_code == 3
    assert unknown.error_line == "Error: unknown model nobody/nothing (HTTP 404)"
    version = cli("gen-types", f"{SDXL}:{'0' * 64}", "--out", out)
    assert version.exit_code == 3 and f"has no version {'0' * 64}" in version.error_line
    assert not Path(out).exists()


def test_a_version_without_a_schema_is_a_usage_error(cli: CliFn, tmp_path: Path) -> None:
    data = json.loads(FIXTURES[0].read_text())
    data["latest_version"]["openapi_schema"] = None
    path = tmp_path / "model.json"
    path.write_text(json.dumps(data))
    run = cli("gen-types", str(path), "--out", str(tmp_path / "out"))
    assert run.exit_code == 2
    assert (
        run.error_line
        == f"Error: acme/chat-llm:{data['latest_version']['id']} has no OpenAPI schema"
    )


def test_bad_arguments(cli: CliFn, tmp_path: Path) -> None:
    out = str(tmp_path / "out")
    assert (
        "--lang must be py or ts" in cli("gen-types", SDXL, "--lang", "go", "--out", out).error_line
    )
    assert "--out DIR is required" in cli("gen-types", SDXL).error_line
    assert "name at least one model" in cli("gen-types", "--out", out).error_line
    missing = cli("gen-types", "missing.json", "--out", out)
    assert missing.exit_code == 2 and "missing.json: no such file" in missing.error_line
    bad_ref = cli("gen-types", "not a ref", "--out", out)
    assert bad_ref.exit_code == 2 and "is not owner/name[:version]" in bad_ref.error_line


def test_models_toml_must_pin_versions(cli: CliFn, tmp_path: Path) -> None:
    toml = tmp_path / "models.toml"
    toml.write_text('[output]\npy = "typed"\n\n[[models]]\nref = "stability-ai/sdxl"\n')
    run = cli("gen-types", "--models", str(toml))
    assert run.exit_code == 2 and "is not pinned" in run.error_line
    toml.write_text(f'[output]\npy = "typed"\n\n[[models]]\nref = "{SDXL}:{SDXL_VERSION}"\n')
    assert cli("gen-types", "--models", str(toml)).exit_code == 0
    assert (tmp_path / "typed" / "stability_ai__sdxl.py").is_file()


def test_the_committed_models_toml_types_the_mock_catalogue(cli: CliFn, tmp_path: Path) -> None:
    out = tmp_path / "typed"
    run = cli("gen-types", "--models", str(ROOT / "models.toml"), "--out", str(out))
    assert run.exit_code == 0, run.stderr
    assert (out / "meta__meta_llama_3_8b_instruct.py").is_file()
    assert (out / "stability_ai__sdxl.py").is_file()
