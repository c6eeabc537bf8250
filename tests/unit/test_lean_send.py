"""A client that built its own httpx client sends plain calls past ``httpx.Client.send``
(straight to the transport): what ``send`` would have done for such a call still happens."""

from __future__ import annotations

import asyncio
import gzip
import json
import logging

import httpx
import pytest

import replicate_kit
from tests.unit.conftest import TOKEN, FakeAPI, V, prediction


def _built(api: FakeAPI, **settings: object) -> replicate_kit.Client:
    return replicate_kit.Client(
        TOKEN,
        base_url="https://api.replicate.com",
        transport=httpx.MockTransport(api.handle),
        **settings,  # type: ignore[arg-type]
    )


def _async_built(api: FakeAPI) -> replicate_kit.AsyncClient:
    return replicate_kit.AsyncClient(
        TOKEN, base_url="https://api.replicate.com", transport=httpx.MockTransport(api.handle)
    )


def test_requests_carry_httpx_defaults_our_agent_and_the_token() -> None:
    api = FakeAPI().on("GET /predictions/p1", prediction())
    _built(api).predictions.get("p1")
    [sent] = api.requests
    assert sent.headers["authorization"] == f"Bearer {TOKEN}"
    assert sent.headers["user-agent"].startswith("replicate-kit/")
    assert "gzip" in sent.headers["accept-encoding"]
    assert sent.headers["host"] == "api.replicate.com"


def test_a_cookie_the_api_sets_is_sent_back() -> None:
    api = FakeAPI()
    api.on(
        "GET /predictions/p1",
        httpx.Response(200, json=prediction(), headers={"set-cookie": "lb=a1; Path=/"}),
    )
    api.on("GET /predictions/p2", prediction("p2"))
    client = _built(api)
    client.predictions.get("p1")
    client.predictions.get("p2")
    assert "cookie" not in api.requests[0].headers
    assert api.requests[1].headers["cookie"] == "lb=a1"


def test_a_compressed_body_is_decoded() -> None:
    body = gzip.compress(json.dumps(prediction(status="succeeded")).encode())
    response = httpx.Response(
        200,
        content=body,
        headers={"content-encoding": "gzip", "content-type": "application/json"},
    )
    api = FakeAPI().on("GET /predictions/p1", response)
    assert _built(api).predictions.get("p1").status == "succeeded"


def test_httpx_logs_each_request_as_it_does_for_its_own_sends(
    caplog: pytest.LogCaptureFixture,
) -> None:
    api = FakeAPI().on("GET /predictions/p1", prediction())
    with caplog.at_level(logging.INFO, logger="httpx"):
        _built(api).predictions.get("p1")
    assert [r.getMessage() for r in caplog.records if r.name == "httpx"] == [
        'HTTP Request: GET https://api.replicate.com/v1/predictions/p1 "HTTP/1.1 200 OK"'
    ]


def test_a_held_create_gets_a_read_timeout_beyond_the_hold() -> None:
    api = FakeAPI().on("POST /predictions", (201, prediction()))
    _built(api, timeout=5).predictions.create(version=V, input={}, wait=30)
    [sent] = api.requests
    assert sent.headers["prefer"] == "wait=30"
    assert sent.extensions["timeout"]["read"] > 30
    assert sent.extensions["timeout"]["connect"] == 5


def test_a_closed_client_refuses_as_httpx_does() -> None:
    api = FakeAPI().on("GET /predictions/p1", prediction())
    client = _built(api)
    client.predictions.get("p1")
    client.close()
    with pytest.raises(RuntimeError, match="client has been closed"):
        client.predictions.get("p1")


def test_event_hooks_still_run() -> None:
    api = FakeAPI().on("GET /predictions/p1", prediction())
    seen: list[int] = []
    hooks = {"response": [lambda response: seen.append(response.status_code)]}
    _built(api, event_hooks=hooks).predictions.get("p1")
    assert seen == [200]


def test_the_async_client_sends_the_same_way() -> None:
    api = FakeAPI()
    api.on(
        "GET /predictions/p1",
        httpx.Response(200, json=prediction(), headers={"set-cookie": "lb=a1; Path=/"}),
    )
    api.on("GET /predictions/p2", prediction("p2", status="succeeded"))

    async def main() -> str:
        async with _async_built(api) as client:
            await client.predictions.async_get("p1")
            return (await client.predictions.async_get("p2")).status

    assert asyncio.run(main()) == "succeeded"
    assert api.requests[0].headers["authorization"] == f"Bearer {TOKEN}"
    assert api.requests[1].headers["cookie"] == "lb=a1"
