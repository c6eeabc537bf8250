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
import itertools
import logging
import time
from collections.abc import (
    AsyncIterator,
    Awaitable,
    Callable,
    Generator,
    Iterable,
    Iterator,
    Mapping,
)
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Generic, Literal, TypeVar, cast

import httpx

from replicate_kit._calls import Call, Flow, Sleep
from replicate_kit._config import ClientConfig
from replicate_kit._raw import current_recording
from replicate_kit._reconcile import Reconciler
from replicate_kit._retry import RetryPolicy
from replicate_kit._transport.base import AsyncTransport, Batch, SyncTransport
from replicate_kit.exceptions import (
    APIConnectionError,
    ReplicateError,
    ReplicateException,
    StreamError,
    with_prediction_id,
)
from replicate_kit.stream import ServerSentEvent, StreamState

T = TypeVar("T")
log = logging.getLogger("replicate_kit")

TransportName = Literal["http", "grpc"]
R = TypeVar("R")


@dataclass(frozen=True)
class _Attempt:
    """Send ``call`` once; ``enveloped``: with its response envelope (``send_received``)."""

    call: Call
    enveloped: bool


@dataclass(frozen=True)
class _Failed:
    """What a step raised."""

    error: Exception


def _runner(
    step: _Attempt | Sleep, transport: SyncTransport | AsyncTransport, sleep: Callable[[float], Any]
) -> Callable[[], Any]:
    if isinstance(step, Sleep):
        return functools.partial(sleep, step.seconds)
    if not step.enveloped:
        return functools.partial(transport.send, step.call)
    send_received = getattr(transport, "send_received", None)
    if send_received is None:
        raise _no_envelope(transport)
    return functools.partial(send_received, step.call)


class _Plan(Generic[T]):
    """One run of a flow, free of I/O: the steps to perform (attempts of its calls, pauses),
    each told its outcome. Retries are decided here, so ``execute`` and ``aexecute`` only
    perform steps, blocking or awaited."""

    def __init__(
        self, retry: RetryPolicy, flow: Flow[T], clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._retry = retry
        self._flow = flow
        self._clock = clock
        self._outcome: Any = None
        # Inside with_raw_response, each call's envelope is kept (the last one is the answer).
        self._recording = current_recording()
        self.value: T

    def tell(self, outcome: Any) -> None:
        """The outcome of the last step: its result, or :class:`_Failed`."""
        self._outcome = outcome

    def __iter__(self) -> Iterator[_Attempt | Sleep]:
        try:
            effect = next(self._flow)
            while True:
                if isinstance(effect, Sleep):
                    yield effect
                    outcome = self._outcome if isinstance(self._outcome, _Failed) else None
                else:
                    outcome = yield from self._attempts(effect)
                if isinstance(outcome, _Failed):
                    effect = self._flow.throw(outcome.error)
                else:
                    effect = self._flow.send(outcome)
        except StopIteration as stop:
            self.value = stop.value

    def _attempts(self, call: Call) -> Generator[_Attempt | Sleep, None, Any]:
        budget = call.budget if call.budget is not None else self._retry.budget(self._clock)
        while True:
            yield _Attempt(call, enveloped=self._recording is not None)
            outcome = self._outcome
            if not isinstance(outcome, _Failed):
                if self._recording is None:
                    return outcome
                self._recording.add(outcome)
                return outcome.data
            error = outcome.error
            if not isinstance(error, ReplicateError | APIConnectionError):
                return outcome
            delay = self._retry.next_delay(call.retry, error, budget.used)
            if delay is None or not budget.allows(delay):
                return outcome
            log.debug("retrying %s after %s in %.2fs", call.op, type(error).__name__, delay)
            budget.used += 1
            yield Sleep(delay)
            if isinstance(self._outcome, _Failed):
                return self._outcome


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
        # The event loop the async transport built here runs on (its connections belong to it).
        self._async_loop: asyncio.AbstractEventLoop | None = None
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
        #: Sends this client's creates; remembers what they returned (see _reconcile).
        self.reconciler = Reconciler(config.retry)

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
        if self._async is None or self._async_loop_closed():
            self._async = cast(AsyncTransport, self._make(awaited=True))
            if self._async_http_client is None:
                self._async_loop = _running_loop()
        return self._async

    def _async_loop_closed(self) -> bool:
        """Whether the async transport built here belongs to a loop that has closed since.

        Each ``asyncio.run`` has a loop of its own: a connection kept alive from an earlier one
        cannot be used (every other call failed with 'Event loop is closed'). A transport or
        httpx client of the caller's is theirs to rebuild.
        """
        loop = self._async_loop
        return loop is not None and loop.is_closed()

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

    # -- flows, with retries -------------------------------------------------------------------

    def execute(self, flow: Flow[T]) -> T:
        """Run a flow to completion, blocking."""
        plan = _Plan(self.config.retry, flow)
        for step in plan:
            plan.tell(self._perform(step))
        return plan.value

    async def aexecute(self, flow: Flow[T]) -> T:
        """Run a flow to completion on the event loop."""
        plan = _Plan(self.config.retry, flow)
        for step in plan:
            plan.tell(await self._aperform(step))
        return plan.value

    def _perform(self, step: _Attempt | Sleep) -> Any:
        try:
            return _runner(step, self.sync_transport, self._sleep)()
        except Exception as error:
            return _Failed(error)

    async def _aperform(self, step: _Attempt | Sleep) -> Any:
        try:
            return await _runner(step, self.async_transport, self._async_sleep)()
        except Exception as error:
            return _Failed(error)

    # -- event streams ------------------------------------------------------------------------

    def events(self, url: str, prediction_id: str | None = None) -> Iterator[ServerSentEvent]:
        """Follow an SSE stream to its ``done`` event, resuming after drops; an error ending
        it names ``prediction_id`` (``error.prediction_id``)."""
        batches = self._event_batches(url)
        if prediction_id is not None:
            batches = _naming(prediction_id, batches)
        # A token costs only chain's step in C: no Python frame runs per event.
        return itertools.chain.from_iterable(batches)

    def _event_batches(self, url: str) -> Iterator[Iterable[ServerSentEvent]]:
        resume = _Resume(self.config)
        while True:
            # Opening the stream counts as part of the attempt: `with A, B` enters B inside A.
            with (
                resume.attempt(),
                self.sync_transport.events(
                    url, ServerSentEvent, last_event_id=resume.last_id
                ) as batches,
            ):
                for batch in batches:
                    events, error = resume.accept(batch)
                    yield events
                    if error is not None:
                        raise error
                    if resume.finished:
                        break
            if resume.finished:
                return
            self._sleep(resume.delay())

    async def aevents(
        self, url: str, prediction_id: str | None = None
    ) -> AsyncIterator[ServerSentEvent]:
        """Async :meth:`events`."""
        try:
            async for event in self._aevents(url):
                yield event
        except ReplicateException as error:
            if prediction_id is not None:
                with_prediction_id(error, prediction_id)
            raise

    async def _aevents(self, url: str) -> AsyncIterator[ServerSentEvent]:
        resume = _Resume(self.config)
        while not resume.finished:
            with resume.attempt():
                async with self.async_transport.events(
                    url, ServerSentEvent, last_event_id=resume.last_id
                ) as batches:
                    async for batch in batches:
                        events, error = resume.accept(batch)
                        for event in events:
                            yield event
                        if error is not None:
                            raise error
                        if resume.finished:
                            break
            if not resume.finished:
                await self._async_sleep(resume.delay())


def _running_loop() -> asyncio.AbstractEventLoop | None:
    try:
        return asyncio.get_running_loop()
    except RuntimeError:  # built ahead of use, outside any loop
        return None


def _naming(prediction_id: str, batches: Iterator[T]) -> Iterator[T]:
    """``batches``, an error they raise marked with the prediction it concerns."""
    try:
        yield from batches
    except ReplicateException as error:
        with_prediction_id(error, prediction_id)
        raise


class _Resume:
    """One event stream across its connections: what :meth:`Core.events` and ``aevents``
    share. The retry policy decides after each drop: a 401 or 404 is raised, a 503 retried."""

    def __init__(self, config: ClientConfig) -> None:
        self._config = config
        self._state = StreamState()
        self._failures = 0
        self._error: BaseException | None = None

    @property
    def last_id(self) -> str | None:
        return self._state.last_event_id

    @property
    def finished(self) -> bool:
        return self._state.finished

    @contextmanager
    def attempt(self) -> Iterator[None]:
        """One connection: a dropped or refused one is kept for :meth:`delay` to judge."""
        self._error = None
        try:
            yield
        except (APIConnectionError, ReplicateError) as error:
            self._error = error

    def accept(
        self, batch: Batch[ServerSentEvent]
    ) -> tuple[Iterable[ServerSentEvent], StreamError | None]:
        """The events of one batch up to the stream's end, and the error that ends it there:
        the events before an ``error`` event reach the caller before the error is raised."""
        plain = self._state.accept_all(batch)
        if plain:
            self._failures = 0
        if plain == len(batch):
            return batch.events(), None
        # The rest starts with an event that is not output or logs (done, most often).
        rest: list[ServerSentEvent] = []
        error = None
        try:
            for raw in batch.events(plain):
                event = self._state.accept(raw)
                if event is not None:
                    self._failures = 0
                    rest.append(event)
                if self._state.finished:
                    break
        except StreamError as failure:
            error = failure
        return (itertools.chain(batch.events(0, plain), rest) if plain else rest), error

    def delay(self) -> float:
        """Seconds before reconnecting, or the error that ends the stream."""
        error = self._error
        failure = error or APIConnectionError("The event stream ended before its done event")
        delay = self._config.retry.next_delay("idempotent", failure, self._failures)
        if delay is None:
            if error is not None:
                raise error
            raise StreamError("The event stream kept ending before its done event")
        self._failures += 1
        return delay
