"""Lazy pagination for list commands: stop fetching pages once ``--limit`` items are in."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

import replicate_kit
from replicate_kit import Page

T = TypeVar("T")


def items(list_method: Callable[..., Page[T]]) -> Iterator[T]:
    for page in replicate_kit.paginate(list_method):
        yield from page.results


def take(iterator: Iterator[T], limit: int) -> list[T]:
    return list(itertools.islice(iterator, limit))


def first(list_method: Callable[..., Page[Any]], limit: int) -> list[Any]:
    return take(items(list_method), limit)
