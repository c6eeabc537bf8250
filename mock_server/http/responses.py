"""Response helpers: orjson bodies, RFC 7807 problem documents, and the wire form of a Result.

``encode`` is the one place a neutral operation's ``Result`` (or an ``ApiError``) becomes a status,
header list and body. The raw-ASGI front sends those parts itself; the Starlette path wraps the
same parts in an ``Encoded`` response, so both paths send the same bytes by construction.
``tests/mock/test_front.py`` checks ``encode`` against Starlette's own ``Response`` rules.
"""

from __future__ import annotations

from typing import Any

import orjson
from starlette.responses import Response

from mock_server.engine.errors import ApiError
from mock_server.http.operation import Result

RawHeaders = list[tuple[bytes, bytes]]
Parts = tuple[int, RawHeaders, bytes]

JSON = "application/json"
PROBLEM = "application/problem+json"
# Starlette sends no Content-Length on these (nor do we): they carry no body.
_BODYLESS = frozenset({204, 304})
_JSON_TYPE = (b"content-type", JSON.encode())


class JSONResponse(Response):
    media_type = JSON

    def render(self, content: Any) -> bytes:
        return orjson.dumps(content)


class Encoded(Response):
    """A response whose parts ``encode`` made (Starlette's ``__call__`` sends them)."""

    def __init__(self, parts: Parts) -> None:
        self.status_code, self.raw_headers, self.body = parts
        self.background = None


def _parts(status: int, headers: dict[str, str], body: bytes, media_type: str | None) -> Parts:
    # Starlette's Response.init_headers rules: given headers first (lower-case names), then
    # Content-Length and Content-Type unless given; text types get a charset.
    if not headers:  # most results (nothing to merge)
        if status < 200 or status in _BODYLESS:
            return status, [] if media_type is None else [_content_type(media_type)], body
        length = (b"content-length", str(len(body)).encode("latin-1"))
        if media_type is None:
            return status, [length], body
        return status, [length, _content_type(media_type)], body
    raw = [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in headers.items()]
    names = {name for name, _ in raw}
    if b"content-length" not in names and not (status < 200 or status in _BODYLESS):
        raw.append((b"content-length", str(len(body)).encode("latin-1")))
    if media_type is not None and b"content-type" not in names:
        raw.append(_content_type(media_type))
    return status, raw, body


def _content_type(media_type: str) -> tuple[bytes, bytes]:
    if media_type == JSON:
        return _JSON_TYPE
    if media_type.startswith("text/") and "charset=" not in media_type.lower():
        media_type += "; charset=utf-8"
    return (b"content-type", media_type.encode("latin-1"))


def encode(result: Result) -> Parts:
    if result.raw is not None:
        return _parts(result.status, result.headers, result.raw, result.media_type)
    if result.body is None:
        return _parts(result.status, result.headers, b"", None)
    return _parts(result.status, result.headers, orjson.dumps(result.body), JSON)


def encode_problem(error: ApiError) -> Parts:
    return _parts(error.status, error.headers, orjson.dumps(error.body()), PROBLEM)


def json_response(
    content: Any, status: int = 200, headers: dict[str, str] | None = None
) -> JSONResponse:
    return JSONResponse(content, status_code=status, headers=headers)


def problem(error: ApiError) -> Response:
    return Encoded(encode_problem(error))


def problem_response(
    status: int, title: str, detail: str, headers: dict[str, str] | None = None
) -> Response:
    return problem(ApiError(status, title, detail, headers=headers))
