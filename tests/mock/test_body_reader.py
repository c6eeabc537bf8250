"""The operation layer reads a request body as Starlette's ``Request.body`` does."""

from __future__ import annotations

import orjson
import pytest
from starlette.requests import ClientDisconnect

from mock_server import MockServer
from tests.mock.conftest import HELLO, Message, call_app, http_scope


async def _post(server: MockServer, chunks: list[Message]) -> list[Message]:
    headers = [(b"host", b"mock.test"), (b"authorization", b"Bearer r8_body")]
    sent, error = await call_app(server.app, http_scope("POST", "/v1/predictions", headers), chunks)
    if error is not None:
        raise error
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
