"""Finished predictions are encoded once, and never served to the wrong engine or root."""

from __future__ import annotations

import httpx

from mock_server import MockServer
from tests.mock.conftest import HELLO, asgi_client


async def _finished(client: httpx.AsyncClient, text: str) -> dict[str, object]:
    created = await client.post("/predictions", json={"version": HELLO, "input": {"text": text}})
    assert created.status_code == 201
    body: dict[str, object] = created.json()
    for _ in range(5):  # each poll on the auto clock moves to the next status change
        body = (await client.get(f"/predictions/{body['id']}")).json()
        if body["status"] == "succeeded":
            return body
    raise AssertionError(f"the prediction did not finish: {body['status']}")


async def test_a_reset_engine_with_the_same_ids_gets_its_own_bodies() -> None:
    server = MockServer(seed=3, clock="auto")
    async with asgi_client(server) as client:
        first = await _finished(client, "first")
        again = (await client.get(f"/predictions/{first['id']}")).json()
        server.control.reset()
        second = await _finished(client, "second")
    assert again == first
    assert second["id"] == first["id"]  # seeded ids repeat after a reset
    assert (second["output"], first["output"]) == ("hello second", "hello first")


async def test_urls_follow_the_root_each_client_addressed() -> None:
    server = MockServer(seed=3, clock="auto")
    async with asgi_client(server) as client:
        body = await _finished(client, "roots")
    other = httpx.AsyncClient(
        transport=httpx.ASGITransport(app=server.app),
        base_url="http://elsewhere.test/v1",
        headers={"Authorization": "Bearer r8_test"},
    )
    async with other:
        seen = (await other.get(f"/predictions/{body['id']}")).json()
    assert seen["urls"]["get"] == f"http://elsewhere.test/v1/predictions/{body['id']}"
    assert body["urls"]["get"] == f"http://mock.test/v1/predictions/{body['id']}"  # type: ignore[index]
