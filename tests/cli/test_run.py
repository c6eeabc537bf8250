"""``run``/``predict``/``stream`` against the mock: inputs, outputs, exit codes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.cli.conftest import CliFn

HELLO = "replicate/hello-world"
LLM = "meta/meta-llama-3-8b-instruct"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def test_run_prints_the_prediction_as_json(cli: CliFn) -> None:
    result = cli("run", HELLO, "text=Alice")
    assert result.exit_code == 0, result.stderr
    data = result.json()
    assert data["status"] == "succeeded"
    assert data["output"] == "hello Alice"
    assert data["model"] == HELLO


def test_predict_is_run_and_inputs_mix_positional_and_options(cli: CliFn) -> None:
    result = cli("predict", "mock/echo", "-i", "text=from option")
    assert result.exit_code == 0, result.stderr
    assert result.json()["output"] == "from option"


def test_values_are_typed_by_the_schema_else_json_ish(cli: CliFn) -> None:
    # `text` is a string field, so "12" stays a string; `value` has no type: JSON-ish.
    as_text = cli("run", "mock/echo", "text=12").json()
    assert as_text["input"] == {"text": "12"}
    assert as_text["output"] == "12"
    as_value = cli("run", "mock/echo", 'value={"a": [1, 2.5, true, null]}').json()
    assert as_value["output"] == {"a": [1, 2.5, True, None]}
    number = cli("run", "mock/echo", "value=42").json()
    assert number["output"] == 42


def test_numbers_typed_by_schema(cli: CliFn) -> None:
    data = cli("run", "mock/slow", "duration=2").json()
    assert data["input"] == {"duration": 2}
    assert data["status"] == "succeeded"


def test_version_reference(cli: CliFn) -> None:
    version = cli("models", "get", HELLO).json()["latest_version"]["id"]
    result = cli("run", f"{HELLO}:{version}", "text=v")
    assert result.exit_code == 0, result.stderr
    assert result.json()["version"] == version
    bare = cli("run", version, "text=bare")
    assert bare.exit_code == 0, bare.stderr
    assert bare.json()["output"] == "hello bare"


def test_stdin_value(cli: CliFn) -> None:
    result = cli("run", "mock/echo", "text=@-", input="piped text\n")
    assert result.exit_code == 0, result.stderr
    assert result.json()["output"] == "piped text"


def test_double_at_is_a_literal(cli: CliFn) -> None:
    assert cli("run", "mock/echo", "text=@@home").json()["output"] == "@home"


def test_file_input_inlined_as_data_uri(cli: CliFn, tmp_path: Path) -> None:
    (tmp_path / "note.txt").write_text("hi file")
    result = cli("run", "mock/echo", "value=@note.txt", "--file-encoding", "base64")
    assert result.exit_code == 0, result.stderr
    assert result.json()["output"] == "data:text/plain;base64,aGkgZmlsZQ=="


def test_file_input_uploaded(cli: CliFn, tmp_path: Path) -> None:
    (tmp_path / "note.txt").write_text("hi file")
    result = cli("run", "mock/echo", "value=@note.txt")
    assert result.exit_code == 0, result.stderr
    url = result.json()["output"]
    assert isinstance(url, str) and "/files/" in url


def test_no_wait_prints_the_new_prediction_then_wait_finishes_it(cli: CliFn) -> None:
    created = cli("run", HELLO, "text=later", "--no-wait")
    assert created.exit_code == 0, created.stderr
    data = created.json()
    assert data["status"] in ("starting", "processing")
    waited = cli("predictions", "wait", data["id"])
    assert waited.exit_code == 0, waited.stderr
    assert waited.json()["output"] == "hello later"


def test_stream_prints_json_lines(cli: CliFn) -> None:
    result = cli("stream", LLM, "-i", "prompt=hello there", "-i", "max_tokens=5")
    assert result.exit_code == 0, result.stderr
    events = result.json_lines()
    assert events[-1]["event"] == "done"
    text = "".join(e["data"] for e in events if e["event"] == "output")
    assert text.strip()
    assert {e["event"] for e in events} <= {"output", "logs", "done"}
    same = cli("run", LLM, "prompt=hello there", "max_tokens=5", "--stream").json_lines()
    assert "".join(e["data"] for e in same if e["event"] == "output") == text


def test_file_outputs_saved_with_output_dir(cli: CliFn, tmp_path: Path) -> None:
    out = tmp_path / "images"
    result = cli("run", "stability-ai/sdxl", "prompt=a cat", "num_outputs=2", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    data = result.json()
    paths = [Path(p) for p in data["local_files"]]
    assert len(paths) == 2 and len(set(paths)) == 2
    for path in paths:
        assert path.parent == out
        assert path.read_bytes().startswith(PNG_MAGIC)


def test_failed_prediction_exits_1_with_one_line(cli: CliFn) -> None:
    result = cli("run", "mock/fail", "message=boom")
    assert result.exit_code == 1
    assert result.json()["status"] == "failed"
    line = result.error_line
    assert line.startswith("Error: prediction ") and line.endswith("failed: boom")


def test_canceled_prediction_exits_1(cli: CliFn) -> None:
    created = cli("run", "mock/slow", "duration=600", "--no-wait").json()
    canceled = cli("predictions", "cancel", created["id"])
    assert canceled.exit_code == 0, canceled.stderr
    assert canceled.json()["status"] == "canceled"
    waited = cli("predictions", "wait", created["id"])
    assert waited.exit_code == 1
    assert "canceled" in waited.error_line


def test_deadline_exceeded_exits_1(cli: CliFn) -> None:
    result = cli("run", "mock/slow", "duration=600", "--cancel-after", "5s")
    assert result.exit_code == 1, result.stdout
    assert result.json()["status"] in ("canceled", "aborted")


def test_unknown_model_exits_3(cli: CliFn) -> None:
    result = cli("run", "nobody/nothing", "x=1")
    assert result.exit_code == 3
    assert result.error_line == "Error: HTTP 404 Not found: The model nobody/nothing does not exist"


def test_unknown_version_exits_3(cli: CliFn) -> None:
    result = cli("run", f"{HELLO}:{'0' * 64}", "text=x")
    assert result.exit_code == 3
    assert result.error_line.startswith("Error: HTTP 404")


def test_invalid_reference_exits_2(cli: CliFn) -> None:
    result = cli("run", "not a model", "x=1")
    assert result.exit_code == 2
    assert "invalid model reference 'not a model'" in result.error_line


def test_input_the_schema_rejects_locally_exits_2(cli: CliFn) -> None:
    not_number = cli("run", "mock/slow", "duration=soon")
    assert not_number.exit_code == 2
    assert not_number.error_line == "Error: input 'duration' must be a number, got 'soon'"
    not_choice = cli("run", "stability-ai/sdxl", "scheduler=FAST")
    assert not_choice.exit_code == 2
    assert "input 'scheduler' must be one of: DDIM" in not_choice.error_line


def test_input_failing_server_validation_exits_2(cli: CliFn, replicate_mock: Any) -> None:
    # Out of range is found by the API, a wrong choice by the CLI: both do not fit the schema.
    result = cli("run", "stability-ai/sdxl", "num_outputs=9")
    assert result.exit_code == 2
    line = result.error_line
    assert line.startswith("Error: HTTP 422")
    assert "num_outputs" in line


def test_malformed_key_value_exits_2_before_any_request(cli: CliFn, replicate_mock: Any) -> None:
    result = cli("run", HELLO, "text")
    assert result.exit_code == 2
    assert result.error_line == (
        "Error: malformed input 'text': expected key=value (e.g. prompt=hello)"
    )
    assert cli("run", HELLO, "=x").exit_code == 2
    seen = replicate_mock.control.journal(path="/v1/*")
    mine = [e for e in seen if e.get("account") == replicate_mock.username]
    assert mine == []


def test_missing_file_and_double_stdin_are_usage_errors(cli: CliFn) -> None:
    missing = cli("run", "mock/echo", "value=@nope.bin")
    assert missing.exit_code == 2
    assert missing.error_line == "Error: input 'value': no such file 'nope.bin'"
    twice = cli("run", "mock/echo", "text=@-", "value=@-", input="x")
    assert twice.exit_code == 2
    assert "already used by 'text'" in twice.error_line


def test_stream_of_a_failing_model_stays_json_lines_and_exits_1(cli: CliFn) -> None:
    result = cli("stream", "mock/fail", "message=stream broke")
    assert result.exit_code == 1
    events = result.json_lines()  # every stdout line is JSON: no document mixed in
    assert events[-1] == {"event": "error", "id": None, "data": "stream broke"}
    assert [e["data"] for e in events if e["event"] == "logs"][-1] == "RuntimeError: stream broke"
    assert result.error_line.endswith("failed: stream broke")
