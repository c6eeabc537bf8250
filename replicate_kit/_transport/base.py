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

from collections.abc import AsyncIterator, Iterable, Iterator, Sequence
from contextlib import AbstractAsyncContextManager, AbstractContextManager
from dataclasses import dataclass
from itertools import repeat
from typing import Any, Generic, NamedTuple, Protocol, TypeVar

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
_new = tuple.__new__


class Batch(Generic[EventT]):
    """The events of one read, kept as columns and built as ``kind`` only when taken.

    Taken one at a time (:meth:`events` is lazy), a token stream's events are made as the
    caller reads them and freed as it drops them: the cyclic garbage collector, which runs
    after every few hundred new live objects, then never walks a read's worth of them (it
    cost about as much as the parse). Each is built in C, with no Python call per event.
    """

    __slots__ = ("data", "ids", "kind", "names", "retries")

    def __init__(
        self,
        kind: type[EventT],
        names: Sequence[str],
        data: Sequence[str],
        ids: Sequence[str | None],
        retries: Sequence[int | None] | None = None,
    ) -> None:
        self.kind = kind
        self.names = names
        self.data = data
        self.ids = ids
        #: None when no event has a ``retry`` field.
        self.retries = retries

    @classmethod
    def of(
        cls, kind: type[EventT], events: Iterable[tuple[str, str, str | None, int | None]]
    ) -> Batch[EventT]:
        """A batch of events given whole (event, data, id, retry)."""
        rows = list(events)
        return cls(
            kind,
            [row[0] for row in rows],
            [row[1] for row in rows],
            [row[2] for row in rows],
            [row[3] for row in rows],
        )

    def __len__(self) -> int:
        return len(self.names)

    def __iter__(self) -> Iterator[EventT]:
        return self.events()

    def events(self, start: int = 0, stop: int | None = None) -> Iterator[EventT]:
        """The events from ``start`` to ``stop``, each built as it is taken."""
        part = slice(start, stop)
        whole = start == 0 and stop is None
        names, data, ids = (
            (self.names, self.data, self.ids)
            if whole
            else (
                self.names[part],
                self.data[part],
                self.ids[part],
            )
        )
        retries: Iterable[int | None] = repeat(None)
        if self.retries is not None:
            retries = self.retries if whole else self.retries[part]
        # zip hands back a tuple that tuple.__new__ has already copied, so it reuses it.
        return map(_new, repeat(self.kind), zip(names, data, ids, retries, strict=False))


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
    ) -> AbstractContextManager[Iterator[Batch[EventT]]]:
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
    ) -> AbstractAsyncContextManager[AsyncIterator[Batch[EventT]]]:
        """Open an SSE stream at ``url``; batches of events as for the blocking one."""
        ...

    def download(self, url: str) -> AbstractAsyncContextManager[AsyncIterator[bytes]]:
        """Stream the bytes at ``url``."""
        ...

    async def aclose(self) -> None:
        """Release connections."""
        ...
