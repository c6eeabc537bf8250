"""Server-sent events (as the HTTP stream route writes them) to StreamPredictionResponse."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass

from replicate_kit_grpc.v1 import predictions_pb2

Event = tuple[str, str, str]

#: Most events, and about the most bytes of event data, one batched message carries: a reader
#: that fell far behind (or a replay of a long finished stream) still gets messages well under the
#: 4 MB default receive limit of gRPC clients.
MAX_BATCH_EVENTS = 2048
MAX_BATCH_BYTES = 1024 * 1024


@dataclass
class SseParser:
    """Incremental parser: feed bytes, get complete events as (event, id, data)."""

    _buffer: str = ""
    _pending: bytes = b""

    def feed(self, chunk: bytes) -> list[Event]:
        data = self._pending + chunk if self._pending else chunk
        try:
            text = data.decode("utf-8")
            self._pending = b""
        except UnicodeDecodeError as exc:  # a multi-byte character split across chunks
            text = data[: exc.start].decode("utf-8")
            self._pending = data[exc.start :]
        if "\r" in text:
            text = text.replace("\r\n", "\n")
        # Split whole events once per chunk: the HTTP route writes every due event in one chunk,
        # and going line by line through a growing buffer cost more than the events' formatting.
        *blocks, self._buffer = (self._buffer + text).split("\n\n")
        out: list[Event] = []
        append = out.append
        for block in blocks:
            # Fast path for the route's own layout (event, id, one data line); anything else
            # (comments, multi-line data, other field orders) takes the general one.
            parts = block.split("\n")
            if (
                len(parts) == 3
                and parts[0][:7] == "event: "
                and parts[1][:4] == "id: "
                and parts[2][:6] == "data: "
            ):
                append((parts[0][7:], parts[1][4:], parts[2][6:]))
                continue
            event = _dispatch(parts)
            if event is not None:
                append(event)
        return out


def _dispatch(lines: list[str]) -> Event | None:
    name, event_id, data = "message", "", []
    for line in lines:
        if not line or line[0] == ":":
            continue  # a blank line of a longer separator, or a comment (keep-alive)
        key, _, value = line.partition(":")
        if value[:1] == " ":
            value = value[1:]
        if key == "data":
            data.append(value)
        elif key == "event":
            name = value
        elif key == "id":
            event_id = value
    if not data and name == "message":
        return None
    return name, event_id, "\n".join(data)


def _json_object(data: str) -> dict[str, object]:
    try:
        parsed = json.loads(data) if data.strip() else {}
    except ValueError:
        return {}
    return parsed if isinstance(parsed, dict) else {}


def fill(message: predictions_pb2.StreamPredictionResponse, event: Event) -> bool:
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


def to_message(
    name: str, event_id: str, data: str
) -> predictions_pb2.StreamPredictionResponse | None:
    """The RPC message of one event; None for events the contract does not define."""
    message = predictions_pb2.StreamPredictionResponse()
    return message if fill(message, (name, event_id, data)) else None


def batches(events: list[Event]) -> Iterator[predictions_pb2.StreamPredictionResponse]:
    """The events in as few messages as the batch limits allow (the batched form).

    A single event keeps the one-event form: it is smaller and readable by any client.
    """
    message = predictions_pb2.StreamPredictionResponse()
    count = size = 0
    for event in events:
        # Attribute writes on an added message: several times faster than add(**fields).
        if not fill(message.events.add(), event):
            del message.events[-1]
            continue
        count += 1
        size += len(event[1]) + len(event[2])
        if count == MAX_BATCH_EVENTS or size >= MAX_BATCH_BYTES:
            yield message
            message = predictions_pb2.StreamPredictionResponse()
            count = size = 0
    if count == 1:
        yield message.events[0]
    elif count:
        yield message
