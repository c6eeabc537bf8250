"""/v1/files: multipart upload, get, list, delete and the signed download link."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote

import orjson
from starlette.datastructures import FormData, Headers, UploadFile
from starlette.formparsers import MultiPartException, MultiPartParser

from mock_server.engine import examples
from mock_server.engine.bodies import decimal
from mock_server.engine.errors import ApiError, invalid_fields, not_found
from mock_server.engine.files import MAX_FILENAME_BYTES, render_file, too_large
from mock_server.http.context import authenticate, engine_of, query_param, root_url
from mock_server.http.operation import Call, Endpoint, Operation, Result, operation
from mock_server.http.pages import newest_first

DEFAULT_TYPE = "application/octet-stream"
# The `type` pattern of FileUploadForm in the spec: `type/subtype`, then optional parameters.
_MIME = re.compile(r"[^ \t\r\n/;]+/[^ \t\r\n/;]+(;[^\r\n]*)?\Z")
# `type` is the documented field; `content_type` is accepted as a friendlier alias.
_FIELDS = ("content", "filename", "type", "content_type", "metadata")
_MULTIPART_SLACK = 64 * 1024  # boundaries and small fields around the content part


def _invalid(field: str, description: str, kind: str = "invalid") -> ApiError:
    return invalid_fields(
        "Invalid upload", [{"type": kind, "field": field, "description": description}]
    )


async def _form(request: Call) -> FormData:
    content_type = request.headers.get("content-type", "")
    if not content_type.lower().startswith("multipart/form-data"):
        raise _invalid("body", "The request body must be multipart/form-data", "content_type")
    try:
        parser = MultiPartParser(
            Headers({"content-type": content_type}), request.stream(), max_files=8, max_fields=16
        )
        return await parser.parse()
    except MultiPartException as exc:
        raise _invalid("body", f"Malformed multipart body: {exc.message}", "multipart") from exc
    except Exception as exc:  # the parser may raise anything on garbage input
        raise _invalid("body", "Malformed multipart body", "multipart") from exc


async def _text(value: str | UploadFile, field: str) -> str:
    raw = await value.read() if isinstance(value, UploadFile) else value.encode()
    try:
        return raw.decode()
    except UnicodeDecodeError as exc:
        raise _invalid(field, f"{field} must be UTF-8 text") from exc


async def _single(form: FormData, name: str) -> str | UploadFile | None:
    values = form.getlist(name)
    if len(values) > 1:
        raise _invalid(name, f"{name} was given more than once", "duplicate")
    return values[0] if values else None


async def _parse_upload(form: FormData) -> tuple[bytes, str, str, dict[str, Any]]:
    for key in form:
        if key not in _FIELDS:
            raise _invalid(key, f"Additional property {key} is not allowed", "additional")
    content = await _single(form, "content")
    if content is None:
        raise _invalid("content", "content is required", "required")
    data = await content.read() if isinstance(content, UploadFile) else content.encode()

    filename_field = await _single(form, "filename")
    if filename_field is not None:
        filename = (await _text(filename_field, "filename")).strip()
    elif isinstance(content, UploadFile) and content.filename:
        filename = content.filename
    else:
        filename = "file"
    if not filename:
        raise _invalid("filename", "filename must not be empty")
    if len(filename.encode()) > MAX_FILENAME_BYTES:
        raise _invalid("filename", f"filename must be at most {MAX_FILENAME_BYTES} bytes", "max")

    type_field = await _single(form, "type")
    if type_field is None:
        type_field = await _single(form, "content_type")
    if type_field is not None:
        mime = await _text(type_field, "type")
    elif isinstance(content, UploadFile) and content.content_type:
        mime = content.content_type
    else:
        mime = DEFAULT_TYPE
    if not _MIME.match(mime):
        raise _invalid("type", "type must be a MIME type such as text/plain", "format")

    metadata: Any = {}
    metadata_field = await _single(form, "metadata")
    if metadata_field is not None:
        try:
            metadata = orjson.loads(await _text(metadata_field, "metadata"))
        except orjson.JSONDecodeError as exc:
            raise _invalid("metadata", "metadata must be a JSON object", "format") from exc
        if not isinstance(metadata, dict):
            raise _invalid("metadata", "metadata must be a JSON object", "invalid_type")
    return data, filename, mime, metadata


async def create(request: Call) -> Result:
    account = authenticate(request)
    engine = engine_of(request)
    limit = engine.files.max_size
    declared = decimal(request.headers.get("content-length", ""), max_digits=30)
    if declared is not None and declared > limit + _MULTIPART_SLACK:
        raise too_large(limit)  # refuse before reading a body that cannot fit
    form = await _form(request)
    try:
        data, filename, mime, metadata = await _parse_upload(form)
    finally:
        await form.close()
    if len(data) > limit:
        raise too_large(limit)
    with engine.lock:
        stored = engine.files.create(
            engine.ids.object_id(), account.username, filename, mime, data, metadata, engine.now()
        )
        body = render_file(stored, root_url(request), engine.files)
    return Result(body, 201)


async def get(request: Call) -> Result:
    account = authenticate(request)
    engine = engine_of(request)
    with engine.lock:
        stored = engine.files.get(account.username, request.path_params["file_id"], engine.now())
        body = render_file(stored, root_url(request), engine.files)
    return Result(body)


async def list_(request: Call) -> Result:
    account = authenticate(request)
    engine = engine_of(request)
    cursor = query_param(request, "cursor")
    root = root_url(request)
    with engine.lock:
        files = engine.files.list(account.username, engine.now())
        body = newest_first(
            request,
            files,
            cursor,
            engine.config.page_size,
            lambda f: render_file(f, root, engine.files),
        )
    return Result(body)


async def delete(request: Call) -> Result:
    account = authenticate(request)
    engine = engine_of(request)
    with engine.lock:
        engine.files.delete(account.username, request.path_params["file_id"], engine.now())
    return Result(None, 204)


async def download(request: Call) -> Result:
    """A signed link needs no token; without a signature the owner's token is required."""
    engine = engine_of(request)
    file_id = request.path_params["file_id"]
    signature = query_param(request, "signature")
    if signature is None:
        if request.headers.get("authorization") is None:
            raise not_found("File not found")
        account = authenticate(request)
        with engine.lock:
            stored = engine.files.get(account.username, file_id, engine.now())
    elif engine.config.examples:
        # Placeholder signatures cannot be right: the named file is served regardless.
        owner = query_param(request, "owner") or "example-owner"
        with engine.lock:
            examples.ensure_file(engine, owner, file_id)
            stored = engine.files.any(file_id, engine.now())
    else:
        owner = query_param(request, "owner") or ""
        expiry = query_param(request, "expiry") or ""
        with engine.lock:
            stored = engine.files.signed(file_id, owner, expiry, signature, engine.now())
    disposition = f"attachment; filename*=UTF-8''{quote(stored.name)}"
    headers = {"Content-Disposition": disposition, "ETag": f'"{stored.md5}"'}
    return Result(None, headers=headers, raw=stored.data, media_type=DEFAULT_TYPE)


#: operationId -> its handler; the method and path come from the operation table.
HANDLERS: dict[str, Operation | Endpoint] = {
    "files.create": operation(create),
    "files.list": operation(list_),
    "files.get": operation(get),
    "files.delete": operation(delete),
    "files.download": operation(download),
}
