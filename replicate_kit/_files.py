"""Input files: find ``Path``/file objects in a prediction input and encode them.

``file_encoding_strategy="url"`` (default) uploads each file through the Files
API and substitutes its URL; ``"base64"`` inlines a ``data:`` URI instead. The
walk is a flow, so the upload calls run through the client's transport.
"""

from __future__ import annotations

import io
import mimetypes
import os
from collections.abc import Mapping
from pathlib import PurePath
from typing import Any, Literal

from replicate_kit._calls import Call, Flow, Upload
from replicate_kit.helpers import FileOutput, base64_encode_file

FileEncodingStrategy = Literal["url", "base64"]


def is_file_like(value: Any) -> bool:
    """True for values the client uploads: paths and readable binary/text streams."""
    return isinstance(value, PurePath | io.IOBase) or (
        hasattr(value, "read") and callable(value.read) and not isinstance(value, FileOutput)
    )


def read_file(value: Any) -> tuple[bytes, str]:
    """(content, filename) of a path or file object."""
    if isinstance(value, PurePath):
        with open(value, "rb") as handle:
            return handle.read(), value.name
    data = value.read()
    if isinstance(data, str):
        data = data.encode()
    name = getattr(value, "name", None)
    filename = os.path.basename(name) if isinstance(name, str) and name else "file"
    return bytes(data), filename


def make_upload(
    value: Any,
    content_type: str | None = None,
    *,
    filename: str | None = None,
    metadata: Mapping[str, Any] | None = None,
) -> Upload:
    """An :class:`Upload` for a path or file object (MIME type guessed from the name)."""
    if not is_file_like(value):
        raise TypeError(
            f"Expected a Path, a path string or a file object to upload, not {type(value).__name__}"
        )
    content, found_name = read_file(value)
    name = filename or found_name
    ctype = content_type or mimetypes.guess_type(name)[0] or "application/octet-stream"
    return Upload(
        content=content,
        filename=name,
        content_type=ctype,
        metadata=dict(metadata) if metadata is not None else None,
    )


def encode_input(value: Any, strategy: FileEncodingStrategy | None = None) -> Flow[Any]:
    """Return ``value`` with files replaced by URLs (uploads) or data URIs."""
    if strategy not in (None, "url", "base64"):
        raise ValueError(f"file_encoding_strategy must be 'url' or 'base64', not {strategy!r}")
    if isinstance(value, FileOutput):
        return value.url
    if isinstance(value, Mapping):
        out: dict[str, Any] = {}
        for key, item in value.items():
            out[str(key)] = yield from encode_input(item, strategy)
        return out
    if isinstance(value, list | tuple | set | frozenset):
        items = []
        for item in value:
            encoded = yield from encode_input(item, strategy)
            items.append(encoded)
        return items
    if is_file_like(value):
        if strategy == "base64":
            content, filename = read_file(value)
            return base64_encode_file(content, filename)
        file = yield Call("files.create", upload=make_upload(value))
        urls = file.get("urls") if isinstance(file, Mapping) else None
        if not isinstance(urls, Mapping) or not isinstance(urls.get("get"), str):
            raise ValueError("The Files API response has no urls.get")
        url: str = urls["get"]
        return url
    return value
