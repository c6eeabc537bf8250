"""Cursor pagination that stays stable while items are added.

Callers pass items already in display order together with a key that increases along that
order; a cursor remembers the key at a page boundary, never an offset.
"""

from __future__ import annotations

import base64
import bisect
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import orjson

from mock_server.engine.errors import ApiError

T = TypeVar("T")
Key = tuple[Any, ...]


@dataclass(frozen=True)
class Page(Generic[T]):
    results: list[T]
    next_cursor: str | None
    previous_cursor: str | None


def invalid_cursor() -> ApiError:
    # The real API's cursor pagination (Django REST framework's) answers a cursor it did not issue
    # with 404 "Invalid cursor": it names no page.
    return ApiError(404, "Invalid cursor", "The cursor is invalid or has expired")


def encode_cursor(direction: str, key: Key) -> str:
    raw = orjson.dumps({"d": direction, "k": list(key)})
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[str, Key]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        data = orjson.loads(base64.urlsafe_b64decode(padded.encode()))
        direction, key = data["d"], data["k"]
        if direction not in ("n", "p") or not isinstance(key, list):
            raise ValueError(cursor)
        return direction, tuple(key)
    except (ValueError, KeyError, TypeError, orjson.JSONDecodeError) as exc:
        raise invalid_cursor() from exc


def paginate(
    items: Sequence[T], key: Callable[[T], Key], cursor: str | None, page_size: int
) -> Page[T]:
    keys = [key(item) for item in items]
    # An empty cursor is the first page, like no cursor (the spec allows the empty string).
    if not cursor:
        start = 0
    else:
        direction, boundary = decode_cursor(cursor)
        try:
            if direction == "n":
                start = bisect.bisect_right(keys, boundary)
            else:
                start = max(0, bisect.bisect_left(keys, boundary) - page_size)
        except TypeError as exc:
            raise invalid_cursor() from exc
    page = list(items[start : start + page_size])
    end = start + len(page)
    next_cursor = encode_cursor("n", keys[end - 1]) if page and end < len(items) else None
    previous_cursor = encode_cursor("p", keys[start]) if page and start > 0 else None
    return Page(page, next_cursor, previous_cursor)
