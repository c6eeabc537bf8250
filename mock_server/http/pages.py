"""Pagination envelope with absolute cursor URLs built from the request URL."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Protocol, TypeVar

from starlette.requests import Request

from mock_server.engine.pagination import Page, paginate
from mock_server.http.operation import Call


class _Numbered(Protocol):
    @property
    def seq(self) -> int: ...


N = TypeVar("N", bound=_Numbered)


def page_body(source: Request | Call, page: Page[Any], results: list[Any]) -> dict[str, Any]:
    def link(cursor: str | None) -> str | None:
        if cursor is None:
            return None
        if isinstance(source, Call):
            return source.with_cursor(cursor)
        return str(source.url.include_query_params(cursor=cursor))

    return {
        "next": link(page.next_cursor),
        "previous": link(page.previous_cursor),
        "results": results,
    }


def newest_first(
    request: Request | Call,
    items: Sequence[N],
    cursor: str | None,
    page_size: int,
    render: Callable[[N], Any],
) -> dict[str, Any]:
    """The envelope of one page of ``items`` (listed newest first, by descending ``seq``),
    each rendered by ``render``."""
    page = paginate(items, lambda item: (-item.seq,), cursor, page_size)
    return page_body(request, page, [render(item) for item in page.results])
