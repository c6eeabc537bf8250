"""The raw-ASGI front sends exactly what the Starlette path sends, for every kind of answer.

Two mocks with the same seed on a virtual clock get the same requests, one serving neutral
operations from the front (the default), the other with ``front=False`` (Starlette's stack for
every request). Every ASGI message they send, every exception they raise and every journal entry
must be equal.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import orjson
import pytest
from starlette.responses import Response

from mock_server import MockServer
from mock_server.http.front import MockApp
from mock_server.http.middleware import DroppedConnection
from mock_server.http.operation import Result
from mock_server.http.responses import encode
from tests.mock.conftest import HELLO, Message, call_app, http_scope

VERSION = HELLO.split(":")[1]


async def _send(
    app: MockApp,
    method: str,
    path: str,
    *,
    query: bytes = b"",
    token: str | None = "r8_front",
    headers: Sequence[tuple[bytes, bytes]] = (),
    body: bytes = b"",
) -> tuple[list[Message], str | None, dict[str, Any]]:
    """The messages the app sent, the exception it raised (its type name) and its scope."""
    raw = [(b"host", b"mock.test")]
    if token is not None:
        raw.append((b"authorization", f"Bearer {token}".encode()))
    raw += list(headers)
    if body:
        raw.append((b"content-length", str(len(body)).encode()))
    scope = http_scope(method, path, raw, query)
    chunks: list[Message] = [{"type": "http.request", "body": body, "more_body": False}]
    sent, error = await call_app(app, scope, chunks)
    return sent, None if error is None else type(error).__name__, scope


def _pair(clock: str = "virtual", **options: Any) -> tuple[MockServer, MockServer]:
    front = MockServer(seed=7, clock=clock, **options)
    reference = MockServer(seed=7, clock=clock, **options)
    assert isinstance(reference.app, MockApp)
    reference.app.front = False
    return front, reference


async def _both(
    pair: tuple[MockServer, MockServer], method: str, path: str, **request: Any
) -> list[Message]:
    """Send to both mocks; the answers must be identical. Returns the front's messages."""
    ours, error, _ = await _send(pair[0].app, method, path, **request)
    theirs, their_error, _ = await _send(pair[1].app, method, path, **request)
    assert (ours, error) == (theirs, their_error), (method, path)
    return ours


def _status(messages: list[Message]) -> int:
    status: int = messages[0]["status"]
    return status


def _json(messages: list[Message]) -> Any:
    return orjson.loads(b"".join(m.get("body", b"") for m in messages[1:]))


def _journals(pair: tuple[MockServer, MockServer]) -> None:
    assert pair[0].control.journal() == pair[1].control.journal()


async def test_neutral_operations_answer_alike_on_both_paths() -> None:
    pair = _pair()
    create = orjson.dumps({"version": VERSION, "input": {"text": "front"}})
    json = [(b"content-type", b"application/json")]
    created = await _both(pair, "POST", "/v1/predictions", body=create, headers=json)
    assert _status(created) == 201
    prediction = _json(created)["id"]
    for control in (pair[0].control, pair[1].control):
        control.advance(5)
    finished = await _both(pair, "GET", f"/v1/predictions/{prediction}")
    assert _json(finished)["status"] == "succeeded"
    await _both(pair, "GET", f"/v1/predictions/{prediction}")  # the cached body
    await _both(pair, "HEAD", f"/v1/predictions/{prediction}")
    await _both(pair, "GET", "/v1/predictions", query=b"created_after=2020-01-01T00:00:00Z")
    await _both(pair, "POST", f"/v1/predictions/{prediction}/cancel")
    await _both(pair, "GET", "/v1/account")
    await _both(pair, "GET", "/v1/models", query=b"cursor=bad")
    await _both(pair, "GET", "/v1/hardware")
    await _both(pair, "DELETE", "/v1/files/nope")
    # Errors the operations raise: 401, 404, 400, 422, a malformed header.
    assert _status(await _both(pair, "GET", "/v1/account", token=None)) == 401
    assert _status(await _both(pair, "GET", "/v1/predictions/unknown")) == 404
    assert _status(await _both(pair, "POST", "/v1/predictions", body=b"{", headers=json)) == 400
    bad_input = orjson.dumps({"version": VERSION, "input": {"text": 3}})
    assert _status(await _both(pair, "POST", "/v1/predictions", body=bad_input)) == 422
    bad_prefer = [*json, (b"prefer", b"wait=999")]
    await _both(pair, "POST", "/v1/predictions", body=create, headers=bad_prefer)
    # Not neutral, or no route: both take Starlette's path.
    await _both(pair, "GET", f"/v1/predictions/{prediction}/stream")
    await _both(pair, "GET", "/v1/nowhere")
    assert _status(await _both(pair, "PUT", "/v1/predictions")) == 405
    await _both(pair, "GET", "/v1/predictions/")
    _journals(pair)


async def test_a_held_create_answers_alike() -> None:
    pair = _pair("auto")
    create = orjson.dumps({"version": VERSION, "input": {"text": "held"}})
    held = [(b"content-type", b"application/json"), (b"prefer", b"wait=1")]
    created = await _both(pair, "POST", "/v1/predictions", body=create, headers=held)
    assert (b"preference-applied", b"wait=1") in created[0]["headers"]
    _journals(pair)


async def test_rate_limit_headers_and_429_alike() -> None:
    pair = _pair(rate_limits={"create": 1, "other": 2})
    body = orjson.dumps({"version": VERSION, "input": {"text": "a"}})
    assert _status(await _both(pair, "POST", "/v1/predictions", body=body)) == 201
    throttled = await _both(pair, "POST", "/v1/predictions", body=body)
    assert _status(throttled) == 429
    assert (b"retry-after", b"60") in throttled[0]["headers"]
    for _ in range(3):
        await _both(pair, "GET", "/v1/predictions")
    _journals(pair)


async def test_injected_faults_alike() -> None:
    pair = _pair()
    for control in (pair[0].control, pair[1].control):
        control.inject_fault("GET", "/v1/account", status=503, retry_after=2, count=1)
        control.inject_fault("GET", "/v1/hardware", drop=True)
        control.inject_fault("GET", "/v1/collections", status=500, rate=0.5)
    fault = await _both(pair, "GET", "/v1/account")
    assert _status(fault) == 503
    assert _status(await _both(pair, "GET", "/v1/account")) == 200  # count used up
    dropped, error, _ = await _send(pair[0].app, "GET", "/v1/hardware")
    assert error == DroppedConnection.__name__
    # The headers, an empty chunk with more to come (so a server that holds the head sends
    # it), then nothing.
    assert [m["type"] for m in dropped] == ["http.response.start", "http.response.body"]
    assert dropped[1]["body"] == b"" and dropped[1]["more_body"]
    await _send(pair[1].app, "GET", "/v1/hardware")
    await _both(pair, "GET", "/v1/hardware")
    for _ in range(6):  # the seeded rate draws the same on both
        await _both(pair, "GET", "/v1/collections")
    _journals(pair)


async def test_a_mock_bug_is_a_500_problem_on_both_paths(monkeypatch: pytest.MonkeyPatch) -> None:
    pair = _pair()

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("a bug")

    for server in pair:
        monkeypatch.setattr(server.engine, "get_job", broken)
    messages, error, _ = await _send(pair[0].app, "GET", "/v1/predictions/x")
    assert error == "RuntimeError"  # re-raised so the server logs it, as Starlette does
    assert _status(messages) == 500
    assert _json(messages)["detail"] == "The mock failed: RuntimeError"
    assert b"Traceback" not in messages[1]["body"]
    await _send(pair[1].app, "GET", "/v1/predictions/x")
    await _both(pair, "GET", "/v1/predictions/x")
    _journals(pair)


async def test_the_front_serves_neutral_operations_and_only_those() -> None:
    server = MockServer(seed=7, clock="virtual")
    assert isinstance(server.app, MockApp)
    _, _, scope = await _send(server.app, "GET", "/v1/account")
    assert "endpoint" not in scope  # Starlette's router never saw it
    _, _, scope = await _send(server.app, "GET", "/v1/predictions/x/stream")
    assert "endpoint" in scope


@pytest.mark.parametrize(
    "result",
    [
        Result({"a": 1}),
        Result({"a": 1}, 201, {"Location": "http://x/1", "Preference-Applied": "wait=1"}),
        Result(None, 204),
        Result(None, 200),
        Result(None, 304, {"ETag": "1"}),
        Result(None, raw=b"# readme", media_type="text/markdown"),
        Result(None, raw=b"x", media_type="text/plain; charset=latin-1"),
        Result(None, raw=b"\x00\x01", media_type="application/octet-stream"),
        Result(None, raw=b"{}", headers={"Content-Type": "image/png", "Content-Length": "2"}),
        Result({"b": [1, 2]}, raw=b'{"b":[1,2]}'),
    ],
)
def test_encode_follows_starlettes_response_rules(result: Result) -> None:
    if result.raw is not None:
        reference = Response(result.raw, result.status, result.headers, result.media_type)
    elif result.body is None:
        reference = Response(status_code=result.status, headers=result.headers)
    else:
        reference = Response(
            orjson.dumps(result.body), result.status, result.headers, "application/json"
        )
    assert encode(result) == (reference.status_code, reference.raw_headers, reference.body)
