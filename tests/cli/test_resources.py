"""predictions, models, trainings, deployments, files, hardware, collections, whoami."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from mock_server import MockServer
from replicate_kit.cli import app
from tests.cli.conftest import CliFn

HELLO = "replicate/hello-world"


def test_whoami(cli: CliFn, replicate_mock: Any) -> None:
    result = cli("whoami")
    assert result.exit_code == 0, result.stderr
    assert result.json()["username"] == replicate_mock.username


# -- predictions ----------------------------------------------------------------------------


def test_predictions_list_get(cli: CliFn) -> None:
    ids = [cli("run", HELLO, f"text={n}").json()["id"] for n in range(3)]
    listed = cli("predictions", "list", "--limit", "2")
    assert listed.exit_code == 0, listed.stderr
    assert [p["id"] for p in listed.json()] == ids[::-1][:2]
    got = cli("predictions", "get", ids[0]).json()
    assert got["output"] == "hello 0"
    missing = cli("predictions", "get", "nosuchprediction")
    assert missing.exit_code == 3
    assert missing.error_line.startswith("Error: HTTP 404")


@pytest.fixture(scope="module")
def small_pages() -> Iterator[MockServer]:
    server = MockServer(seed=0, clock="auto", page_size=2).start()
    try:
        yield server
    finally:
        server.stop()


def test_list_pages_load_lazily(small_pages: MockServer, tmp_path: Path, monkeypatch: Any) -> None:
    monkeypatch.chdir(tmp_path)
    env = {"REPLICATE_API_TOKEN": "r8_lazy", "REPLICATE_BASE_URL": small_pages.url}
    runner = CliRunner()
    for n in range(5):
        assert runner.invoke(app, ["run", HELLO, f"text={n}"], env=env).exit_code == 0
    result = runner.invoke(app, ["predictions", "list", "-n", "3"], env=env)
    assert result.exit_code == 0, result.stderr
    assert len(json.loads(result.stdout)) == 3
    pages = small_pages.control.journal(method="GET", path="/v1/predictions")
    assert len(pages) == 2  # 3 items from pages of 2: the third page is never fetched


def test_predictions_wait_failed_exits_1(cli: CliFn) -> None:
    created = cli("run", "mock/fail", "--no-wait").json()
    result = cli("predictions", "wait", created["id"])
    assert result.exit_code == 1
    assert result.json()["status"] == "failed"
    assert result.error_line.endswith("failed: Something went wrong")


# -- models ---------------------------------------------------------------------------------


def test_models_list_get_versions_search(cli: CliFn) -> None:
    listed = cli("models", "list", "--limit", "3").json()
    assert len(listed) == 3 and all("owner" in m for m in listed)
    model = cli("models", "get", HELLO).json()
    assert model["owner"] == "replicate" and model["latest_version"]["id"]
    versions = cli("models", "versions", HELLO).json()
    assert versions[0]["id"] == model["latest_version"]["id"]
    one = cli("models", "versions", HELLO, versions[0]["id"]).json()
    assert "Input" in one["openapi_schema"]["components"]["schemas"]
    found = cli("models", "search", "llama").json()
    assert any(m["owner"] == "meta" for m in found)
    missing = cli("models", "get", "nobody/nothing")
    assert missing.exit_code == 3
    bad = cli("models", "get", "justonename")
    assert bad.exit_code == 2
    assert bad.error_line == "Error: invalid model name 'justonename': expected owner/name"


def test_models_create(cli: CliFn, replicate_mock: Any) -> None:
    name = f"{replicate_mock.username}/cli-made"
    result = cli("models", "create", name, "--hardware", "cpu", "--description", "made by the CLI")
    assert result.exit_code == 0, result.stderr
    assert result.json()["name"] == "cli-made"
    assert cli("models", "get", name).json()["description"] == "made by the CLI"


# -- trainings ------------------------------------------------------------------------------


def test_trainings_lifecycle(cli: CliFn, replicate_mock: Any) -> None:
    dest = f"{replicate_mock.username}/tuned"
    assert cli("models", "create", dest, "--hardware", "cpu").exit_code == 0
    trainer = cli("models", "get", "mock/trainer").json()["latest_version"]["id"]
    ref = f"mock/trainer:{trainer}"
    started = cli("trainings", "create", ref, "-d", dest, "steps=3")
    assert started.exit_code == 0, started.stderr
    training = started.json()
    assert training["input"] == {"steps": 3}
    waited = cli("trainings", "wait", training["id"])
    assert waited.exit_code == 0, waited.stderr
    assert waited.json()["status"] == "succeeded"
    assert cli("trainings", "get", training["id"]).json()["id"] == training["id"]
    assert training["id"] in [t["id"] for t in cli("trainings", "list").json()]
    bad = cli("trainings", "create", ref, "-d", dest, "steps=many")
    assert bad.exit_code == 2
    assert bad.error_line == "Error: input 'steps' must be an integer, got 'many'"
    slow = cli("trainings", "create", ref, "-d", dest, "steps=1000").json()
    canceled = cli("trainings", "cancel", slow["id"])
    assert canceled.exit_code == 0, canceled.stderr
    assert canceled.json()["status"] == "canceled"
    after = cli("trainings", "wait", slow["id"])
    assert after.exit_code == 1  # finished, but not successfully
    assert after.error_line == f"Error: training {slow['id']} canceled"


def test_trainings_upload_file_inputs(cli: CliFn, replicate_mock: Any, tmp_path: Path) -> None:
    dest = f"{replicate_mock.username}/tuned-from-file"
    assert cli("models", "create", dest, "--hardware", "cpu").exit_code == 0
    trainer = cli("models", "get", "mock/trainer").json()["latest_version"]["id"]
    archive = tmp_path / "data.zip"
    archive.write_bytes(b"PK\x03\x04")
    started = cli(
        "trainings", "create", f"mock/trainer:{trainer}", "-d", dest, f"train_data=@{archive}"
    )
    assert started.exit_code == 0, started.stderr
    assert started.json()["input"]["train_data"].startswith("http")


def test_trainings_need_a_version(cli: CliFn) -> None:
    result = cli("trainings", "create", "mock/trainer", "-d", "me/x")
    assert result.exit_code == 2
    assert result.error_line == "Error: trainings need owner/name:version"


# -- deployments ----------------------------------------------------------------------------


def test_deployments_lifecycle(cli: CliFn, replicate_mock: Any) -> None:
    version = cli("models", "get", HELLO).json()["latest_version"]["id"]
    created = cli(
        "deployments", "create", "cli-dep", "--model", f"{HELLO}:{version}", "--hardware", "cpu"
    )
    assert created.exit_code == 0, created.stderr
    owner = created.json()["owner"]
    name = f"{owner}/cli-dep"
    assert cli("deployments", "get", name).json()["name"] == "cli-dep"
    assert "cli-dep" in [d["name"] for d in cli("deployments", "list").json()]
    ran = cli("deployments", "run", name, "text=dep")
    assert ran.exit_code == 0, ran.stderr
    assert ran.json()["output"] == "hello dep"
    updated = cli("deployments", "update", name, "--max-instances", "3")
    assert updated.exit_code == 0, updated.stderr
    release = updated.json()["current_release"]
    assert release["configuration"]["max_instances"] == 3
    refused = cli("deployments", "delete", name)
    assert refused.exit_code == 2
    assert "refusing without --yes" in refused.error_line
    busy = cli("deployments", "delete", name, "--yes")  # the API keeps recently used ones
    assert busy.exit_code == 3
    assert busy.error_line.startswith("Error: HTTP 422")
    spare = cli(
        "deployments", "create", "cli-spare", "--model", f"{HELLO}:{version}", "--hardware", "cpu"
    )
    assert spare.exit_code == 0, spare.stderr
    deleted = cli("deployments", "delete", f"{owner}/cli-spare", "--yes")
    assert deleted.exit_code == 0, deleted.stderr
    assert cli("deployments", "get", f"{owner}/cli-spare").exit_code == 3


def test_deployments_usage_errors(cli: CliFn) -> None:
    no_fields = cli("deployments", "update", "me/dep")
    assert no_fields.exit_code == 2
    no_version = cli("deployments", "create", "d", "--model", HELLO, "--hardware", "cpu")
    assert no_version.exit_code == 2
    unknown = cli("deployments", "run", "nobody/nothing", "x=1")
    assert unknown.exit_code == 3


# -- files ----------------------------------------------------------------------------------


def test_files_lifecycle(cli: CliFn, tmp_path: Path) -> None:
    source = tmp_path / "data.bin"
    source.write_bytes(b"\x00\x01payload")
    uploaded = cli("files", "upload", str(source), "--metadata", '{"purpose": "test"}')
    assert uploaded.exit_code == 0, uploaded.stderr
    file = uploaded.json()
    assert file["size"] == 9 and file["metadata"] == {"purpose": "test"}
    assert cli("files", "get", file["id"]).json()["id"] == file["id"]
    assert file["id"] in [f["id"] for f in cli("files", "list").json()]
    download = cli("files", "download", file["id"], "-o", str(tmp_path / "copy.bin"))
    assert download.exit_code == 0, download.stderr
    assert download.json()["size"] == 9
    assert (tmp_path / "copy.bin").read_bytes() == b"\x00\x01payload"
    link = cli("files", "get", file["id"]).json()["urls"]["download"]
    to_stdout = cli("files", "download", link, "-o", "-")
    assert to_stdout.exit_code == 0, to_stdout.stderr
    assert to_stdout.stdout_bytes == b"\x00\x01payload"
    assert cli("files", "delete", file["id"], "-y").exit_code == 0
    assert cli("files", "get", file["id"]).exit_code == 3


def test_files_usage_errors(cli: CliFn, tmp_path: Path) -> None:
    assert cli("files", "upload", "missing.bin").exit_code == 2
    (tmp_path / "a.txt").write_text("a")
    bad_meta = cli("files", "upload", "a.txt", "--metadata", "[1]")
    assert bad_meta.exit_code == 2
    assert bad_meta.error_line == "Error: --metadata must be a JSON object, got '[1]'"


def test_signed_download_url_parsing() -> None:
    from replicate_kit.cli.cmd_files import signed_params

    url = "https://api.replicate.com/v1/files/abc/download?owner=me&expiry=5&signature=s%3D"
    assert signed_params(url) == ("abc", {"owner": "me", "expiry": "5", "signature": "s="})
    assert signed_params("https://api.replicate.com/v1/files/abc") is None


# -- hardware, collections ------------------------------------------------------------------


def test_hardware_list(cli: CliFn) -> None:
    skus = [h["sku"] for h in cli("hardware", "list").json()]
    assert "cpu" in skus


def test_collections(cli: CliFn) -> None:
    listed = cli("collections", "list").json()
    assert listed, "the mock has collections"
    one = cli("collections", "get", listed[0]["slug"]).json()
    assert one["slug"] == listed[0]["slug"] and isinstance(one["models"], list)
    assert cli("collections", "get", "no-such-collection").exit_code == 3
