"""Client mistakes get the right 4xx problem+json, never a 500, and never change state."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from mock_server import MockServer
from tests.mock.conftest import HELLO, asgi_client

HEX = HELLO.split(":")[1]
CASES: list[tuple[str, str, str, dict[str, Any], int]] = [
    # (name, method, path, request kwargs, expected status)
    ("malformed json", "POST", "/predictions", {"content": b"{not json"}, 400),
    ("empty body", "POST", "/predictions", {"content": b""}, 400),
    ("nan", "POST", "/predictions", {"content": b'{"version": NaN}'}, 400),
    ("not utf8", "POST", "/predictions", {"content": b"\xff\xfe"}, 400),
    ("body is a list", "POST", "/predictions", {"json": [1, 2]}, 422),
    ("version missing", "POST", "/predictions", {"json": {"input": {}}}, 422),
    ("version not a string", "POST", "/predictions", {"json": {"version": 5, "input": {}}}, 422),
    ("unknown field", "POST", "/predictions", {"json": {"version": HEX, "input": {}, "x": 1}}, 422),
    ("input missing", "POST", "/predictions", {"json": {"version": HEX}}, 422),
    ("input not object", "POST", "/predictions", {"json": {"version": HEX, "input": "t"}}, 422),
    ("unknown version", "POST", "/predictions", {"json": {"version": "0" * 64, "input": {}}}, 422),
    ("garbage version", "POST", "/predictions", {"json": {"version": "latest", "input": {}}}, 422),
    ("non-official name", "POST", "/predictions", {"json": {"version": "mock/echo", "input": {}}}, 422),
    ("version of other model", "POST", "/predictions", {"json": {"version": f"mock/echo:{HEX}", "input": {}}}, 422),
    ("missing required input", "POST", "/predictions", {"json": {"version": HEX, "input": {}}}, 422),
    ("wrong input type", "POST", "/predictions", {"json": {"version": HEX, "input": {"text": 3}}}, 422),
    ("webhook not a url", "POST", "/predictions", {"json": {"version": HEX, "input": {"text": "a"}, "webhook": "nope"}}, 422),
    ("webhook unparseable", "POST", "/predictions", {"json": {"version": HEX, "input": {"text": "a"}, "webhook": "http://[::1"}}, 422),
    ("webhook_completed unparseable", "POST", "/predictions", {"json": {"version": HEX, "input": {"text": "a"}, "webhook_completed": "http://[x"}}, 422),
    ("webhook_completed not a string", "POST", "/predictions", {"json": {"version": HEX, "input": {"text": "a"}, "webhook_completed": 5}}, 422),
    ("bad events filter", "POST", "/predictions", {"json": {"version": HEX, "input": {"text": "a"}, "webhook_events_filter": ["done"]}}, 422),
    ("stream not bool", "POST", "/predictions", {"json": {"version": HEX, "input": {"text": "a"}, "stream": "yes"}}, 422),
    ("prefer wait=0", "POST", "/predictions", {"json": {"version": HEX, "input": {"text": "a"}}, "headers": {"Prefer": "wait=0"}}, 400),
    ("prefer wait=abc", "POST", "/predictions", {"json": {"version": HEX, "input": {"text": "a"}}, "headers": {"Prefer": "wait=abc"}}, 400),
    ("prefer wait=61", "POST", "/predictions", {"json": {"version": HEX, "input": {"text": "a"}}, "headers": {"Prefer": "wait=61"}}, 400),
    ("cancel-after junk", "POST", "/predictions", {"json": {"version": HEX, "input": {"text": "a"}}, "headers": {"Cancel-After": "soon"}}, 400),
    ("cancel-after too short", "POST", "/predictions", {"json": {"version": HEX, "input": {"text": "a"}}, "headers": {"Cancel-After": "2s"}}, 400),
    ("cancel-after negative", "POST", "/predictions", {"json": {"version": HEX, "input": {"text": "a"}}, "headers": {"Cancel-After": "-30"}}, 400),
    ("prefer wait with many digits", "POST", "/predictions", {"json": {"version": HEX, "input": {"text": "a"}}, "headers": {"Prefer": "wait=" + "9" * 5000}}, 400),
    ("prefer wait=superscript two", "POST", "/predictions", {"json": {"version": HEX, "input": {"text": "a"}}, "headers": {"Prefer": b"wait=\xb2"}}, 400),
    ("cancel-after beyond a year", "POST", "/predictions", {"json": {"version": HEX, "input": {"text": "a"}}, "headers": {"Cancel-After": "8761h"}}, 400),
    ("cancel-after huge number", "POST", "/predictions", {"json": {"version": HEX, "input": {"text": "a"}}, "headers": {"Cancel-After": "1e300"}}, 400),
    ("cancel-after huge hours", "POST", "/predictions", {"json": {"version": HEX, "input": {"text": "a"}}, "headers": {"Cancel-After": "99999999999h"}}, 400),
    ("cancel-after underscores", "POST", "/predictions", {"json": {"version": HEX, "input": {"text": "a"}}, "headers": {"Cancel-After": "1_000"}}, 400),
    ("cancel-after superscript", "POST", "/predictions", {"json": {"version": HEX, "input": {"text": "a"}}, "headers": {"Cancel-After": b"\xb2"}}, 400),
    ("oversized body", "POST", "/predictions", {"content": b"{" + b" " * (17 * 1024 * 1024) + b"}"}, 413),
    ("version on model route", "POST", "/models/mock/echo/predictions", {"json": {"version": HEX, "input": {}}}, 422),
    ("unknown model", "POST", "/models/nobody/nothing/predictions", {"json": {"input": {}}}, 404),
    ("deployment unknown", "POST", "/deployments/nobody/nothing/predictions", {"json": {"input": {}}}, 404),
    ("unknown prediction", "GET", "/predictions/doesnotexist", {}, 404),
    ("cancel unknown", "POST", "/predictions/doesnotexist/cancel", {}, 404),
    ("wrong method", "PUT", "/predictions", {}, 405),
    ("wrong method on item", "DELETE", "/predictions/abc", {}, 405),
    ("bad cursor", "GET", "/predictions", {"params": {"cursor": "!!!"}}, 404),
    ("bad created_after", "GET", "/predictions", {"params": {"created_after": "yesterday"}}, 400),
    ("signed download expiry ²", "GET", "/files/x/download", {"params": {"signature": "s", "owner": "o", "expiry": "\u00b2"}}, 404),
    ("signed download expiry huge", "GET", "/files/x/download", {"params": {"signature": "s", "owner": "o", "expiry": "9" * 5000}}, 404),
    ("bad source", "GET", "/predictions", {"params": {"source": "api"}}, 400),
    ("repeated param", "GET", "/predictions", {"params": [("source", "web"), ("source", "web")]}, 400),
    ("bad sort_by", "GET", "/models", {"params": {"sort_by": "name"}}, 400),
    ("unknown route", "GET", "/nothing/here", {}, 404),
    ("unknown version of model", "GET", "/models/replicate/hello-world/versions/abc", {}, 404),
]  # fmt: skip


@pytest.mark.parametrize(
    ("method", "path", "kwargs", "status"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
async def test_bad_input_is_a_clean_4xx_without_side_effects(
    server: MockServer, method: str, path: str, kwargs: dict[str, Any], status: int
) -> None:
    async with asgi_client(server) as client:
        response = await client.request(method, path, **kwargs)
        assert response.status_code == status, response.text
        assert response.headers["content-type"] == "application/problem+json"
        problem = response.json()
        assert problem["status"] == status
        assert problem["title"] and problem["detail"]
        assert server.control.create_count() == 0
        assert (await client.get("/predictions")).json()["results"] == []


async def test_input_validation_lists_invalid_fields(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/models/stability-ai/sdxl/predictions",
        json={"input": {"num_outputs": 9, "width": 100, "seed": "one", "prompt": None}},
    )
    assert response.status_code == 422
    problem = response.json()
    assert problem["title"] == "Input validation failed"
    fields = {f["field"]: f for f in problem["invalid_fields"]}
    assert set(fields) == {"input.num_outputs", "input.width", "input.seed", "input.prompt"}
    assert fields["input.num_outputs"]["description"] == "Must be less than or equal to 4"
    assert fields["input.seed"]["type"] == "invalid_type"
    assert "- input.num_outputs: Must be less than or equal to 4\n" in problem["detail"]


async def test_missing_required_input_is_reported_like_the_api(client: httpx.AsyncClient) -> None:
    response = await client.post("/predictions", json={"version": HEX, "input": {}})
    assert response.json()["invalid_fields"] == [
        {"type": "required", "field": "input", "description": "text is required"}
    ]


async def test_nullable_inputs_accept_null(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/models/stability-ai/sdxl/predictions", json={"input": {"seed": None}}
    )
    assert response.status_code == 201


async def test_unknown_preferences_are_ignored(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/predictions",
        json={"version": HEX, "input": {"text": "a"}},
        headers={"Prefer": "respond-async"},
    )
    assert response.status_code == 201
    assert "preference-applied" not in response.headers
