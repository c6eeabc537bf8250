"""Helpers shared with the official client's public names: :class:`FileOutput`.

Example::

    output = replicate_kit.run("stability-ai/sdxl", input={"prompt": "a cat"})
    for item in output:
        print(item.url)              # never downloads
        Path("cat.png").write_bytes(item.read())
"""

from __future__ import annotations

import base64
import binascii
import mimetypes
import urllib.parse
from collections.abc import AsyncIterator, Iterator
from typing import Any, Protocol

from replicate_kit import _output
from replicate_kit._transport.base import AsyncTransport, SyncTransport

__all__ = ["FileOutput", "base64_encode_file", "transform_output"]


class Fetcher(Protocol):
    """What downloads a file output: the client's core (its transports)."""

    @property
    def sync_transport(self) -> SyncTransport:
        """The blocking transport."""
        ...

    @property
    def async_transport(self) -> AsyncTransport:
        """The asyncio transport."""
        ...


def _decode_data_uri(url: str) -> bytes:
    header, sep, payload = url.partition(",")
    if not sep:
        raise ValueError("Malformed data: URI (no comma)")
    if header.endswith(";base64"):
        try:
            return base64.b64decode(payload)
        except binascii.Error as exc:
            raise ValueError("Malformed data: URI (bad base64)") from exc
    return urllib.parse.unquote_to_bytes(payload)


class FileOutput:
    """A file produced by a model: ``url``, ``read()``, iteration and async reads.

    ``str(file_output)`` is the URL; nothing is downloaded until you read.
    ``data:`` URIs are decoded locally. Downloads from hosts other than the API's
    are made without the API token.
    """

    __slots__ = ("_core", "url")

    def __init__(self, url: str, core: Fetcher | None = None) -> None:
        self.url = url
        self._core = core

    def __str__(self) -> str:
        return self.url

    def __repr__(self) -> str:
        shown = self.url if not self.url.startswith("data:") else self.url[:40] + "..."
        return f"FileOutput({shown!r})"

    def __eq__(self, other: object) -> bool:
        if isinstance(other, FileOutput):
            return self.url == other.url
        if isinstance(other, str):
            return self.url == other
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self.url)

    @property
    def filename(self) -> str:
        """Last path segment of the URL (``output.png``); empty for data URIs."""
        if self.url.startswith("data:"):
            return ""
        return urllib.parse.urlsplit(self.url).path.rsplit("/", 1)[-1]

    @property
    def content_type(self) -> str | None:
        """MIME type from the data URI header or guessed from the file name."""
        if self.url.startswith("data:"):
            return self.url[5:].split(",", 1)[0].split(";", 1)[0] or None
        return mimetypes.guess_type(self.filename)[0]

    def _require_core(self) -> Fetcher:
        if self._core is None:
            raise RuntimeError("This FileOutput is not bound to a client; cannot download it")
        return self._core

    def read(self) -> bytes:
        """Download (or decode) the whole file."""
        if self.url.startswith("data:"):
            return _decode_data_uri(self.url)
        return b"".join(self)

    def __iter__(self) -> Iterator[bytes]:
        if self.url.startswith("data:"):
            yield _decode_data_uri(self.url)
            return
        with self._require_core().sync_transport.download(self.url) as chunks:
            yield from chunks

    async def aread(self) -> bytes:
        """Download the whole file without blocking the event loop."""
        if self.url.startswith("data:"):
            return _decode_data_uri(self.url)
        return b"".join([chunk async for chunk in self])

    async def __aiter__(self) -> AsyncIterator[bytes]:
        if self.url.startswith("data:"):
            yield _decode_data_uri(self.url)
            return
        async with self._require_core().async_transport.download(self.url) as chunks:
            async for chunk in chunks:
                yield chunk


def transform_output(
    value: Any, core: Fetcher | None = None, schema: dict[str, Any] | None = None
) -> Any:
    """Wrap file URLs found in ``value`` as :class:`FileOutput` (schema-aware when given)."""
    return _output.transform(value, schema, lambda url: FileOutput(url, core))


def base64_encode_file(
    data: bytes, filename: str | None = None, content_type: str | None = None
) -> str:
    """A ``data:`` URI for ``data`` (MIME type from ``content_type`` or the file name)."""
    mime = content_type or (mimetypes.guess_type(filename)[0] if filename else None)
    return f"data:{mime or 'application/octet-stream'};base64,{base64.b64encode(data).decode()}"
