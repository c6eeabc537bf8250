"""Server-sent events of a prediction (``replicate_kit.stream``).

``str(event)`` is the text of an ``output`` event, so token streams print as-is::

    for event in replicate_kit.stream("meta/meta-llama-3-8b-instruct", input={"prompt": "hi"}):
        print(str(event), end="")
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from replicate_kit._transport.base import RawEvent
from replicate_kit.exceptions import StreamError

if TYPE_CHECKING:
    from replicate_kit.helpers import FileOutput

__all__ = ["ServerSentEvent", "StreamState"]


@dataclass(frozen=True)
class ServerSentEvent:
    """One event: ``event`` is ``output``, ``logs``, ``error`` or ``done``.

    Example::

        for event in client.stream("meta/meta-llama-3-8b-instruct", input={"prompt": "Hi"}):
            if event.event == "logs":
                log.info(event.data)
            print(event, end="")  # str(event) is the output text ("" for other events)
    """

    class EventType(StrEnum):
        """Known event names (same values as the official client's enum)."""

        OUTPUT = "output"
        LOGS = "logs"
        ERROR = "error"
        DONE = "done"

    event: str
    #: The event's text; a :class:`~replicate_kit.helpers.FileOutput` for file outputs
    #: when the stream was opened with ``use_file_output=True``.
    data: str | FileOutput
    id: str | None = None
    retry: int | None = None

    def __str__(self) -> str:
        return str(self.data) if self.event == "output" else ""

    def json(self) -> object:
        """The data parsed as JSON (``error``/``done`` events carry JSON)."""
        return json.loads(str(self.data)) if self.data else {}


_KNOWN = frozenset(e.value for e in ServerSentEvent.EventType)


class StreamState:
    """Decides what each raw event means; tracks the id to resume from. Pure.

    ``accept`` returns the event to hand to the caller, or None for unknown
    event names. ``done`` is handed over too (as the official client does) and
    sets ``finished``; an ``error`` event or ``done`` with reason ``error`` raises.
    """

    def __init__(self) -> None:
        self.last_event_id: str | None = None
        self.finished = False
        self.reason: str | None = None

    def accept(self, raw: RawEvent) -> ServerSentEvent | None:
        if raw.id:
            self.last_event_id = raw.id
        if raw.event not in _KNOWN:
            return None
        event = ServerSentEvent(event=raw.event, data=raw.data, id=raw.id, retry=raw.retry)
        if raw.event == "error":
            raise StreamError(_error_text(raw.data))
        if raw.event == "done":
            self.finished = True
            self.reason = _done_reason(raw.data)
            if self.reason == "error":
                raise StreamError("The prediction failed (stream ended with reason 'error')")
        return event


def _error_text(data: str) -> str:
    try:
        parsed = json.loads(data)
    except ValueError:
        return data or "The prediction failed"
    if isinstance(parsed, dict):
        detail = parsed.get("detail") or parsed.get("error") or parsed.get("message")
        if isinstance(detail, str):
            return detail
    return data


def _done_reason(data: str) -> str | None:
    try:
        parsed = json.loads(data) if data.strip() else {}
    except ValueError:
        return None
    reason = parsed.get("reason") if isinstance(parsed, dict) else None
    return reason if isinstance(reason, str) and reason else None
