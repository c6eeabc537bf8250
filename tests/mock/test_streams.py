"""SSE at urls.stream: events, done reasons, replay, keep-alive, capability URL."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import orjson

from mock_server import MockServer
from tests.mock.conftest import HELLO, asgi_client

Event = tuple[str, str, str]


def parse_sse(text: str) -> tuple[list[Event], list[str]]:
    events: list[Event] = []
    comments: list[str] = []
    for block in text.split("\n\n"):
        if not block.strip():
            continue
        name, ident, data = "", "", []
        for line in block.split("\n"):
            if line.startswith(":"):
                comments.append(line)
                continue
            field, _, value = line.partition(": ")
            if field == "event":
                name = value
            elif field == "id":
                ident = value
            elif field == "data":
                data.append(value)
        if name:
            events.append((name, ident, "\n".join(data)))
    return events, comments


async def _stream(
    server: MockServer, url: str, headers: dict[str, str] | None = None
) -> httpx.Response:
    # No Authorization header on purpose: the stream URL is a capability.
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=server.app)) as anonymous:
        return await anonymous.get(url, headers={"Accept": "text/event-stream", **(headers or {})})


async def _finished_hello_stream(
    server: MockServer, client: httpx.AsyncClient
) -> tuple[str, list[Event]]:
    """Create a hello-world prediction; its stream URL and every event of the full stream."""
    created = await client.post("/predictions", json={"version": HELLO, "input": {"text": "s"}})
    url: str = created.json()["urls"]["stream"]
    full, _ = parse_sse((await _stream(server, url)).text)
    return url, full


async def test_llm_stream_yields_tokens_then_done(
    auto_server: MockServer, auto_client: httpx.AsyncClient
) -> None:
    created = await auto_client.post(
        "/models/meta/meta-llama-3-8b-instruct/predictions",
        json={"input": {"prompt": "hi", "max_tokens": 5}, "stream": True},
    )
    response = await _stream(auto_server, created.json()["urls"]["stream"])
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/event-stream")
    events, _ = parse_sse(response.text)
    names = [e[0] for e in events]
    assert names == ["logs", "output", "output", "output", "output", "output", "done"]
    assert events[-1][2] == "{}"
    ids = [int(e[1].rpartition(":")[2]) for e in events]
    assert ids == sorted(ids) and len(set(ids)) == len(ids)
    final = (await auto_client.get(created.json()["urls"]["get"])).json()
    assert "".join(e[2] for e in events if e[0] == "output") == "".join(final["output"])


async def test_stream_replays_after_last_event_id(
    auto_server: MockServer, auto_client: httpx.AsyncClient
) -> None:
    created = await auto_client.post(
        "/models/meta/meta-llama-3-8b-instruct/predictions",
        json={"input": {"prompt": "hi", "max_tokens": 6}},
    )
    url = created.json()["urls"]["stream"]
    full, _ = parse_sse((await _stream(auto_server, url)).text)
    resumed, _ = parse_sse((await _stream(auto_server, url, {"Last-Event-ID": full[2][1]})).text)
    assert resumed == full[3:]


async def test_resuming_at_or_past_the_end_of_a_finished_stream_ends_at_once(
    auto_server: MockServer, auto_client: httpx.AsyncClient
) -> None:
    url, full = await _finished_hello_stream(auto_server, auto_client)
    for last in (full[-1][1], "1735689600:999999"):
        response = await _stream(auto_server, url, {"Last-Event-ID": last})
        assert response.status_code == 200
        assert parse_sse(response.text)[0] == []


async def test_unusable_last_event_ids_replay_from_the_start(
    auto_server: MockServer, auto_client: httpx.AsyncClient
) -> None:
    url, full = await _finished_hello_stream(auto_server, auto_client)
    for last in ("1:" + "9" * 5000, "1:\xb2", "-1", "junk"):
        headers = {"Last-Event-ID": last.encode("latin-1")}
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=auto_server.app)) as anon:
            response = await anon.get(url, headers=headers)
        assert response.status_code == 200, last
        assert parse_sse(response.text)[0] == full


async def test_failed_prediction_streams_error_then_done_reason(
    auto_server: MockServer, auto_client: httpx.AsyncClient
) -> None:
    created = await auto_client.post(
        "/models/mock/fail/predictions", json={"input": {"message": "nope"}}
    )
    events, _ = parse_sse((await _stream(auto_server, created.json()["urls"]["stream"])).text)
    assert [e[0] for e in events][-2:] == ["error", "done"]
    assert orjson.loads(events[-2][2]) == {"detail": "nope"}
    assert orjson.loads(events[-1][2]) == {"reason": "error"}


async def test_canceled_prediction_stream_ends_with_reason_canceled(
    server: MockServer, client: httpx.AsyncClient
) -> None:
    created = (await client.post("/models/mock/slow/predictions", json={"input": {}})).json()
    server.control.advance(2.5)
    await client.post(created["urls"]["cancel"])
    events, _ = parse_sse((await _stream(server, created["urls"]["stream"])).text)
    assert [e[2] for e in events if e[0] == "logs"] == ["tick 0", "tick 1", "tick 2"]
    assert events[-1][0] == "done"
    assert orjson.loads(events[-1][2]) == {"reason": "canceled"}


async def test_non_iterator_output_is_one_output_event(
    auto_server: MockServer, auto_client: httpx.AsyncClient
) -> None:
    created = await auto_client.post(
        "/predictions", json={"version": HELLO, "input": {"text": "s"}}
    )
    events, _ = parse_sse((await _stream(auto_server, created.json()["urls"]["stream"])).text)
    assert [(e[0], e[2]) for e in events] == [("output", "hello s"), ("done", "{}")]


async def test_unknown_stream_is_404_problem(auto_server: MockServer) -> None:
    response = await _stream(auto_server, "http://mock.test/v1/predictions/nope/stream")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"


async def test_dropped_stream_ends_without_done_and_resumes(
    auto_server: MockServer, auto_client: httpx.AsyncClient
) -> None:
    auto_server.control.inject_fault(
        "GET", "/v1/predictions/*/stream", drop_stream_after=2, count=1
    )
    created = await auto_client.post(
        "/models/meta/meta-llama-3-8b-instruct/predictions",
        json={"input": {"prompt": "x", "max_tokens": 4}},
    )
    url = created.json()["urls"]["stream"]
    cut, _ = parse_sse((await _stream(auto_server, url)).text)
    assert len(cut) == 2 and cut[-1][0] != "done"
    rest, _ = parse_sse((await _stream(auto_server, url, {"Last-Event-ID": cut[-1][1]})).text)
    assert rest[-1][0] == "done"
    seqs = [int(e[1].rpartition(":")[2]) for e in cut + rest]
    assert seqs == list(range(1, 1 + 1 + 4 + 1))  # logs, 4 tokens, done: nothing lost or repeated


async def test_real_clock_stream_sends_keepalive_comments() -> None:
    server = MockServer(clock="real", speed=1.0, keepalive_interval=0.02)
    async with asgi_client(server) as client:
        server.control.register_model(
            {"model": "acme/pause", "setup_time": 0, "output": [{"at": 0.15, "chunk": "late"}]}
        )
        created = await client.post("/models/acme/pause/predictions", json={"input": {}})
        events, comments = parse_sse((await _stream(server, created.json()["urls"]["stream"])).text)
    assert comments and all(c.startswith(":") for c in comments)
    assert [e[0] for e in events] == ["output", "done"]


async def test_stream_with_a_token_must_belong_to_that_account(auto_server: MockServer) -> None:
    async with (
        asgi_client(auto_server, "r8_owner") as owner,
        asgi_client(auto_server, "r8_other") as other,
    ):
        created = await owner.post("/predictions", json={"version": HELLO, "input": {"text": "s"}})
        url = created.json()["urls"]["stream"]
        assert url == f"http://mock.test/v1/predictions/{created.json()['id']}/stream"
        assert (await owner.get(url)).status_code == 200
        assert (await other.get(url)).status_code == 404
        bad = await other.get(url, headers={"Authorization": "Bearer"})
        assert bad.status_code == 401


async def test_a_backlog_is_written_in_pieces_that_join_to_the_whole_stream() -> None:
    from mock_server.engine.jobs import StreamEvent
    from mock_server.http.routes_streams import WRITE_EVENTS, _sse

    count = 2 * WRITE_EVENTS + 5
    backlog = [StreamEvent(seq, "output", f" t{seq}", 1.0) for seq in range(1, count + 1)]
    backlog.append(StreamEvent(count + 1, "done", {}, 1.0))

    async def one_batch() -> AsyncIterator[list[StreamEvent]]:
        yield backlog

    pieces = [piece async for piece in _sse(one_batch(), "http://mock.test")]
    assert len(pieces) == 3
    events, _ = parse_sse("".join(pieces))
    assert [ident for _, ident, _ in events] == [f"1:{seq}" for seq in range(1, count + 2)]
    assert events[-1][0] == "done" and events[0] == ("output", "1:1", " t1")
    # every piece ends on an event boundary, so a reader may act on each as it comes
    assert all(piece.endswith("\n\n") for piece in pieces)
