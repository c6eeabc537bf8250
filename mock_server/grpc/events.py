"""Server-sent events (as the HTTP stream route writes them) to StreamPredictionResponse."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field

from replicate_kit_grpc.v1 import predictions_pb2


@dataclass
class SseParser:
    """Incremental parser: feed bytes, get complete events as (event, id, data)."""

    _buffer: str = ""
    _pending: bytes = b""
    _lines: list[str] = field(default_factory=list)

    def feed(self, chunk: bytes) -> Iterator[tuple[str, str, str]]:
        data = self._pending + chunk
        try:
            text = data.decode("utf-8")
            self._pending = b""
        except UnicodeDecodeError as exc:  # a multi-byte character split across chunks
            text = data[: exc.start].decode("utf-8")
            self._pending = data[exc.start :]
        # Split once: taking one line at a time off the front copied the rest of the buffer
        # for every line, quadratic in the size of a chunk (the HTTP route writes every due
        # event in one chunk).
        *lines, self._buffer = (self._buffer + text.replace("\r\n", "\n")).split("\n")
        for line in lines:
            if line:
                self._lines.append(line)
                continue
            event = self._dispatch()
            if event is not None:
                yield event

    def _dispatch(self) -> tuple[str, str, str] | None:
        name, event_id, data = "message", "", []
        for line in self._lines:
            if line.startswith(":"):
                continue  # comment (keep-alive)
            key, _, value = line.partition(":")
            value = value.removeprefix(" ")
            if key == "event":
                name = value
            elif key == "id":
                event_id = value
            elif key == "data":
                data.append(value)
        self._lines = []
        if not data and name == "message":
            return None
        return name, event_id, "\n".join(data)


def _json_object(data: str) -> dict[str, object]:
    try:
        parsed = json.loads(data) if data.strip() else {}
    except ValueError:
        return {}
    return parsed if isinstance(parsed, dict) else {}


def to_message(
    name: str, event_id: str, data: str
) -> predictions_pb2.StreamPredictionResponse | None:
    """The RPC message of one event; None for events the contract does not define."""
    message = predictions_pb2.StreamPredictionResponse(id=event_id)
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
        return None
    return message
