"""replicate_kit's SSE decoder against httpx-sse's (the reference it replaced for speed).

Random streams built from every kind of line (events, comments, multi-line data, ids with and
without NUL, retry values, CR/LF/CRLF endings, blank-line runs) are cut at random points; both
decoders must produce the same events.
"""

from __future__ import annotations

import random

import pytest
from httpx_sse._decoders import SSEDecoder, SSELineDecoder

from replicate_kit._transport.base import RawEvent
from replicate_kit._transport.sse import SseDecoder

LINES = [
    "event: output",
    "event: logs",
    "event:done",
    "event: ",
    "id: 1700000000:{n}",
    "id:{n}",
    "id: bad\0id",
    "data: t{n}",
    "data:  two spaces",
    "data:",
    "data",
    "retry: 1500",
    "retry: soon",
    ": keep-alive",
    "unknown: field",
    "",
    "",
    "",
]


def _reference(chunks: list[str]) -> list[RawEvent]:
    lines, decoder, out = SSELineDecoder(), SSEDecoder(), []
    for chunk in chunks:
        for line in lines.decode(chunk):
            sse = decoder.decode(line.rstrip("\n"))
            if sse is not None:
                out.append(RawEvent(sse.event or "message", sse.data, sse.id or None, sse.retry))
    for line in lines.flush():
        decoder.decode(line)  # an unterminated last line never completes an event
    return out


def _ours(chunks: list[str]) -> list[RawEvent]:
    decoder = SseDecoder()
    return [event for chunk in chunks for event in decoder.feed(chunk)]


def _stream(rng: random.Random) -> str:
    parts = []
    for n in range(rng.randrange(1, 40)):
        if rng.random() < 0.5:  # the mock's own layout, the decoder's fast path
            parts.append(f"event: output\nid: 1700000000:{n}\ndata: t{n}\n\n")
        else:
            ending = rng.choice(["\n", "\r\n", "\r"])
            parts.append(rng.choice(LINES).format(n=n) + ending)
    return "".join(parts)


@pytest.mark.parametrize("seed", range(300))
def test_same_events_as_httpx_sse(seed: int) -> None:
    rng = random.Random(seed)
    text = _stream(rng)
    cuts = sorted(rng.sample(range(len(text) + 1), min(len(text) + 1, rng.randrange(0, 6))))
    chunks = [text[a:b] for a, b in zip([0, *cuts], [*cuts, len(text)], strict=True) if b > a]
    assert _ours(chunks) == _reference(chunks)


def test_the_mock_layout_and_resume_ids() -> None:
    events = _ours(
        [
            "event: output\nid: 1:1\ndata: a\n\n: keep-alive\n\nevent: done\nid: 1:2\n",
            "data: {}\n\n",
        ]
    )
    assert events == [
        RawEvent("output", "a", "1:1"),
        RawEvent("message", "", "1:1"),  # the id carries over, as the rules say
        RawEvent("done", "{}", "1:2"),
    ]
