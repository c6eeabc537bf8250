"""The internal transport protocol.

A transport turns a :class:`~replicate_kit._calls.Call` into the decoded JSON
result (or raises a :mod:`replicate_kit.exceptions` error), opens server-sent
event streams and downloads output files. Retries, polling and object mapping
live above it, so both transports (``http`` and ``grpc``) behave the same.
An optional ``send_received(call) -> Received`` is ``send`` plus what the wire said (status,
headers): it backs ``client.with_raw_response`` (both built-in transports have it); ``send``
stays the lean path every other call takes.
"""

from __future__ import annotations

import functools
from collections.abc import AsyncIterator, Iterator
from contextlib import AbstractAsyncContextManager, AbstractContextManager
from dataclasses import dataclass
from typing import Any, NamedTuple, Protocol, TypeVar

import httpx

from replicate_kit._calls import Call


class RawEvent(NamedTuple):
    """One server-sent event as received (a tuple: one is made per token, and a frozen
    dataclass cost several times as much to build)."""

    event: str
    data: str
    id: str | None = None
    retry: int | None = None


#: A named tuple with :class:`RawEvent`'s fields that a stream's reader builds its events as:
#: the caller's own class (``ServerSentEvent``), so a token costs one object, built in C.
EventT = TypeVar("EventT", bound=tuple[str, Any, str | None, int | None])


def as_kind(kind: type[EventT], events: list[RawEvent]) -> list[EventT]:
    """``events`` built as ``kind`` (same fields, copied in C)."""
    return list(map(functools.partial(tuple.__new__, kind), events))


@dataclass(frozen=True)
class Received:
    """One successful response: the decoded body (what ``send`` returns) and its envelope."""

    data: Any
    status_code: int
    #: Response headers (HTTP) or the RPC's initial + trailing metadata (gRPC).
    headers: httpx.Headers
    #: The ``httpx.Response`` on HTTP; None on gRPC.
    http_response: httpx.Response | None = None


class SyncTransport(Protocol):
    """Blocking transport."""

    def send(self, call: Call) -> Any:
        """Perform the call once (no retries); return decoded JSON, text, or None."""
        ...

    def events(
        self, url: str, kind: type[EventT], *, last_event_id: str | None = None
    ) -> AbstractContextManager[Iterator[list[EventT]]]:
        """Open an SSE stream at ``url``, resuming after ``last_event_id``; its events come in
        batches, as they arrive (a token stream carries many per read, and each layer above
        costs per batch, not per token), built as ``kind``."""
        ...

    def download(self, url: str) -> AbstractContextManager[Iterator[bytes]]:
        """Stream the bytes at ``url`` (credentials only for the API's own origin)."""
        ...

    def close(self) -> None:
        """Release connections."""
        ...


class AsyncTransport(Protocol):
    """Asyncio transport; same contract as :class:`SyncTransport`."""

    async def send(self, call: Call) -> Any:
        """Perform the call once (no retries)."""
        ...

    def events(
        self, url: str, kind: type[EventT], *, last_event_id: str | None = None
    ) -> AbstractAsyncContextManager[AsyncIterator[list[EventT]]]:
        """Open an SSE stream at ``url``; batches of events as for the blocking one."""
        ...

    def download(self, url: str) -> AbstractAsyncContextManager[AsyncIterator[bytes]]:
        """Stream the bytes at ``url``."""
        ...

    async def aclose(self) -> None:
        """Release connections."""
        ...
