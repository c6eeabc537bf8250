"""Stream events (``routes_streams.stream_events``) as StreamPredictionResponse messages."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator

from replicate_kit_grpc.v1 import predictions_pb2

from mock_server.engine.jobs import StreamEvent
from mock_server.http.routes_streams import event_data

#: An event as (name, id, data): what an SSE client reads.
Event = tuple[str, str, str]
Message = predictions_pb2.StreamPredictionResponse

#: Most events, and about the most bytes of event data, one batched message carries: a reader
#: that fell far behind (or a replay of a long finished stream) still gets messages well under the
#: 4 MB default receive limit of gRPC clients.
MAX_BATCH_EVENTS = 2048
MAX_BATCH_BYTES = 1024 * 1024


def _sse_text(data: str) -> str:
    """``data`` as an SSE client reads it back: a CR that ends a data line is part of the line
    break (the events gRPC sent before it read the engine directly came through an SSE parser)."""
    if "\r" not in data:
        return data
    return "\n".join(line.removesuffix("\r") for line in data.split("\n"))


def sse_events(batch: Iterable[StreamEvent], root: str) -> Iterator[Event]:
    """The events as (name, id, data), with the data an SSE client of the same stream reads."""
    for event in batch:
        name = event.event
        value = event.data
        # Token outputs are nearly every event: skip the general rendering for plain text.
        data = value if name == "output" and type(value) is str else event_data(event, root)
        yield name, f"{int(event.at)}:{event.seq}", _sse_text(data)


def _json_object(data: str) -> dict[str, object]:
    try:
        parsed = json.loads(data) if data.strip() else {}
    except ValueError:
        return {}
    return parsed if isinstance(parsed, dict) else {}


def fill(message: Message, event: Event) -> bool:
    """Write one event into ``message``; False for events the contract does not define."""
    name, event_id, data = event
    if name == "output":
        message.output = data
    elif name == "logs":
        message.logs = data
    elif name == "error":
        detail = _json_object(data).get("detail")
        message.error.detail = detail if isinstance(detail, str) else data
    elif name == "done":
        message.done.SetInParent()
        reason = _json_object(data).get("reason")
        if isinstance(reason, str):
            message.done.reason = reason
    else:
        return False
    message.id = event_id
    return True


def singles(events: Iterable[Event]) -> Iterator[Message]:
    """One message per event (the form for requests without ``batch``)."""
    for event in events:
        message = Message()
        if fill(message, event):
            yield message


def batches(events: Iterable[Event]) -> Iterator[Message]:
    """The events in as few messages as the batch limits allow (the batched form).

    A single event keeps the one-event form: it is smaller and readable by any client.
    """
    message = Message()
    entries = message.events
    count = size = 0
    for event in events:
        name, event_id, data = event
        # Attribute writes on an added message: several times faster than add(**fields).
        entry = entries.add()
        if name == "output":  # nearly every event of a token stream
            entry.output = data
            entry.id = event_id
        elif not fill(entry, event):
            del entries[-1]
            continue
        count += 1
        size += len(event_id) + len(data)
        if count == MAX_BATCH_EVENTS or size >= MAX_BATCH_BYTES:
            yield message
            message = Message()
            entries = message.events
            count = size = 0
    if count == 1:
        yield entries[0]
    elif count:
        yield message
