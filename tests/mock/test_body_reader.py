"""The operation layer reads a request body as Starlette's ``Request.body`` does."""

from __future__ import annotations

from typing import Any

import orjson
import pytest
from starlette.requests import ClientDisconnect

from mock_server import MockServer
from tests.mock.conftest import HELLO

Message = dict[str, Any]


async def _post(server: MockServer, chunks: list[Message]) -> list[Message]:
    scope: dict[str, Any] = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "scheme": "http",
        "server": ("mock.test", 80),
        "client": ("127.0.0.1", 1234),
        "method": "POST",
        "root_path": "",
        "path": "/v1/predictions",
        "raw_path": b"/v1/predictions",
        "query_string": b"",
        "headers": [(b"host", b"mock.test"), (b"authorization", b"Bearer r8_body")],
    }
    sent: list[Message] = []

    async def receive() -> Message:
        return chunks.pop(0) if chunks else {"type": "http.disconnect"}

    async def send(message: Message) -> None:
        sent.append(message)

    await server.app(scope, receive, send)
    return sent


BODY = orjson.dumps({"version": HELLO.split(":")[1], "input": {"text": "chunks"}})


@pytest.mark.parametrize("front", [True, False])
async def test_a_body_in_several_messages_is_the_body_in_one(front: bool) -> None:
    whole, split = MockServer(seed=2, clock="virtual"), MockServer(seed=2, clock="virtual")
    for server in (whole, split):
        server.app.front = front
    one = [{"type": "http.request", "body": BODY, "more_body": False}]
    parts = [BODY[:10], b"", BODY[10:40], BODY[40:]]
    several: list[Message] = [
        {"type": "http.request", "body": part, "more_body": True} for part in parts
    ]
    several.append({"type": "http.request", "more_body": False})  # no body key: empty
    answer = await _post(whole, one)
    assert answer[0]["status"] == 201
    assert answer == await _post(split, several)


@pytest.mark.parametrize("front", [True, False])
async def test_a_client_gone_before_its_body_ends_is_a_disconnect(front: bool) -> None:
    server = MockServer(seed=2, clock="virtual")
    server.app.front = front
    first = {"type": "http.request", "body": BODY[:10], "more_body": True}
    with pytest.raises(ClientDisconnect):
        await _post(server, [first])  # then http.disconnect
    assert server.engine.jobs == {}
