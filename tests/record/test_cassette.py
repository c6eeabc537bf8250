"""What a recording writes: redacted, versioned, one plain YAML file per job."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
import yaml

from mock_server.record.cassette import VERSION, Cassette, CassetteError
from mock_server.record.redact import Redactor, unsigned
from tests.record.conftest import Recorded
from tests.record.session import TOKEN


def _all_text(folder: Path) -> str:
    return "\n".join(
        path.read_bytes().decode("utf-8", "replace") for path in folder.rglob("*") if path.is_file()
    )


def test_the_cassette_holds_no_token_authorization_or_webhook_secret(recorded: Recorded) -> None:
    secret = httpx.get(
        recorded.upstream.api_url + "/webhooks/default/secret",
        headers={"Authorization": f"Bearer {TOKEN}"},
    ).json()["key"]
    text = _all_text(recorded.folder)
    assert secret.startswith("whsec_") and secret not in text
    assert TOKEN not in text and TOKEN[:12] not in text
    assert "bearer" not in text.lower() and "authorization" not in text.lower()
    # The signed webhook URL is kept, without its signature.
    assert "X-Amz-Signature" not in text and "deadbeefcafe" not in text
    assert "http://127.0.0.1:9/hook" in text


def test_each_job_is_one_yaml_entry_with_its_states_files_and_schema(recorded: Recorded) -> None:
    header = yaml.safe_load((recorded.folder / "cassette.yaml").read_text())
    assert header["format"] == "replicate-mock-cassette" and header["version"] == VERSION
    entries = dict(Cassette.open(recorded.folder).entries())
    kinds = sorted({(e["kind"], e["model"], e["status"]) for e in entries.values()})
    assert ("prediction", "acme/broken", "failed") in kinds
    assert ("prediction", "mock/slow", "canceled") in kinds
    assert ("training", "mock/trainer", "succeeded") in kinds
    sdxl = next(e for e in entries.values() if e["model"] == "stability-ai/sdxl")
    assert len(sdxl["files"]) == 2
    for meta in sdxl["files"].values():
        data = (recorded.folder / "files" / meta["sha256"]).read_bytes()
        assert data.startswith(b"\x89PNG") and len(data) == meta["size"]
    llm = next(e for e in entries.values() if e["model"] == "meta/meta-llama-3-8b-instruct")
    assert [e["data"] for e in llm["events"] if e["event"] == "output"] == llm["output"]
    assert [s["status"] for s in llm["states"]] == ["starting", "processing", "succeeded"]
    models = Cassette.open(recorded.folder).models()
    story = models["acme/story"]
    assert story["versions"][story["latest_version_id"]]["openapi_schema"]["components"]


def test_files_over_the_size_cap_are_not_stored(tmp_path: Path, recorded: Recorded) -> None:
    from mock_server.record.serving import RecordingProxy

    with RecordingProxy(recorded.upstream.url, tmp_path, max_file_size=10) as proxy:
        httpx.post(
            proxy.url + "/v1/models/stability-ai/sdxl/predictions",
            json={"input": {"prompt": "tiny"}},
            headers={"Authorization": f"Bearer {TOKEN}", "Prefer": "wait"},
            timeout=30,
        ).raise_for_status()
    ((_, entry),) = Cassette.open(tmp_path).entries()
    (meta,) = entry["files"].values()
    assert meta == {"skipped": "larger than 10 bytes"}
    assert not (tmp_path / "files").exists()


def test_redactor_rules() -> None:
    redactor = Redactor()
    redactor.add_authorization("Bearer my-very-private-token")
    assert redactor.value({"a": ["x my-very-private-token y"]}) == {"a": ["x <redacted> y"]}
    assert redactor.value({"Authorization": "anything"}) == {"Authorization": "<redacted>"}
    assert redactor.text("use r8_AbCdEf0123456789 now") == "use <redacted> now"
    assert unsigned("https://x.test/a.png?Signature=1&Expires=2") == "https://x.test/a.png"
    assert unsigned("https://x.test/a.png?size=2") == "https://x.test/a.png?size=2"


def test_a_folder_of_another_format_or_version_is_refused(tmp_path: Path) -> None:
    with pytest.raises(CassetteError, match="not a cassette"):
        Cassette.open(tmp_path)
    (tmp_path / "cassette.yaml").write_text("format: replicate-mock-cassette\nversion: 99\n")
    with pytest.raises(CassetteError, match="version 99"):
        Cassette.open(tmp_path)
