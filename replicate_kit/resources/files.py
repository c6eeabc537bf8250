"""``client.files``: upload, get, list, delete, download."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from replicate_kit._calls import Call, Flow, call
from replicate_kit._files import make_upload
from replicate_kit._methods import M, method
from replicate_kit.resources._base import Cursor, Resource, done, one, page, text
from replicate_kit.types import File, Page


def _int_or_none(value: str | None) -> int | None:
    return int(value) if value is not None and value.isdigit() else None


def _download_call(file: Any, owner: str | None, expiry: int | None, signature: str | None) -> Call:
    file_id = file if isinstance(file, str) else getattr(file, "id", None)
    if not isinstance(file_id, str) or not file_id:
        raise TypeError("file must be a file id or a File")
    link = (getattr(file, "urls", None) or {}).get("download")
    if isinstance(link, str) and None in (owner, expiry, signature):
        params = dict(parse_qsl(urlsplit(link).query))
        owner = owner or params.get("owner")
        expiry = expiry if expiry is not None else _int_or_none(params.get("expiry"))
        signature = signature or params.get("signature")
    if isinstance(link, str) and None in (owner, expiry, signature) and "signature=" not in link:
        # An unsigned link (what the gRPC transport gives) is authorized by the token.
        return Call("files.download", url=link, raw=True)
    if owner is None or expiry is None or signature is None:
        raise ValueError(
            "files.download needs owner=, expiry= and signature= "
            "(pass the File itself to use its urls['download'] link)"
        )
    query = {"owner": owner, "expiry": expiry, "signature": signature}
    return Call("files.download", path={"file_id": file_id}, query=query, raw=True)


class Files(Resource[M]):
    """``client.files``: upload, get, list, delete, download.

    Example::

        file = client.files.create(Path("photo.jpg"), metadata={"source": "camera"})
        client.run("owner/model:version", input={"image": file.urls["get"]})
        client.files.delete(file.id)
    """

    _name = "files"

    @method
    def create(
        self,
        file: Any,
        metadata: Mapping[str, Any] | None = None,
        *,
        content_type: str | None = None,
        filename: str | None = None,
    ) -> Flow[File]:
        """Upload a ``Path``, a path string or a binary file object (at most 100 MB).

        ``filename`` and ``content_type`` default to the file's name and the MIME
        type guessed from it; ``metadata`` is any JSON object stored with the file.
        """
        if isinstance(file, str):
            file = Path(file)
        upload = make_upload(file, content_type, filename=filename, metadata=metadata)
        return (yield from one(Call("files.create", upload=upload), File, self._core))

    @method
    def get(self, file_id: str) -> Flow[File]:
        """File metadata by id."""
        return (yield from one(Call("files.get", path={"file_id": file_id}), File, self._core))

    @method
    def list(self, cursor: Cursor = ...) -> Flow[Page[File]]:
        """One page of your files, newest first."""
        return (yield from page(Call("files.list"), cursor, File, self._core))

    @method
    def delete(self, file_id: str) -> Flow[bool]:
        """Delete a file."""
        return (yield from done(Call("files.delete", path={"file_id": file_id})))

    @method
    def download(
        self,
        file: Any,
        *,
        owner: str | None = None,
        expiry: int | None = None,
        signature: str | None = None,
    ) -> Flow[bytes]:
        """The file's bytes, through its signed download link.

        Pass a :class:`~replicate_kit.types.File` (its ``urls["download"]`` link is
        used) or a file id with the link's ``owner``, ``expiry`` and ``signature``.

        Example::

            data = client.files.download(client.files.get(file_id))
        """
        data = yield from call(_download_call(file, owner, expiry, signature))
        # Transports return the raw body for downloads; text is tolerated from simpler ones.
        return data if isinstance(data, bytes) else text(data).encode()

    async_create = create.async_form()
    async_get = get.async_form()
    async_list = list.async_form()
    async_delete = delete.async_form()
    async_download = download.async_form()
