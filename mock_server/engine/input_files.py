"""Reading a prediction's file inputs from what the mock itself holds (it never fetches URLs)."""

from __future__ import annotations

import base64
import binascii
import mimetypes
import re
from collections.abc import Callable
from urllib.parse import unquote_to_bytes, urlsplit

from mock_server.engine.blobs import BlobStore
from mock_server.engine.errors import ApiError
from mock_server.engine.files import FileStore

FileReader = Callable[[str], tuple[str, bytes] | None]

_FILE_PATH = re.compile(r"/v1/files/([^/]+)(?:/download)?/?")


def reader(files: FileStore, blobs: BlobStore, owner: str, now: Callable[[], float]) -> FileReader:
    """(name, bytes) for a data: URI, one of the owner's uploaded files, or a mock output file.

    None for a URL the mock does not hold; ValueError for a file URL whose file is gone.
    """

    def read(url: str) -> tuple[str, bytes] | None:
        if url.startswith("data:"):
            return _data_uri(url)
        path = urlsplit(url).path
        match = _FILE_PATH.fullmatch(path)
        if match is not None:
            try:
                stored = files.get(owner, match.group(1), now())
            except ApiError:
                raise ValueError(
                    f"file {match.group(1)!r} was not found: it expired, was deleted, or belongs "
                    "to another account"
                ) from None
            return stored.name, stored.data
        blob = blobs.get(path)
        if blob is not None:
            return path.rsplit("/", 1)[-1], blob.data
        return None

    return read


def _data_uri(url: str) -> tuple[str, bytes] | None:
    header, sep, payload = url[5:].partition(",")
    if not sep:
        return None
    media_type, _, parameters = header.partition(";")
    extension = mimetypes.guess_extension(media_type or "text/plain") or ".bin"
    try:
        if parameters.split(";")[-1] == "base64":
            data = base64.b64decode(payload, validate=True)
        else:
            data = unquote_to_bytes(payload)
    except (binascii.Error, ValueError):
        return None
    return f"input{extension}", data
