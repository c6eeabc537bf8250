"""Pagination envelope with absolute cursor URLs built from the request URL."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request

from mock_server.engine.pagination import Page


def page_body(request: Request, page: Page[Any], results: list[Any]) -> dict[str, Any]:
    def link(cursor: str | None) -> str | None:
        if cursor is None:
            return None
        return str(request.url.include_query_params(cursor=cursor))

    return {
        "next": link(page.next_cursor),
        "previous": link(page.previous_cursor),
        "results": results,
    }
