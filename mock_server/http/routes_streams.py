"""Server-sent events at ``urls.stream``; works without an Authorization header."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
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
from mock_server.http.context import authenticate, engine_of, root_url
from mock_server.http.operation import Endpoint, Operation


def event_data(event: StreamEvent, root: str) -> str:
    if event.event in ("output", "logs"):
        value: Any = event.data
        if isinstance(value, str):
            return value
        if isinstance(value, FileRef):
            return str(render_value(value, root))
        return orjson.dumps(render_value(value, root)).decode()
    return orjson.dumps(event.data).decode()


def format_event(event: StreamEvent, root: str) -> str:
    lines = [f"event: {event.event}", f"id: {int(event.at)}:{event.seq}"]
    lines += [f"data: {line}" for line in event_data(event, root).split("\n")]
    return "\n".join(lines) + "\n\n"


def parse_last_event_id(value: str | None) -> int:
    """Our ids are ``<unix>:<seq>``; anything unparseable replays from the start."""
    if not value:
        return 0
    _, _, seq = value.strip().rpartition(":")
    return decimal(seq) or 0


async def _events(
    engine: Engine, job: Job, root: str, after: int, drop_after: int | None
) -> AsyncIterator[str]:
    sent = 0
    cursor = after
    keepalive = engine.config.keepalive_interval
    last_write = time.monotonic()
    while True:
        with engine.lock:
            engine.settle()
            fresh = job.events[cursor:]
            # A terminal job gets no more events: a client that resumed past its last one
            # (or at its end) has everything, so end instead of waiting forever.
            exhausted = not fresh and job.terminal
        if exhausted:
            return
        batch: list[str] = []
        finished = False
        for event in fresh:
            if drop_after is not None and sent >= drop_after:
                finished = True
                break
            batch.append(format_event(event, root))
            cursor = event.seq
            sent += 1
            if event.event == "done":
                finished = True
                break
        if batch:
            # One write for all the events that are due, not one per event: a burst of
            # tokens then costs one send through the server instead of hundreds.
            yield "".join(batch)
            last_write = time.monotonic()
        if finished or (drop_after is not None and sent >= drop_after):
            return
        with engine.lock:
            pause = timekeeper.stream_pause(engine, job)
        if pause == 0:
            continue
        if time.monotonic() - last_write >= keepalive:
            yield ": keep-alive\n\n"
            last_write = time.monotonic()
        await asyncio.sleep(pause)


async def prediction_stream(request: Request) -> Response:
    """``/v1/predictions/{id}/stream`` (what ``urls.stream`` points at).

    With a token the prediction must belong to its account; without one (the JS client sends
    none) the unguessable prediction id is the capability.
    """
    engine = engine_of(request)
    prediction_id = request.path_params["prediction_id"]
    if request.headers.get("authorization") is not None:
        account = authenticate(request)
        with engine.lock:
            job = engine.get_job(account, prediction_id)
    else:
        with engine.lock:
            engine.settle()
            found = engine.jobs.get(prediction_id)
        if found is None or found.kind != "prediction":
            raise not_found(f"The prediction {prediction_id} does not exist")
        job = found
    return _stream_response(request, engine, job)


def _stream_response(request: Request, engine: Engine, job: Job) -> Response:
    after = parse_last_event_id(request.headers.get("last-event-id"))
    state = request.scope.get("state", {})
    drop_after = state.get("drop_stream_after") if isinstance(state, dict) else None
    return StreamingResponse(
        _events(engine, job, root_url(request), after, drop_after),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )


#: operationId -> its handler; the method and path come from the operation table.
HANDLERS: dict[str, Operation | Endpoint] = {
    "predictions.stream": prediction_stream,
}
