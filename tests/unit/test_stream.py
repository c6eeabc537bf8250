"""Server-sent events: text, unknown events, reconnect with Last-Event-ID, done reasons."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from replicate_kit import FileOutput
from replicate_kit import exceptions as exc

from .conftest import API, FakeAPI, V, prediction, sse, sse_response, version


def _stream_api(api: FakeAPI, *bodies: bytes) -> FakeAPI:
    api.on("POST /predictions", (201, prediction()))
    api.on("GET /predictions/p1/stream", *[sse_response(b) for b in bodies])
    return api


def test_stream_text_and_unknown_events(api: FakeAPI) -> None:
    body = sse(
        ("output", "Hello", "1"),
        ("metrics", "{}", "2"),
        ("logs", "loading", "3"),
        ("output", " world\nagain", "4"),
        ("done", "{}", "5"),
        ("output", "after done", "6"),
    )
    events = list(_stream_api(api, body).client().stream(V, input={}))
    assert "".join(str(e) for e in events) == "Hello world\nagain"
    assert [e.event for e in events] == ["output", "logs", "output", "done"]
    req = api.sent("GET /predictions/p1/stream")[0]
    assert req.headers["accept"] == "text/event-stream"


def test_stream_resumes_after_a_drop(api: FakeAPI) -> None:
    first = sse(("output", "a", "1"), ("output", "b", "2"))  # ends without done
    second = sse(("output", "c", "3"), ("done", "{}", "4"))
    events = list(_stream_api(api, first, second).client().stream(V, input={}))
    assert "".join(map(str, events)) == "abc"
    assert [e.id for e in events] == ["1", "2", "3", "4"]
    reqs = api.sent("GET /predictions/p1/stream")
    assert "last-event-id" not in reqs[0].headers
    assert reqs[1].headers["last-event-id"] == "2"


def test_stream_resumes_after_connection_error(api: FakeAPI) -> None:
    api.on("POST /predictions", (201, prediction()))
    api.on(
        "GET /predictions/p1/stream",
        httpx.ConnectError("down"),
        sse_response(sse(("output", "x", "1"), ("done", "{}", "2"))),
    )
    assert [str(e) for e in api.client().stream(V, input={})] == ["x", ""]


def test_stream_error_event_raises(api: FakeAPI) -> None:
    body = sse(("output", "a", "1"), ("error", '{"detail": "CUDA out of memory"}', "2"))
    with pytest.raises(exc.StreamError, match="CUDA out of memory"):
        list(_stream_api(api, body).client().stream(V, input={}))
    assert issubclass(exc.StreamError, RuntimeError)


def test_done_reasons(api: FakeAPI) -> None:
    canceled = sse(("output", "a", "1"), ("done", '{"reason": "canceled"}', "2"))
    events = list(_stream_api(api, canceled).client().stream(V, input={}))
    assert [str(e) for e in events] == ["a", ""]
    assert events[-1].json() == {"reason": "canceled"}
    api2 = FakeAPI()
    failed = sse(("done", '{"reason": "error"}', "1"))
    with pytest.raises(exc.StreamError):
        list(_stream_api(api2, failed).client().stream(V, input={}))


def test_no_stream_url(api: FakeAPI) -> None:
    p = prediction()
    del p["urls"]["stream"]
    api.on("POST /predictions", (201, p))
    with pytest.raises(exc.ReplicateError, match="does not support streaming"):
        api.client().stream(V, input={})


def test_stream_on_another_host_gets_no_token(api: FakeAPI) -> None:
    p = prediction()
    p["urls"]["stream"] = "https://stream.example/v1/streams/tok"
    api.on("POST /predictions", (201, p))
    api.on(
        "GET stream.example/v1/streams/tok",
        sse_response(sse(("output", "z", "1"), ("done", "{}", "2"))),
    )
    assert "".join(str(e) for e in api.client().stream(V, input={})) == "z"
    assert "authorization" not in api.requests[-1].headers


def test_async_stream_both_spellings(api: FakeAPI) -> None:
    body = sse(("output", "a", "1"), ("output", "b", "2"), ("done", "{}", "3"))
    _stream_api(api, body)
    client = api.client()

    async def main() -> tuple[str, str]:
        direct = "".join([str(e) async for e in client.async_stream(V, input={})])
        awaited = "".join([str(e) async for e in await client.async_stream(V, input={})])
        return direct, awaited

    assert asyncio.run(main()) == ("ab", "ab")
    assert str(api.requests[0].url).startswith(API)


def test_stream_open_errors_follow_the_retry_policy(api: FakeAPI) -> None:
    done = sse_response(sse(("output", "x", "1"), ("done", "{}", "2")))
    _stream_api(api)
    api.on("GET /predictions/p1/stream", (503, {"status": 503}), done)
    assert [str(e) for e in api.client().stream(V, input={})] == ["x", ""]
    assert len(api.sent("GET /predictions/p1/stream")) == 2

    gone = FakeAPI()
    _stream_api(gone)
    gone.on("GET /predictions/p1/stream", (404, {"status": 404, "detail": "gone"}), done)
    with pytest.raises(exc.NotFoundError, match="gone"):
        list(gone.client().stream(V, input={}))
    assert len(gone.sent("GET /predictions/p1/stream")) == 1


FILES = {
    "type": "array",
    "items": {"type": "string", "format": "uri"},
    "x-cog-array-type": "iterator",
}
TOKENS = {"type": "array", "items": {"type": "string"}, "x-cog-array-type": "iterator"}


def _file_stream(api: FakeAPI, *outputs: str) -> FakeAPI:
    events = [("output", url, str(i)) for i, url in enumerate(outputs, 1)]
    body = sse(("logs", "https://not-a-file", "0"), *events, ("done", "{}", "9"))
    api.on("POST /predictions", (201, prediction()))
    api.on("GET /predictions/p1/stream", sse_response(body))
    return api


def test_stream_use_file_output_follows_the_output_schema(api: FakeAPI) -> None:
    _file_stream(api, "http://127.0.0.1:9/a.png").on(
        f"GET /models/o/m/versions/{V}", version(FILES)
    )
    client = api.client()
    for _ in range(2):
        events = list(client.stream(V, input={}, use_file_output=True))
        logs, output, done = events
        assert isinstance(output.data, FileOutput) and output.data.url == "http://127.0.0.1:9/a.png"
        assert str(output) == "http://127.0.0.1:9/a.png"
        assert logs.data == "https://not-a-file" and done.json() == {}
    assert len(api.sent(f"GET /models/o/m/versions/{V}")) == 1  # the schema is cached


def test_stream_use_file_output_keeps_text_the_schema_calls_text(api: FakeAPI) -> None:
    _file_stream(api, "https://example.com").on(f"GET /models/o/m/versions/{V}", version(TOKENS))
    events = list(api.client().stream(V, input={}, use_file_output=True))
    assert events[1].data == "https://example.com" and isinstance(events[1].data, str)


def test_stream_use_file_output_without_a_schema_uses_the_prefix_rule(api: FakeAPI) -> None:
    _file_stream(api, "https://files.example/a.png", "http://127.0.0.1:9/b.png")
    events = list(api.client().stream(V, input={}, use_file_output=True))
    assert isinstance(events[1].data, FileOutput)
    assert isinstance(events[2].data, str)


def test_stream_data_stays_text_by_default(api: FakeAPI) -> None:
    _file_stream(api, "https://files.example/a.png")
    events = list(api.client().stream(V, input={}))
    assert [type(e.data) for e in events] == [str, str, str]
    assert not api.sent(f"GET /models/o/m/versions/{V}")


def test_async_stream_use_file_output(api: FakeAPI) -> None:
    _file_stream(api, "http://127.0.0.1:9/a.png").on(
        f"GET /models/o/m/versions/{V}", version(FILES)
    )
    client = api.client()

    async def main() -> list[object]:
        return [e.data async for e in client.async_stream(V, input={}, use_file_output=True)]

    data = asyncio.run(main())
    assert data[1] == FileOutput("http://127.0.0.1:9/a.png") and isinstance(data[1], FileOutput)
