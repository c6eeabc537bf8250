"""Reading a stream a read at a time: the decoder's one-regex path for chunks of usual events,
and the order of events and errors inside one read."""

from __future__ import annotations

import asyncio
import random

import pytest

from replicate_kit import exceptions as exc
from replicate_kit._transport.sse import SseDecoder

from .conftest import FakeAPI, V, prediction, sse, sse_response
from .test_sse_decoder import _reference

# Blocks that look almost like the usual event; each must send its chunk the general way.
ODD = [
    "event: output\nid: bad\0id\ndata: x\n\n",
    "event: output\nid: \ndata: x\n\n",
    "event: \nid: 1:9\ndata: x\n\n",
    "event: output\nid: 1:9\ndata: a\ndata: b\n\n",
    "retry: 1500\nevent: output\nid: 1:9\ndata: x\n\n",
    ": keep-alive\n\n",
    "\n",
    "event: logs\ndata: no id\n\n",
    "event: output\nid: 1:9\ndata: x\nid: 1:10\n\n",
    # Whole blocks between output events: read the general way, the outputs around them not.
    "event: logs\nid: 1:9\ndata: l\n\n",
    "event: done\nid: 1:9\ndata: {}\n\n",
    "event: logs\ndata: carries the last id\n\n",
    "retry: 1500\n\n",
    "\n\n",
    # Lines that join the next block: an output match after them starts inside a block.
    "data: a\n",
    "id: 7\n",
    "event: logs\n",
    "data: xevent: output\nid: 1:9\ndata: y\n\n",
    "data: x",
]


def _usual(n: int) -> str:
    return f"event: output\nid: 1700000000:{n}\ndata:  t{n}\n\n"


@pytest.mark.parametrize("seed", range(200))
def test_chunks_of_usual_events_read_as_httpx_sse_reads_them(seed: int) -> None:
    rng = random.Random(seed)
    parts = [_usual(n) for n in range(rng.randrange(1, 60))]
    # Up to a few odd blocks (the output runs' path), sometimes many (the general one).
    for _ in range(rng.choice([0, 1, 2, 3, rng.randrange(0, 60)])):
        parts.insert(rng.randrange(len(parts) + 1), rng.choice(ODD))
    text = "".join(parts)
    # Cut mostly at event ends, as the mock's writes arrive, and sometimes anywhere.
    ends = [i + 2 for i in range(len(text) - 1) if text[i : i + 2] == "\n\n"]
    cuts = sorted({*rng.sample(ends, min(len(ends), 3)), rng.randrange(len(text) + 1)})
    chunks = [text[a:b] for a, b in zip([0, *cuts], [*cuts, len(text)], strict=True) if b > a]
    decoder = SseDecoder()
    ours = [event for chunk in chunks for event in decoder.feed(chunk)]
    assert ours == _reference(chunks)


def test_a_batch_builds_any_slice_of_its_events() -> None:
    batch = SseDecoder().feed("".join(_usual(n) for n in range(5)))
    assert len(batch) == 5
    assert [e.data for e in batch.events(3)] == [" t3", " t4"]
    assert [e.id for e in batch.events(1, 3)] == ["1700000000:1", "1700000000:2"]


def _failing(api: FakeAPI) -> FakeAPI:
    body = sse(("output", "a", "1"), ("logs", "l", "2"), ("error", '{"detail": "boom"}', "3"))
    api.on("POST /predictions", (201, prediction()))
    api.on("GET /predictions/p1/stream", sse_response(body))
    return api


def test_the_events_before_an_error_in_the_same_read_come_first(api: FakeAPI) -> None:
    seen = []
    with pytest.raises(exc.StreamError, match="boom") as info:
        for event in _failing(api).client().stream(V, input={}):
            seen.append((event.event, event.data))
    assert seen == [("output", "a"), ("logs", "l")]
    assert info.value.prediction_id == "p1"


def test_async_too(api: FakeAPI) -> None:
    client = _failing(api).client()
    seen = []

    async def main() -> None:
        async for event in client.async_stream(V, input={}):
            seen.append((event.event, event.data))

    with pytest.raises(exc.StreamError, match="boom") as info:
        asyncio.run(main())
    assert seen == [("output", "a"), ("logs", "l")]
    assert info.value.prediction_id == "p1"
