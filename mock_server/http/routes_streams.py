"""A prediction's event stream: one source of due events, rendered as SSE at ``urls.stream``.

``stream_events`` is the one source both transports read: the SSE route formats its batches as
text, gRPC ``StreamPrediction`` fills response messages from them (``mock_server.grpc.events``),
so both send the same events with the same ids. The stream works without an Authorization header.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncGenerator, AsyncIterator, Sequence
from typing import Any

import orjson
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse

from mock_server.engine import timekeeper
from mock_server.engine.bodies import decimal
from mock_server.engine.core import Engine
from mock_server.engine.errors import not_found
from mock_server.engine.jobs import FileRef, Job, StreamEvent
from mock_server.engine.render import render_value
from mock_server.engine.webhooks import ORIGIN
from mock_server.http.context import authenticate, engine_of, root_url
from mock_server.http.operation import Call, Endpoint, Operation

KEEP_ALIVE = ": keep-alive\n\n"


def event_id(event: StreamEvent) -> str:
    return f"{int(event.at)}:{event.seq}"


def event_data(event: StreamEvent, root: str) -> str:
    value: Any = event.data
    if event.event in ("output", "logs"):
        if isinstance(value, str):
            return value
        if isinstance(value, FileRef):
            return str(render_value(value, root))
        return orjson.dumps(render_value(value, root)).decode()
    return orjson.dumps(value).decode()


def format_event(event: StreamEvent, root: str) -> str:
    data = event_data(event, root)
    if "\n" in data:
        data = data.replace("\n", "\ndata: ")
    return f"event: {event.event}\nid: {int(event.at)}:{event.seq}\ndata: {data}\n\n"


def parse_last_event_id(value: str | None) -> int:
    """Our ids are ``<unix>:<seq>``; anything unparseable replays from the start."""
    if not value:
        return 0
    _, _, seq = value.strip().rpartition(":")
    return decimal(seq) or 0


def find_job(source: Request | Call) -> Job:
    """The prediction a stream request names.

    With a token the prediction must belong to its account; without one (the JS client sends
    none) the unguessable prediction id is the capability.
    """
    engine = engine_of(source)
    prediction_id = source.path_params["prediction_id"]
    if source.headers.get("authorization") is not None:
        account = authenticate(source)
        with engine.lock:
            return engine.get_job(account, prediction_id)
    with engine.lock:
        found = engine.jobs.get(prediction_id)
        if found is None:
            engine.settle_watched()
        else:
            engine.catch_up(found)
    if found is None or found.kind != "prediction":
        raise not_found(f"The prediction {prediction_id} does not exist")
    return found


async def stream_events(
    engine: Engine, job: Job, root: str, after: int, drop_after: int | None
) -> AsyncGenerator[Sequence[StreamEvent], None]:
    """The events of ``job`` after sequence number ``after``, in batches of what is due.

    Each batch is everything due when the reader asked for more, so a slow reader gets fewer,
    larger batches. An empty batch means nothing came for the keep-alive interval. Ends after
    ``done``, after ``drop_after`` events (an injected dropped stream), or at once when the job
    is terminal and the reader has all its events.
    """
    sent = 0
    cursor = after
    keepalive = engine.config.keepalive_interval
    last_write = time.monotonic()
    while True:
        with engine.lock:
            # Webhooks of changes applied here point at the root this stream was addressed by.
            origin = ORIGIN.set(root)
            try:
                engine.catch_up(job)
            finally:
                ORIGIN.reset(origin)
            fresh = job.events[cursor:]
            # A terminal job gets no more events: a client that resumed past its last one
            # (or at its end) has everything, so end instead of waiting forever.
            exhausted = not fresh and job.terminal
        if exhausted:
            return
        if drop_after is not None and sent + len(fresh) > drop_after:
            fresh = fresh[: drop_after - sent]
        if fresh:
            yield fresh
            last_write = time.monotonic()
            sent += len(fresh)
            cursor = fresh[-1].seq
            # ``done`` is the last event a job emits (once, as it finishes).
            if fresh[-1].event == "done":
                return
        if drop_after is not None and sent >= drop_after:
            return
        with engine.lock:
            pause = timekeeper.stream_pause(engine, job)
        if pause == 0:
            continue
        if time.monotonic() - last_write >= keepalive:
            yield ()
            last_write = time.monotonic()
        await asyncio.sleep(pause)


#: Events per write of a backlog. A finished prediction's replay is all due at once: written
#: whole, the client got its first byte only once the mock had formatted every event; in pieces
#: it reads one while the next is formatted, and a piece still costs one send, not hundreds.
WRITE_EVENTS = 1024


async def _sse(events: AsyncIterator[Sequence[StreamEvent]], root: str) -> AsyncIterator[str]:
    async for batch in events:
        if not batch:
            yield KEEP_ALIVE
            continue
        # A one-line text output (a token: nearly every event) is formatted in place, a quarter
        # faster than the call.
        for start in range(0, len(batch), WRITE_EVENTS):
            yield "".join(
                [
                    f"event: output\nid: {int(event.at)}:{event.seq}\ndata: {data}\n\n"
                    if event.event == "output"
                    and type(data := event.data) is str
                    and "\n" not in data
                    else format_event(event, root)
                    for event in batch[start : start + WRITE_EVENTS]
                ]
            )


async def prediction_stream(request: Request) -> Response:
    """``/v1/predictions/{id}/stream`` (what ``urls.stream`` points at)."""
    engine = engine_of(request)
    job = find_job(request)
    after = parse_last_event_id(request.headers.get("last-event-id"))
    state = request.scope.get("state", {})
    drop_after = state.get("drop_stream_after") if isinstance(state, dict) else None
    root = root_url(request)
    return StreamingResponse(
        _sse(stream_events(engine, job, root, after, drop_after), root),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )


#: operationId -> its handler; the method and path come from the operation table.
HANDLERS: dict[str, Operation | Endpoint] = {
    "predictions.stream": prediction_stream,
}
