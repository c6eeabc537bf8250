"""The internal transport protocol.

A transport turns a :class:`~replicate_kit._calls.Call` into the decoded JSON
result (or raises a :mod:`replicate_kit.exceptions` error), opens server-sent
event streams and downloads output files. Retries, polling and object mapping
live above it, so every transport (HTTP today, gRPC later) behaves the same.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from contextlib import AbstractAsyncContextManager, AbstractContextManager
from dataclasses import dataclass
from typing import Any, Protocol

from replicate_kit._calls import Call


@dataclass(frozen=True)
class RawEvent:
    """One server-sent event as received."""

    event: str
    data: str
    id: str | None = None
    retry: int | None = None


class SyncTransport(Protocol):
    """Blocking transport."""

    def send(self, call: Call) -> Any:
        """Perform the call once (no retries); return decoded JSON, text, or None."""
        ...

    def events(
        self, url: str, *, last_event_id: str | None = None
    ) -> AbstractContextManager[Iterator[RawEvent]]:
        """Open an SSE stream at ``url``, resuming after ``last_event_id``."""
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
        self, url: str, *, last_event_id: str | None = None
    ) -> AbstractAsyncContextManager[AsyncIterator[RawEvent]]:
        """Open an SSE stream at ``url``."""
        ...

    def download(self, url: str) -> AbstractAsyncContextManager[AsyncIterator[bytes]]:
        """Stream the bytes at ``url``."""
        ...

    async def aclose(self) -> None:
        """Release connections."""
        ...
