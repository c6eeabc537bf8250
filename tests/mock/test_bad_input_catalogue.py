"""Catalogue and deployment routes: client mistakes are clean 4xx that change nothing."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from mock_server import MockServer
from mock_server.engine.accounts import username_for
from tests.mock.conftest import HELLO, asgi_client

HEX = HELLO.split(":")[1]
ME = username_for("r8_test")
MODEL = {"owner": ME, "name": "m", "visibility": "private", "hardware": "cpu"}
DEPLOY = {
    "name": "d",
    "model": "replicate/hello-world",
    "version": HEX,
    "hardware": "cpu",
    "min_instances": 0,
    "max_instances": 1,
}
CASES: list[tuple[str, str, str, dict[str, Any], int]] = [
    ("model malformed json", "POST", "/models", {"content": b"{nope"}, 400),
    ("model empty body", "POST", "/models", {"content": b""}, 400),
    ("model body is a list", "POST", "/models", {"json": [MODEL]}, 422),
    ("model fields missing", "POST", "/models", {"json": {"name": "m"}}, 422),
    ("model of another owner", "POST", "/models", {"json": {**MODEL, "owner": "replicate"}}, 422),
    ("model bad visibility", "POST", "/models", {"json": {**MODEL, "visibility": "hidden"}}, 422),
    ("model unknown hardware", "POST", "/models", {"json": {**MODEL, "hardware": "tpu"}}, 422),
    ("model hardware not a string", "POST", "/models", {"json": {**MODEL, "hardware": 1}}, 422),
    ("model unknown field", "POST", "/models", {"json": {**MODEL, "readme": "x"}}, 422),
    ("model bad url", "POST", "/models", {"json": {**MODEL, "github_url": "github"}}, 422),
    ("model unparseable url", "POST", "/models", {"json": {**MODEL, "cover_image_url": "http://[::1"}}, 422),
    ("model uppercase name", "POST", "/models", {"json": {**MODEL, "name": "Model"}}, 422),
    ("model name too long", "POST", "/models", {"json": {**MODEL, "name": "a" * 101}}, 422),
    ("model name with slash", "POST", "/models", {"json": {**MODEL, "name": "a/b"}}, 422),
    ("model oversized body", "POST", "/models", {"content": b"{" + b" " * (17 * 1024 * 1024) + b"}"}, 413),
    ("update others' model", "PATCH", "/models/replicate/hello-world", {"json": {"description": "x"}}, 403),
    ("update unknown model", "PATCH", f"/models/{ME}/missing", {"json": {}}, 404),
    ("update bad json", "PATCH", "/models/replicate/hello-world", {"content": b"["}, 400),
    ("update wrong type", "PATCH", "/models/replicate/hello-world", {"json": {"readme": 5}}, 403),
    ("delete unknown model", "DELETE", "/models/nobody/nothing", {}, 404),
    ("delete others' model", "DELETE", "/models/replicate/hello-world", {}, 403),
    ("delete unknown version", "DELETE", f"/models/replicate/hello-world/versions/{'0' * 64}", {}, 404),
    ("delete others' version", "DELETE", f"/models/replicate/hello-world/versions/{HEX}", {}, 403),
    ("put on model", "PUT", "/models/replicate/hello-world", {"json": {}}, 405),
    ("deployment malformed json", "POST", "/deployments", {"content": b"{"}, 400),
    ("deployment empty object", "POST", "/deployments", {"json": {}}, 422),
    ("deployment min above max", "POST", "/deployments", {"json": {**DEPLOY, "min_instances": 2}}, 422),
    ("deployment bool instances", "POST", "/deployments", {"json": {**DEPLOY, "max_instances": True}}, 422),
    ("deployment float instances", "POST", "/deployments", {"json": {**DEPLOY, "max_instances": 1.5}}, 422),
    ("deployment too many", "POST", "/deployments", {"json": {**DEPLOY, "max_instances": 21}}, 422),
    ("deployment foreign version", "POST", "/deployments", {"json": {**DEPLOY, "model": "mock/echo"}}, 422),
    ("deployment model without owner", "POST", "/deployments", {"json": {**DEPLOY, "model": "echo"}}, 422),
    ("deployment private model of others", "POST", "/deployments", {"json": {**DEPLOY, "model": "other/secret"}}, 422),
    ("deployment unknown field", "POST", "/deployments", {"json": {**DEPLOY, "region": "eu"}}, 422),
    ("deployment bad cursor", "GET", "/deployments", {"params": {"cursor": "%%%"}}, 404),
    ("update unknown deployment", "PATCH", "/deployments/nobody/nothing", {"json": {}}, 404),
    ("delete unknown deployment", "DELETE", "/deployments/nobody/nothing", {}, 404),
    ("get unknown deployment", "GET", "/deployments/nobody/nothing", {}, 404),
    ("put on deployments", "PUT", "/deployments", {}, 405),
    ("unknown collection", "GET", "/collections/nothing", {}, 404),
    ("collections bad cursor", "GET", "/collections", {"params": {"cursor": "!!!"}}, 404),
    ("post collections", "POST", "/collections", {"json": {}}, 405),
    ("post hardware", "POST", "/hardware", {"json": {}}, 405),
    ("search without query", "GET", "/search", {}, 400),
    ("search empty query", "GET", "/search", {"params": {"query": ""}}, 400),
    ("search query twice", "GET", "/search", {"params": [("query", "a"), ("query", "b")]}, 400),
    ("search limit not a number", "GET", "/search", {"params": {"query": "a", "limit": "x"}}, 400),
    ("search limit zero", "GET", "/search", {"params": {"query": "a", "limit": "0"}}, 400),
    ("search query too long", "GET", "/search", {"params": {"query": "a" * 2000}}, 400),
    ("post search", "POST", "/search", {"json": {}}, 405),
]  # fmt: skip


async def _state(server: MockServer, client: httpx.AsyncClient) -> tuple[Any, ...]:
    models = (await client.get("/models")).json()
    deployments = (await client.get("/deployments")).json()
    return models, deployments, server.engine.generation


@pytest.mark.parametrize(
    ("method", "path", "kwargs", "status"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
async def test_bad_catalogue_input_is_a_clean_4xx_without_side_effects(
    server: MockServer, method: str, path: str, kwargs: dict[str, Any], status: int
) -> None:
    server.control.register_model(
        {"model": "other/secret", "visibility": "private", "version": "c" * 64, "output": "x"}
    )
    async with asgi_client(server) as client:
        before = await _state(server, client)
        response = await client.request(method, path, **kwargs)
        assert response.status_code == status, response.text
        assert response.headers["content-type"] == "application/problem+json"
        problem = response.json()
        assert problem["status"] == status and problem["title"] and problem["detail"]
        assert await _state(server, client) == before
