"""Token-bucket rate limits on the clock: headers, 429 + Retry-After, refill."""

from __future__ import annotations

from mock_server import MockServer
from tests.mock.conftest import HELLO, asgi_client


async def test_rate_limit_headers_on_success() -> None:
    server = MockServer(clock="virtual")
    async with asgi_client(server) as client:
        create = await client.post("/predictions", json={"version": HELLO, "input": {"text": "a"}})
        other = await client.get("/predictions")
    assert create.headers["ratelimit-remaining"] == "599"
    assert create.headers["ratelimit-reset"] == "1"
    assert other.headers["ratelimit-remaining"] == "2999"


async def test_429_with_retry_after_then_refill_on_the_clock() -> None:
    server = MockServer(clock="virtual", rate_limits={"create": 3, "other": 3000})
    async with asgi_client(server) as client, asgi_client(server, "r8_someone_else") as other:
        body = {"version": HELLO, "input": {"text": "a"}}
        for _ in range(3):
            assert (await client.post("/predictions", json=body)).status_code == 201
        throttled = await client.post("/predictions", json=body)
        assert throttled.status_code == 429
        assert throttled.headers["content-type"] == "application/problem+json"
        assert throttled.headers["retry-after"] == "20"
        assert (
            throttled.json()["detail"] == "Request was throttled. Expected available in 20 seconds."
        )
        assert server.control.create_count() == 3  # a throttled create changes nothing
        assert (await client.get("/predictions")).status_code == 200  # other bucket unaffected
        assert (await other.post("/predictions", json=body)).status_code == 201  # per account
        server.control.advance(20)
        assert (await client.post("/predictions", json=body)).status_code == 201


async def test_rate_limits_can_be_disabled_per_kind() -> None:
    server = MockServer(clock="virtual", rate_limits={"create": 1, "other": 1})
    server.control.set_rate_limit("other", None)
    async with asgi_client(server) as client:
        for _ in range(5):
            response = await client.get("/predictions")
            assert response.status_code == 200
            assert "ratelimit-remaining" not in response.headers
