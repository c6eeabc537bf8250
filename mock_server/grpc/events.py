"""Stream events (``routes_streams.stream_events``) as serialized StreamPredictionResponse messages.

A token stream is nearly all ``output`` events of a few bytes, and building a protobuf message
per event cost about three times the SSE route's formatting of the same event (1.5 vs 0.5 µs).
So text events (``output``, ``logs``) are written straight in the wire format, which for these
messages is short and fixed: ``id`` (field 1), then the event's string field, each a tag, a varint
length and UTF-8 bytes; a batch is those messages as field 6 entries. The bytes are built as a
latin-1 ``str`` (one character per byte) and encoded once per message, which is the fastest way
CPython has to concatenate many small pieces. ``error`` and ``done`` (one per stream) go through
the generated message class. tests/grpc checks the bytes against the protobuf runtime's.

To a request with ``output_runs`` set, a run of text outputs goes as one ``OutputRun``: three
columns the protobuf runtime fills and writes in C, so the Python work per token is fetching its
fields (about 150 ns, against 330 ns for a batch entry and 220 ns for the SSE route's formatting),
and the reader takes the columns whole instead of one entry object per token.
"""

from __future__ import annotations

import json
from bisect import bisect_left
from collections.abc import Callable, Iterable, Iterator, Sequence
from operator import attrgetter

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

# Wire-format tags (field number << 3 | 2, length-delimited) as latin-1 characters.
_ID = "\x0a"  # id = 1
_TEXT_FIELDS = {"output": "\x12", "logs": "\x1a"}  # output = 2, logs = 3
_ENTRY = "\x32"  # events = 6
_BYTE = [chr(n) for n in range(128)]  # a one-byte varint


def _varint(n: int) -> str:
    if n < 128:
        return _BYTE[n]
    out = []
    while n >= 128:
        out.append(chr(n & 0x7F | 0x80))
        n >>= 7
    out.append(chr(n))
    return "".join(out)


def _latin1(text: str) -> str:
    """``text``'s UTF-8 bytes, one character per byte (ASCII text is itself)."""
    return text if text.isascii() else text.encode().decode("latin-1")


def _sse_text(data: str) -> str:
    """``data`` as an SSE client reads it back: a CR that ends a data line is part of the line
    break (the events gRPC sent before it read the engine directly came through an SSE parser)."""
    if "\r" not in data:
        return data
    return "\n".join(line.removesuffix("\r") for line in data.split("\n"))


def sse_event(event: StreamEvent, root: str) -> Event:
    """The event as (name, id, data), with the data an SSE client of the same stream reads."""
    return event.event, f"{int(event.at)}:{event.seq}", _sse_text(event_data(event, root))


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


def _entry(event: Event) -> str | None:
    """The one-event message as latin-1 text; None for events the contract does not define."""
    name, event_id, data = event
    tag = _TEXT_FIELDS.get(name)
    if tag is not None:
        text = _latin1(data)
        return f"{_ID}{_varint(len(event_id))}{event_id}{tag}{_varint(len(text))}{text}"
    message = Message()
    if not fill(message, event):
        return None
    return message.SerializeToString().decode("latin-1")


def singles(batch: Iterable[StreamEvent], root: str) -> Iterator[bytes]:
    """One message per event (the form for requests without ``batch``)."""
    for event in batch:
        entry = _entry(sse_event(event, root))
        if entry is not None:
            yield entry.encode("latin-1")


def batches(batch: Sequence[StreamEvent], root: str) -> Iterator[bytes]:
    """The events in as few messages as the batch limits allow (the batched form).

    A single event keeps the one-event form: it is smaller and readable by any client.
    """
    for start in range(0, len(batch), MAX_BATCH_EVENTS):
        chunk = batch[start : start + MAX_BATCH_EVENTS]
        if len(chunk) > 1:
            tokens = _tokens(chunk)
            if tokens is None and len(chunk) > 2:
                # A finished stream's run of tokens ends with its done event.
                tokens = _tokens(chunk[:-1])
                last = _entry(sse_event(chunk[-1], root))
                if tokens is not None and last is not None:
                    tokens += f"{_ENTRY}{_varint(len(last))}{last}"
            if tokens is not None:
                yield tokens.encode("latin-1")
                continue
        yield from _general(chunk, root)


def runs(
    batch: Sequence[StreamEvent],
    root: str,
    others: Callable[[Sequence[StreamEvent], str], Iterator[bytes]] = batches,
) -> Iterator[bytes]:
    """Runs of text outputs as ``output_run`` messages, other events as ``others`` writes them.

    A chunk that is one run, or a run and one other event (a finished stream's replay ends with
    ``done``), takes the run form; a mixed one (outputs between logs) is left to ``others``.
    """
    for start in range(0, len(batch), MAX_RUN_EVENTS):
        chunk = batch[start : start + MAX_RUN_EVENTS]
        ended = len(chunk) > 2 and chunk[-1].event != "output"
        run = _output_runs(chunk[:-1] if ended else chunk) if len(chunk) > 1 else None
        if run is None:
            yield from others(chunk, root)
            continue
        yield from run
        if ended:
            yield from singles(chunk[-1:], root)


_EVENT, _DATA, _SEQ, _AT = (attrgetter(name) for name in ("event", "data", "seq", "at"))
#: Events in one run: more than a batch carries, because every message costs the server a
#: round trip through grpc.aio (a write is awaited until grpc-core has it, about 0.1-0.2 ms here)
#: and a run's columns are small. Only a backlog fills one (a replay, a reader far behind):
#: what falls due while a message is written is rarely more than a few tokens. The SSE route
#: writes such a backlog as one chunk, so a reader's first token comes no later than there.
MAX_RUN_EVENTS = 16384
#: Characters of text in one run: UTF-8 takes at most 4 bytes for each, so the text stays below
#: the batch byte limit (and the id columns add at most 20 bytes an event).
MAX_RUN_CHARS = MAX_BATCH_BYTES // 4


def _output_runs(chunk: Sequence[StreamEvent]) -> list[bytes] | None:
    """The ``output_run`` messages of a run of text outputs (halved until each fits the text
    limit); None for anything else.

    Text with a CR is left to the general path, which gives it as an SSE client reads it.
    """
    names = list(map(_EVENT, chunk))
    if names.count("output") != len(names):
        return None
    datas = list(map(_DATA, chunk))
    try:
        joined = "".join(datas)
    except TypeError:  # a file output or a JSON value: rendered by the general path
        return None
    if "\r" in joined:
        return None
    if len(joined) > MAX_RUN_CHARS:
        if len(chunk) == 1:
            return None  # one huge output: the general path bounds it in bytes
        half = len(chunk) // 2
        first, second = _output_runs(chunk[:half]), _output_runs(chunk[half:])
        return None if first is None or second is None else first + second
    message = Message()
    run = message.output_run
    run.seconds.extend(_seconds(list(map(_AT, chunk))))
    run.seqs.extend(map(_SEQ, chunk))
    run.outputs.extend(datas)
    return [message.SerializeToString()]


def _seconds(times: list[float]) -> list[int]:
    """``int(at)`` of every event (its id's first part). A job's events come in time order, so
    each second's events are found by bisection and its number repeated: converting every float
    cost more than the rest of a run."""
    if times[0] < 0 or times != sorted(times):
        return list(map(int, times))
    out: list[int] = []
    start, end = 0, len(times)
    while start < end:
        second = int(times[start])
        stop = bisect_left(times, second + 1, start)
        out += [second] * (stop - start)
        start = stop
    return out


def _tokens(chunk: Sequence[StreamEvent]) -> str | None:
    """The batch message of a run of short ASCII text outputs (a token stream); None otherwise.

    Checked for the whole run at once, then written with one format per event in which every
    length is a one-byte varint ("2", "\n" and "\x12" are the tags of events, id and output).
    At most 2048 entries of under 128 bytes: far below the byte limit of a batch.
    """
    datas = [event.data for event in chunk if event.event == "output"]
    if len(datas) != len(chunk):
        return None
    try:
        joined = "".join(datas)
    except TypeError:  # a file output or a JSON value: rendered by the general path
        return None
    if not joined.isascii() or "\r" in joined or max(map(len, datas)) >= 96:
        return None
    ids = [f"{int(event.at)}:{event.seq}" for event in chunk]
    if max(map(len, ids)) >= 28:
        return None
    b = _BYTE
    return "".join(
        [
            f"2{b[len(i) + len(d) + 4]}\n{b[len(i)]}{i}\x12{b[len(d)]}{d}"
            for i, d in zip(ids, datas, strict=True)
        ]
    )


def _general(chunk: Iterable[StreamEvent], root: str) -> Iterator[bytes]:
    parts: list[str] = []
    first = ""
    size = 0
    for event in chunk:
        one = _entry(sse_event(event, root))
        if one is None:
            continue
        entry = f"{_ENTRY}{_varint(len(one))}{one}"
        if not parts:
            first = entry
        parts.append(entry)
        size += len(entry)
        if size >= MAX_BATCH_BYTES:
            yield "".join(parts).encode("latin-1")
            parts.clear()
            size = 0
    if len(parts) == 1:
        yield _unframe(first).encode("latin-1")
    elif parts:
        yield "".join(parts).encode("latin-1")


def _unframe(entry: str) -> str:
    """The one-event message inside a field 6 entry (after its tag and length varint)."""
    end = 1
    while ord(entry[end]) & 0x80:
        end += 1
    return entry[end + 1 :]
