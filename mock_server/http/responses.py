"""Response helpers: orjson bodies and RFC 7807 problem documents."""

from __future__ import annotations

from typing import Any

import orjson
from starlette.responses import Response

from mock_server.engine.errors import ApiError


class JSONResponse(Response):
    media_type = "application/json"

    def render(self, content: Any) -> bytes:
        return orjson.dumps(content)


def json_response(
    content: Any, status: int = 200, headers: dict[str, str] | None = None
) -> JSONResponse:
    return JSONResponse(content, status_code=status, headers=headers)


def problem(error: ApiError) -> Response:
    return Response(
        orjson.dumps(error.body()),
        status_code=error.status,
        headers=error.headers,
        media_type="application/problem+json",
    )


def problem_response(
    status: int, title: str, detail: str, headers: dict[str, str] | None = None
) -> Response:
    return problem(ApiError(status, title, detail, headers=headers))
