"""Server-sent events of a prediction (``replicate_kit.stream``).

``str(event)`` is the text of an ``output`` event, so token streams print as-is::

    for event in replicate_kit.stream("meta/meta-llama-3-8b-instruct", input={"prompt": "hi"}):
        print(str(event), end="")
"""

from __future__ import annotations

import json
from enum import StrEnum
from functools import partial
from itertools import takewhile
from typing import TYPE_CHECKING, NamedTuple

from replicate_kit._transport.base import Batch, RawEvent
from replicate_kit.exceptions import StreamError

if TYPE_CHECKING:
    from replicate_kit.helpers import FileOutput

__all__ = ["ServerSentEvent", "StreamState"]


class _Fields(NamedTuple):
    event: str
    #: The event's text; a :class:`~replicate_kit.helpers.FileOutput` for file outputs
    #: when the stream was opened with ``use_file_output=True``.
    data: str | FileOutput
    id: str | None = None
    retry: int | None = None


class ServerSentEvent(_Fields):
    """One event: ``event`` is ``output``, ``logs``, ``error`` or ``done``. Immutable.

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

    # A named tuple (one is made per token, and a frozen dataclass cost several times as much).
    __slots__ = ()

    def __str__(self) -> str:
        return str(self.data) if self.event == "output" else ""

    def json(self) -> object:
        """The data parsed as JSON (``error``/``done`` events carry JSON)."""
        return json.loads(str(self.data)) if self.data else {}


_KNOWN = frozenset(e.value for e in ServerSentEvent.EventType)
# Events that neither end the stream nor raise: a batch of only these passes through whole.
_PLAIN = frozenset((ServerSentEvent.EventType.OUTPUT.value, ServerSentEvent.EventType.LOGS.value))
# A raw event has the same fields in the same order: copied into the public type in C.
_public = partial(tuple.__new__, ServerSentEvent)


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

    def accept(self, raw: RawEvent | ServerSentEvent) -> ServerSentEvent | None:
        if raw.id:
            self.last_event_id = raw.id
        if raw.event not in _KNOWN:
            return None
        event = raw if isinstance(raw, ServerSentEvent) else _public(raw)
        if raw.event == "error":
            raise StreamError(_error_text(str(raw.data)))
        if raw.event == "done":
            self.finished = True
            self.reason = _done_reason(str(raw.data))
            if self.reason == "error":
                raise StreamError("The prediction failed (stream ended with reason 'error')")
        return event

    def accept_all(self, batch: Batch[ServerSentEvent]) -> int:
        """:meth:`accept` for the leading ``output`` and ``logs`` events of a batch, in one
        step (no per-event Python call): how many they are. The caller takes the rest, if
        any, one by one (a stream's last batch ends with ``done``, and the events before an
        ``error`` must reach the caller before it is raised)."""
        names = batch.names
        if set(names) <= _PLAIN:
            plain = len(names)
        else:
            plain = len(list(takewhile(_PLAIN.__contains__, names)))
        ids = batch.ids
        for index in range(plain - 1, -1, -1):
            if ids[index]:
                self.last_event_id = ids[index]
                break
        return plain


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
