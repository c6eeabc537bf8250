"""The client core: owns configuration and transports, runs flows with retries.

``execute`` drives a flow synchronously, ``aexecute`` with asyncio; both send
each :class:`Call` through the retry loop and sleep between polls. Event
streams reconnect with ``Last-Event-ID`` until the ``done`` event.

Inside :func:`~replicate_kit._raw.recording` (what ``client.with_raw_response`` uses),
calls go through the transport's ``send_received`` and the last successful response is kept.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Mapping
from typing import Any, Literal, TypeVar, cast

import httpx

from replicate_kit._calls import Call, Flow, Sleep
from replicate_kit._config import ClientConfig
from replicate_kit._raw import current_recording
from replicate_kit._transport.base import AsyncTransport, Received, SyncTransport
from replicate_kit.exceptions import APIConnectionError, ReplicateError, StreamError
from replicate_kit.stream import ServerSentEvent, StreamState

T = TypeVar("T")
log = logging.getLogger("replicate_kit")

TransportName = Literal["http", "grpc"]
R = TypeVar("R")


def _no_envelope(transport: object) -> TypeError:
    return TypeError(
        f"with_raw_response needs a transport with send_received(); "
        f"{type(transport).__name__} only has send()"
    )


class Core:
    """Shared by every resource and object of one client."""

    def __init__(
        self,
        config: ClientConfig,
        *,
        transport: TransportName | SyncTransport = "http",
        async_transport: AsyncTransport | None = None,
        http_client: httpx.Client | None = None,
        async_http_client: httpx.AsyncClient | None = None,
        httpx_options: Mapping[str, Any] | None = None,
        async_httpx_options: Mapping[str, Any] | None = None,
        grpc_target: str | None = None,
        sleep: Callable[[float], None] = time.sleep,
        async_sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        if isinstance(transport, str) and transport not in ("http", "grpc"):
            raise ValueError(f"transport must be 'http' or 'grpc', not {transport!r}")
        if transport == "grpc" and not grpc_target:
            raise ValueError("transport='grpc' needs grpc_target='host:port'")
        self.config = config
        self._grpc_target = grpc_target or ""
        self._transport_name = transport if isinstance(transport, str) else "custom"
        self._sync: SyncTransport | None = None if isinstance(transport, str) else transport
        self._async: AsyncTransport | None = async_transport
        self._http_client = http_client
        self._async_http_client = async_http_client
        self._httpx_options = dict(httpx_options or {})
        self._async_httpx_options = (
            self._httpx_options if async_httpx_options is None else dict(async_httpx_options)
        )
        self._sleep = sleep
        self._async_sleep = async_sleep
        #: Version id -> openapi_schema. Versions are immutable, so this never goes stale.
        self.schema_cache: dict[str, Any] = {}

    @property
    def poll_interval(self) -> float:
        """Seconds between polls while waiting for a prediction or training."""
        return self.config.poll_interval

    # -- transports ---------------------------------------------------------------------------

    @property
    def sync_transport(self) -> SyncTransport:
        if self._sync is None:
            self._sync = cast(SyncTransport, self._make(awaited=False))
        return self._sync

    @property
    def async_transport(self) -> AsyncTransport:
        if self._async is None:
            self._async = cast(AsyncTransport, self._make(awaited=True))
        return self._async

    def _make(self, *, awaited: bool) -> object:
        # Imported on first use: most programs never need gRPC, and none needs both at once.
        from replicate_kit._transport import http

        make_http = (
            functools.partial(
                http.AsyncHTTPTransport,
                self.config,
                self._async_http_client,
                self._async_httpx_options,
            )
            if awaited
            else functools.partial(
                http.HTTPTransport, self.config, self._http_client, self._httpx_options
            )
        )
        if self._transport_name != "grpc":
            return make_http()
        from replicate_kit._transport import grpc

        kind = grpc.AsyncGRPCTransport if awaited else grpc.GRPCTransport
        return kind(self.config, self._grpc_target, make_http)  # type: ignore[arg-type]

    def close(self) -> None:
        if self._sync is not None:
            self._sync.close()

    async def aclose(self) -> None:
        if self._async is not None:
            await self._async.aclose()

    # -- calls with retries -------------------------------------------------------------------

    def send(self, call: Call) -> Any:
        recording = current_recording()
        if recording is None:
            return self._retrying(call, self.sync_transport.send)
        received: Received = self._retrying(call, self._send_received)
        recording.add(received)
        return received.data

    def _send_received(self, call: Call) -> Received:
        transport = self.sync_transport
        send_received = getattr(transport, "send_received", None)
        if send_received is None:
            raise _no_envelope(transport)
        received: Received = send_received(call)
        return received

    def _retrying(self, call: Call, send: Callable[[Call], R]) -> R:
        attempt = 0
        while True:
            try:
                return send(call)
            except (ReplicateError, APIConnectionError) as error:
                delay = self.config.retry.next_delay(call.kind, error, attempt)
                if delay is None:
                    raise
                log.debug("retrying %s after %s in %.2fs", call.op, type(error).__name__, delay)
                self._sleep(delay)
                attempt += 1

    async def asend(self, call: Call) -> Any:
        recording = current_recording()
        if recording is None:
            return await self._aretrying(call, self.async_transport.send)
        received: Received = await self._aretrying(call, self._asend_received)
        recording.add(received)
        return received.data

    async def _asend_received(self, call: Call) -> Received:
        transport = self.async_transport
        send_received = getattr(transport, "send_received", None)
        if send_received is None:
            raise _no_envelope(transport)
        received: Received = await send_received(call)
        return received

    async def _aretrying(self, call: Call, send: Callable[[Call], Awaitable[R]]) -> R:
        attempt = 0
        while True:
            try:
                return await send(call)
            except (ReplicateError, APIConnectionError) as error:
                delay = self.config.retry.next_delay(call.kind, error, attempt)
                if delay is None:
                    raise
                log.debug("retrying %s after %s in %.2fs", call.op, type(error).__name__, delay)
                await self._async_sleep(delay)
                attempt += 1

    # -- flows --------------------------------------------------------------------------------

    def execute(self, flow: Flow[T]) -> T:
        """Run a flow to completion, blocking."""
        try:
            effect = next(flow)
            while True:
                try:
                    if isinstance(effect, Sleep):
                        self._sleep(effect.seconds)
                        result: Any = None
                    else:
                        result = self.send(effect)
                except Exception as error:
                    effect = flow.throw(error)
                else:
                    effect = flow.send(result)
        except StopIteration as stop:
            value: T = stop.value
            return value

    async def aexecute(self, flow: Flow[T]) -> T:
        """Run a flow to completion on the event loop."""
        try:
            effect = next(flow)
            while True:
                try:
                    if isinstance(effect, Sleep):
                        await self._async_sleep(effect.seconds)
                        result: Any = None
                    else:
                        result = await self.asend(effect)
                except Exception as error:
                    effect = flow.throw(error)
                else:
                    effect = flow.send(result)
        except StopIteration as stop:
            value: T = stop.value
            return value

    # -- event streams ------------------------------------------------------------------------

    def _reconnect_delay(
        self, state: StreamState, error: BaseException | None, attempt: int
    ) -> float:
        failure = error or APIConnectionError("The event stream ended before its done event")
        delay = self.config.retry.next_delay("read", failure, attempt)
        if delay is None:
            if error is not None:
                raise error
            raise StreamError("The event stream kept ending before its done event")
        return delay

    def events(self, url: str) -> Iterator[ServerSentEvent]:
        """Follow an SSE stream to its ``done`` event, resuming after drops."""
        state = StreamState()
        failures = 0
        while True:
            error: BaseException | None = None
            try:
                with self.sync_transport.events(
                    url, last_event_id=state.last_event_id
                ) as raw_events:
                    for raw in raw_events:
                        event = state.accept(raw)
                        if event is not None:
                            failures = 0
                            yield event
                        if state.finished:
                            return
            except (APIConnectionError, ReplicateError) as exc:
                error = exc  # the retry policy decides: a 401 or 404 is raised, a 503 retried
            self._sleep(self._reconnect_delay(state, error, failures))
            failures += 1

    async def aevents(self, url: str) -> AsyncIterator[ServerSentEvent]:
        """Async :meth:`events`."""
        state = StreamState()
        failures = 0
        while True:
            error: BaseException | None = None
            try:
                async with self.async_transport.events(
                    url, last_event_id=state.last_event_id
                ) as raw_events:
                    async for raw in raw_events:
                        event = state.accept(raw)
                        if event is not None:
                            failures = 0
                            yield event
                        if state.finished:
                            return
            except (APIConnectionError, ReplicateError) as exc:
                error = exc  # the retry policy decides: a 401 or 404 is raised, a 503 retried
            await self._async_sleep(self._reconnect_delay(state, error, failures))
            failures += 1
