"""Example mode: every operation, called the way generated SDK test suites call it, succeeds.

Stainless and openapi-generator write one test per operation with placeholder arguments: a path
parameter's own name (``model_owner``, ``prediction_id``), a body field's name (``destination``,
``version``), 0 for numbers. The placeholders here are derived from the spec the same way, so
every operation of the spec is covered and a new one is covered on arrival.
"""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest

from mock_server import MockServer
from mock_server.engine.accounts import username_for
from tests.mock.conftest import ROOT
from tests.mock.spec import METHODS, _resolve, spec, validate

TOKEN = "r8_sdk_suite"


def _placeholder(name: str, schema: dict[str, Any]) -> Any:
    """What a generated SDK test passes for a value of this schema."""
    schema = _resolve(schema)
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type")
    kind = next(k for k in kind if k != "null") if isinstance(kind, list) else kind
    if kind == "integer" or kind == "number":
        return schema.get("minimum", 0)
    if kind == "boolean":
        return True
    if kind == "array":
        return [_placeholder(name, schema.get("items", {}))]
    if kind == "object":
        return {}
    if schema.get("format") == "uri":
        return "https://example.com/" + name
    return name


def _calls() -> list[tuple[str, str, str, dict[str, Any]]]:
    """(operation id, method, URL, httpx request arguments) for every operation of the spec."""
    calls = []
    for path, item in spec()["paths"].items():
        for method in METHODS:
            op: Any = item.get(method)
            if not isinstance(op, dict):
                continue
            params = [_resolve(p) for p in [*item.get("parameters", []), *op.get("parameters", [])]]
            url = "/v1" + re.sub(r"\{([^}]+)\}", lambda m: m.group(1), path)
            query = {
                p["name"]: _placeholder(p["name"], p["schema"])
                for p in params
                if p["in"] == "query" and p.get("required")
            }
            kwargs: dict[str, Any] = {"params": query}
            content = (op.get("requestBody") or {}).get("content", {})
            if "application/json" in content:
                body = _resolve(content["application/json"]["schema"])
                kwargs["json"] = {
                    key: _placeholder(key, body["properties"][key])
                    for key in body.get("required", [])
                }
            elif "multipart/form-data" in content:
                kwargs["files"] = {"content": ("content.txt", b"content", "text/plain")}
            elif "text/plain" in content:
                kwargs["content"] = b"query"
            verb = "QUERY" if method == "x-query" else method.upper()
            calls.append((op["operationId"], verb, url, kwargs))
    return calls


CALLS = _calls()


@pytest.fixture(scope="module")
def server() -> MockServer:
    return MockServer(seed=3, clock="auto", tokens=[TOKEN], rate_limits=None, examples=True)


@pytest.mark.parametrize(
    ("operation_id", "method", "url", "kwargs"), CALLS, ids=[c[0] for c in CALLS]
)
async def test_placeholder_calls_succeed_with_schema_valid_answers(
    server: MockServer, operation_id: str, method: str, url: str, kwargs: dict[str, Any]
) -> None:
    transport = httpx.ASGITransport(app=server.app)
    headers = {"Authorization": f"Bearer {TOKEN}"}
    async with httpx.AsyncClient(transport=transport, base_url=ROOT, headers=headers) as client:
        response = await client.request(method, url, **kwargs)
    assert 200 <= response.status_code < 300, (operation_id, response.text)
    media = response.headers.get("content-type", "").split(";")[0]
    if media in ("application/json", "text/plain"):
        body = response.json() if media == "application/json" else response.text
        validate(operation_id, response.status_code, media, body)


async def test_materialised_resources_are_named_and_deterministic() -> None:
    bodies = []
    for _ in range(2):
        mock = MockServer(seed=3, clock="auto", examples=True)
        transport = httpx.ASGITransport(app=mock.app)
        headers = {"Authorization": f"Bearer {TOKEN}"}
        async with httpx.AsyncClient(transport=transport, base_url=ROOT, headers=headers) as c:
            model = (await c.get("/v1/models/model_owner/model_name")).json()
            prediction = (await c.get("/v1/predictions/prediction_id")).json()
        bodies.append((model, prediction))
    assert bodies[0] == bodies[1]
    model, prediction = bodies[0]
    assert (model["owner"], model["name"]) == ("model_owner", "model_name")
    assert prediction["id"] == "prediction_id"


async def test_another_accounts_private_model_is_managed_like_any_other() -> None:
    # Ownership is waived in example mode, and with it the privacy that hides another's model.
    mock = MockServer(seed=3, clock="auto", examples=True)
    transport = httpx.ASGITransport(app=mock.app)
    headers = {"Authorization": f"Bearer {TOKEN}"}
    body = {"owner": "someone_else", "name": "secret", "visibility": "private", "hardware": "cpu"}
    async with httpx.AsyncClient(transport=transport, base_url=ROOT, headers=headers) as c:
        created = await c.post("/v1/models", json=body)
        read = await c.get("/v1/models/someone_else/secret")
        deleted = await c.delete("/v1/models/someone_else/secret")
    assert created.status_code == 201
    assert read.status_code == 200 and read.json()["visibility"] == "private"
    assert deleted.status_code == 204


async def test_bad_requests_still_fail_in_example_mode() -> None:
    mock = MockServer(seed=3, clock="auto", examples=True)
    transport = httpx.ASGITransport(app=mock.app)
    headers = {"Authorization": f"Bearer {TOKEN}"}
    async with httpx.AsyncClient(transport=transport, base_url=ROOT, headers=headers) as c:
        no_input = await c.post("/v1/predictions", json={"version": "version"})
        extra = await c.post("/v1/models/o/n/predictions", json={"input": {}, "version": "v"})
        anonymous = await c.get("/v1/account", headers={"Authorization": ""})
    assert no_input.status_code == 422
    assert extra.status_code == 422
    assert anonymous.status_code == 401


async def test_default_mode_is_unchanged_by_placeholders() -> None:
    mock = MockServer(seed=3, clock="auto")
    transport = httpx.ASGITransport(app=mock.app)
    headers = {"Authorization": f"Bearer {TOKEN}"}
    async with httpx.AsyncClient(transport=transport, base_url=ROOT, headers=headers) as c:
        assert (await c.get("/v1/models/model_owner/model_name")).status_code == 404
        assert (await c.get("/v1/predictions/prediction_id")).status_code == 404
    assert username_for(TOKEN).startswith("user-")
