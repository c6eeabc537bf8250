"""The CLI's pure parts: input typing, schema reading, file names, error lines, live view."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from rich.console import Console

from replicate_kit.cli.errors import (
    API,
    FAILED,
    USAGE,
    UsageError,
    exit_code_for,
    message_for,
    scrub,
)
from replicate_kit.cli.inputs import Assignment, build_input, coerce, jsonish, parse_assignment
from replicate_kit.cli.live import LiveView
from replicate_kit.cli.outputs import file_urls, local_names
from replicate_kit.cli.predicting import still_running
from replicate_kit.cli.schema import ModelSchema, describe_type
from replicate_kit.exceptions import (
    APIConnectionError,
    UnprocessableEntityError,
    WebhookValidationError,
)

DOC = {
    "components": {
        "schemas": {
            "Input": {
                "type": "object",
                "required": ["image"],
                "properties": {
                    "image": {"type": "string", "format": "uri", "x-order": 0},
                    "steps": {"type": "integer", "x-order": 2},
                    "scale": {"type": "number", "x-order": 3},
                    "safe": {"type": "boolean", "x-order": 4},
                    "mode": {"allOf": [{"$ref": "#/components/schemas/mode"}], "x-order": 1},
                    "seed": {"anyOf": [{"type": "integer"}, {"type": "null"}]},
                    "images": {"type": "array", "items": {"type": "string", "format": "uri"}},
                    "tags": {"type": "array", "items": {"type": "string"}},
                    "extra": {"type": "object"},
                },
            },
            "mode": {"type": "string", "enum": ["fast", "slow"], "title": "mode"},
            "Output": {"type": "array", "items": {"type": "string", "format": "uri"}},
        }
    }
}
SCHEMA = ModelSchema.from_openapi(DOC)


def _build(*pairs: str, stdin: bytes = b"") -> dict[str, object]:
    return build_input([parse_assignment(p) for p in pairs], SCHEMA, lambda: stdin)


def test_schema_reading() -> None:
    assert SCHEMA is not None
    assert SCHEMA.required == ("image",)
    assert SCHEMA.field("mode") == {
        "type": "string",
        "enum": ["fast", "slow"],
        "title": "mode",
        "x-order": 1,
    }
    assert [k for k, _ in SCHEMA.ordered_inputs()][:3] == ["image", "mode", "steps"]
    assert describe_type(SCHEMA.inputs["images"]) == "list of file"
    assert describe_type(SCHEMA.inputs["mode"]) == "one of: fast, slow"
    assert describe_type(SCHEMA.inputs["seed"]) == "integer"
    assert ModelSchema.from_openapi(None) is None
    assert ModelSchema.from_openapi({"components": {"schemas": {}}}) is None


def test_parse_assignment() -> None:
    assert parse_assignment("prompt=a=b") == Assignment("prompt", "a=b")
    assert parse_assignment("empty=") == Assignment("empty", "")
    for bad in ("novalue", "=x", "two words=x", "1st=x"):
        with pytest.raises(UsageError, match="malformed input"):
            parse_assignment(bad)


def test_typed_by_schema() -> None:
    got = _build(
        "steps=7", "scale=2", "safe=no", "mode=fast", "seed=3", 'extra={"k": 1}', "tags=a,b"
    )
    assert got == {
        "steps": 7,
        "scale": 2,
        "safe": False,
        "mode": "fast",
        "seed": 3,
        "extra": {"k": 1},
        "tags": ["a,b"],
    }
    assert _build("scale=0.5")["scale"] == 0.5
    assert _build('tags=["x", "y"]', "tags=z")["tags"] == ["x", "y", "z"]


@pytest.mark.parametrize(
    ("pair", "message"),
    [
        ("steps=1.5", "'steps' must be an integer"),
        ("scale=big", "'scale' must be a number"),
        ("safe=maybe", "'safe' must be true or false"),
        ("mode=medium", "'mode' must be one of: fast, slow"),
        ("extra=[1]", "'extra' must be a JSON object"),
        ("extra={", "'extra' must be JSON"),
    ],
)
def test_typing_errors(pair: str, message: str) -> None:
    with pytest.raises(UsageError, match=message):
        _build(pair)


def test_repeated_scalar_is_an_error() -> None:
    with pytest.raises(UsageError, match="'steps' is given more than once"):
        _build("steps=1", "steps=2")


def test_files_and_stdin(tmp_path: Path) -> None:
    photo = tmp_path / "p.png"
    photo.write_bytes(b"png")
    got = _build(f"image=@{photo}", f"images=@{photo}", f"images=@{photo}")
    assert got["image"] == photo and got["images"] == [photo, photo]
    from_stdin = _build("image=@-", stdin=b"raw bytes")["image"]
    assert isinstance(from_stdin, io.BytesIO) and from_stdin.read() == b"raw bytes"
    assert _build("steps=@-", stdin=b"12\n")["steps"] == 12  # text fields read stdin as text


def test_jsonish_without_schema() -> None:
    assert [jsonish(v) for v in ("1", "-2.5", "1e3", "true", "null", "[1]", '"q"')] == [
        1,
        -2.5,
        1000.0,
        True,
        None,
        [1],
        "q",
    ]
    assert jsonish("hello") == "hello"
    assert jsonish("{not json") == "{not json"
    assert coerce("x", "05", None) == 5
    assert build_input([parse_assignment("x=@@at")], None, lambda: b"") == {"x": "@at"}


def test_file_urls_and_local_names() -> None:
    out = DOC["components"]["schemas"]["Output"]
    urls = file_urls(["http://127.0.0.1/d/a.png", "data:image/png;base64,AAAA"], out)
    assert urls == ["http://127.0.0.1/d/a.png", "data:image/png;base64,AAAA"]
    assert file_urls("just text", {"type": "string"}) == []
    assert file_urls({"k": "https://x/y.txt"}, None) == ["https://x/y.txt"]
    existing = {Path("out/a.png")}
    names = local_names(
        ["https://h/a.png", "https://h2/a.png", "data:image/png;base64,AA", "https://h/noext"],
        Path("out"),
        exists=lambda p: p in existing,
    )
    assert names == [
        Path("out/a-1.png"),
        Path("out/a-2.png"),
        Path("out/output-2.png"),
        Path("out/noext-3"),
    ]


def test_error_lines_and_codes() -> None:
    invalid = UnprocessableEntityError(
        None,
        "Input validation failed",
        422,
        "- input.x: bad",
        invalid_fields=[{"field": "input.x", "description": "bad"}, {"field": "input.y"}],
    )
    assert (
        message_for(invalid) == "HTTP 422 Input validation failed: input.x: bad; input.y: invalid"
    )
    assert exit_code_for(invalid) == USAGE  # the input does not fit the schema
    assert exit_code_for(APIConnectionError("refused")) == API
    assert (
        message_for(APIConnectionError("refused\nagain")) == "cannot reach the API: refused again"
    )
    assert exit_code_for(WebhookValidationError("no")) == FAILED
    assert exit_code_for(ValueError("bad ref")) == USAGE
    assert exit_code_for(KeyboardInterrupt()) == 130
    assert "rerun with --debug" in message_for(RuntimeError("boom"))
    assert scrub("Bearer r8_secret here", ["r8_secret", None]) == "Bearer *** here"


def test_live_view_renders_status_elapsed_logs_and_text() -> None:
    now = [100.0]
    view = LiveView("acme/model", log_lines=2, clock=lambda: now[0])
    view.status, view.prediction_id = "processing", "abc123"
    view.set_logs("one\ntwo\nthree")
    view.add_text("Hello")
    view.add_text(" world")
    now[0] = 102.5
    console = Console(file=io.StringIO(), width=80, color_system=None)
    console.print(view)
    shown = console.file.getvalue()  # type: ignore[attr-defined]
    assert "processing  acme/model  abc123  2.5s" in shown
    assert "│ two" in shown and "│ three" in shown and "one" not in shown
    assert "Hello world" in shown


def test_interrupt_while_following_names_the_cancel_command() -> None:
    error = still_running("training", "t1")
    assert exit_code_for(error) == 130
    assert message_for(error) == (
        "interrupted; training t1 keeps running (stop it with: replicate-kit trainings cancel t1)"
    )
