"""Output wrapping by schema, FileOutput reads, and input-file discovery."""

from __future__ import annotations

import asyncio
import io
from pathlib import Path
from typing import Any

import httpx
import pytest

from replicate_kit import _output
from replicate_kit._core import Core
from replicate_kit._files import encode_input
from replicate_kit.helpers import FileOutput, base64_encode_file, transform_output

from .conftest import FakeAPI

URI = {"type": "string", "format": "uri"}


def wrap(url: str) -> str:
    return f"<{url}>"


@pytest.mark.parametrize(
    ("value", "schema", "expected"),
    [
        ("http://h/a.png", URI, "<http://h/a.png>"),
        ("https://h/a.png", {"type": "string"}, "https://h/a.png"),
        ("https://h/a.png", None, "<https://h/a.png>"),
        ("http://h/a.png", None, "http://h/a.png"),
        (
            ["http://h/1", "http://h/2"],
            {"type": "array", "items": URI},
            ["<http://h/1>", "<http://h/2>"],
        ),
        (
            {"image": "http://h/i", "caption": "https://not-a-file"},
            {"type": "object", "properties": {"image": URI, "caption": {"type": "string"}}},
            {"image": "<http://h/i>", "caption": "https://not-a-file"},
        ),
        ("http://h/x", {"anyOf": [URI, {"type": "null"}]}, "<http://h/x>"),
        ({"k": "data:text/plain,hi"}, {"type": "object"}, {"k": "<data:text/plain,hi>"}),
        (3, URI, 3),
    ],
)
def test_transform(value: Any, schema: dict[str, Any] | None, expected: Any) -> None:
    assert _output.transform(value, schema, wrap) == expected


def test_output_schema_resolves_refs_and_detects_iterators() -> None:
    doc = {
        "components": {
            "schemas": {
                "Output": {"$ref": "#/components/schemas/Out"},
                "Out": {"type": "array", "items": URI, "x-cog-array-type": "iterator"},
            }
        }
    }
    schema = _output.output_schema(doc)
    assert schema is not None and _output.is_iterator(schema)
    assert _output.item_schema(schema) == URI
    assert _output.output_schema(None) is None
    assert not _output.is_iterator({"type": "array"})


def test_file_output_data_uris_and_str() -> None:
    f = FileOutput("data:text/plain;base64,aGVsbG8=")
    assert f.read() == b"hello" and list(f) == [b"hello"]
    assert asyncio.run(f.aread()) == b"hello"
    assert f.content_type == "text/plain"
    assert FileOutput("data:,a%20b").read() == b"a b"
    g = FileOutput("https://cdn/x/out.webp")
    assert (
        str(g) == "https://cdn/x/out.webp"
        and g.filename == "out.webp"
        and g == "https://cdn/x/out.webp"
    )
    with pytest.raises(RuntimeError, match="not bound"):
        g.read()


def test_file_output_async_download(api: FakeAPI) -> None:
    api.on("GET cdn.example/big.bin", httpx.Response(200, content=b"x" * 10_000))
    core: Core = api.client()._core
    f = transform_output(["https://cdn.example/big.bin"], core)[0]

    async def main() -> tuple[bytes, int]:
        chunks = [c async for c in f]
        return await f.aread(), sum(map(len, chunks))

    data, total = asyncio.run(main())
    assert data == b"x" * 10_000 and total == 10_000


def test_download_errors_are_typed(api: FakeAPI) -> None:
    api.on("GET cdn.example/gone", httpx.Response(404, text="nope"))
    from replicate_kit.exceptions import NotFoundError

    with pytest.raises(NotFoundError):
        FileOutput("https://cdn.example/gone", api.client()._core).read()


def _drive(flow: Any, uploads: list[Any]) -> Any:
    try:
        call = next(flow)
        while True:
            uploads.append(call.upload)
            call = flow.send({"urls": {"get": f"https://api/files/{len(uploads)}"}})
    except StopIteration as stop:
        return stop.value


def test_encode_input_finds_files_anywhere(tmp_path: Path) -> None:
    path = tmp_path / "a.wav"
    path.write_bytes(b"RIFF")
    uploads: list[Any] = []
    value = {"audio": path, "list": [io.BytesIO(b"1"), ("t", io.StringIO("txt"))], "x": {"y": 1}}
    out = _drive(encode_input(value), uploads)
    assert out == {
        "audio": "https://api/files/1",
        "list": ["https://api/files/2", ["t", "https://api/files/3"]],
        "x": {"y": 1},
    }
    assert uploads[0].filename == "a.wav" and uploads[0].content_type.startswith("audio/")
    assert uploads[1].content == b"1" and uploads[1].filename == "file"
    assert uploads[2].content == b"txt"


def test_encode_input_base64_and_file_outputs(tmp_path: Path) -> None:
    path = tmp_path / "p.png"
    path.write_bytes(b"\x89PNG")
    uploads: list[Any] = []
    out = _drive(encode_input({"img": path, "prev": FileOutput("https://x/y")}, "base64"), uploads)
    assert out == {"img": base64_encode_file(b"\x89PNG", "p.png"), "prev": "https://x/y"}
    assert out["img"].startswith("data:image/png;base64,")
    assert uploads == []
    with pytest.raises(ValueError):
        _drive(encode_input({}, "zip"), uploads)  # type: ignore[arg-type]
