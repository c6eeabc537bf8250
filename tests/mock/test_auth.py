"""Authentication and per-token isolation."""

from __future__ import annotations

import httpx
import pytest

from mock_server import MockServer
from tests.mock.conftest import HELLO, asgi_client

UNAUTHENTICATED = {
    "title": "Unauthenticated",
    "detail": "You did not pass a valid authentication token",
    "status": 401,
}


@pytest.mark.parametrize(
    "header",
    [None, "", "Bearer", "Bearer ", "Basic abc", "r8_token_without_scheme"],
)
async def test_missing_or_malformed_authorization_is_401_problem(
    server: MockServer, header: str | None
) -> None:
    headers = {"Authorization": header} if header is not None else {}
    async with asgi_client(server, token=None) as client:
        response = await client.get("/predictions", headers=headers)
    assert response.status_code == 401
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json() == UNAUTHENTICATED


async def test_bearer_and_legacy_token_schemes_reach_the_same_account(server: MockServer) -> None:
    async with asgi_client(server, token=None) as client:
        bearer = await client.get("/account", headers={"Authorization": "Bearer r8_same"})
        legacy = await client.get("/account", headers={"Authorization": "Token r8_same"})
    assert bearer.status_code == legacy.status_code == 200
    assert bearer.json() == legacy.json()
    assert bearer.json()["username"].startswith("user-")
    assert bearer.json()["type"] == "user"


async def test_tokens_are_isolated_accounts(server: MockServer) -> None:
    async with asgi_client(server, "r8_alice") as alice, asgi_client(server, "r8_bob") as bob:
        created = (
            await alice.post("/predictions", json={"version": HELLO, "input": {"text": "a"}})
        ).json()
        assert (await alice.get(f"/predictions/{created['id']}")).status_code == 200
        hidden = await bob.get(f"/predictions/{created['id']}")
        assert hidden.status_code == 404
        assert hidden.headers["content-type"] == "application/problem+json"
        assert (await bob.post(f"/predictions/{created['id']}/cancel")).status_code == 404
        assert (await bob.get("/predictions")).json()["results"] == []
        assert (await alice.get("/account")).json() != (await bob.get("/account")).json()


async def test_strict_tokens_reject_unknown_tokens() -> None:
    server = MockServer(tokens=["r8_known"])
    async with asgi_client(server, "r8_known") as known, asgi_client(server, "r8_other") as other:
        assert (await known.get("/account")).status_code == 200
        assert (await other.get("/account")).status_code == 401
        server.control.add_account("r8_other", username="other")
        assert (await other.get("/account")).json()["username"] == "other"


async def test_stream_and_delivery_urls_need_no_token(auto_server: MockServer) -> None:
    async with asgi_client(auto_server) as client:
        created = await client.post(
            "/models/stability-ai/sdxl/predictions", json={"input": {}}, headers={"Prefer": "wait"}
        )
        polled = (await client.get(created.json()["urls"]["get"])).json()
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=auto_server.app)) as anonymous:
        assert (await anonymous.get(polled["output"][0])).status_code == 200
        assert (await anonymous.get(polled["urls"]["stream"])).status_code == 200
