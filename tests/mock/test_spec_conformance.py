"""Every response the mock gives for its operations validates against openapi/replicate.openapi.yaml."""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from mock_server import MockServer
from tests.mock.spec import METHODS, operation, response_schema, spec, validate

HELLO_VERSION = "5c7d5dc6dd8bf75c1acaa8565735e7986bc5b66206b55cca93cb72c9bf15ccaa"
Exchange = tuple[str, Any]  # (operation id, httpx.Response)


@functools.cache
def exchanges() -> list[Exchange]:
    return asyncio.run(_scenario())


async def _scenario() -> list[Exchange]:
    server = MockServer(
        seed=11, clock="auto", rate_limits={"create": 30, "other": 3000}, max_file_size=1024
    )
    transport = httpx.ASGITransport(app=server.app)
    async with httpx.AsyncClient(transport=transport, base_url="http://mock.test") as client:
        return await _calls(server, client)


async def _calls(server: MockServer, client: httpx.AsyncClient) -> list[Exchange]:
    auth = {"Authorization": "Bearer r8_conformance"}
    log: list[Exchange] = []

    async def call(op: str, method: str, url: str, **kwargs: Any) -> Any:
        headers = {**auth, **kwargs.pop("headers", {})}
        response = await client.request(method, url, headers=headers, **kwargs)
        log.append((op, response))
        return response

    account = (await call("account.get", "GET", "/v1/account")).json()
    await call("account.get", "GET", "/v1/account", headers={"Authorization": "Bearer"})
    body = {"version": HELLO_VERSION, "input": {"text": "x"}}
    created = (await call("predictions.create", "POST", "/v1/predictions", json=body)).json()
    await call(
        "predictions.create", "POST", "/v1/predictions", json=body, headers={"Prefer": "wait"}
    )
    await call(
        "predictions.create",
        "POST",
        "/v1/predictions",
        json={"version": HELLO_VERSION, "input": {}},
    )
    await call("predictions.get", "GET", f"/v1/predictions/{created['id']}")
    await call("predictions.get", "GET", f"/v1/predictions/{created['id']}")
    await call("predictions.get", "GET", "/v1/predictions/missing")
    await call("predictions.list", "GET", "/v1/predictions")
    slow = (
        await call(
            "models.predictions.create",
            "POST",
            "/v1/models/mock/slow/predictions",
            json={"input": {}},
            headers={"Prefer": "wait=1", "Cancel-After": "1h"},
        )
    ).json()
    await call("predictions.cancel", "POST", f"/v1/predictions/{slow['id']}/cancel")
    await call("predictions.cancel", "POST", "/v1/predictions/missing/cancel")
    await call(
        "models.predictions.create",
        "POST",
        "/v1/models/mock/fail/predictions",
        json={"input": {}},
        headers={"Prefer": "wait"},
    )
    await call(
        "models.predictions.create",
        "POST",
        "/v1/models/stability-ai/sdxl/predictions",
        json={"input": {"num_outputs": 2}},
        headers={"Prefer": "wait"},
    )
    llm = (
        await call(
            "models.predictions.create",
            "POST",
            "/v1/models/meta/meta-llama-3-8b-instruct/predictions",
            json={
                "input": {"prompt": "hi"},
                "webhook": "http://127.0.0.1:9/hook",
                "webhook_events_filter": ["completed"],
            },
        )
    ).json()
    await call("predictions.stream", "GET", llm["urls"]["stream"])
    await call(
        "models.predictions.create",
        "POST",
        "/v1/models/nobody/nothing/predictions",
        json={"input": {}},
    )
    await _catalogue_calls(server, call, account["username"])
    await call(
        "deployments.predictions.create",
        "POST",
        f"/v1/deployments/{account['username']}/my-deployment/predictions",
        json={"input": {"text": "d"}},
    )
    await call(
        "deployments.predictions.create",
        "POST",
        "/v1/deployments/nobody/nothing/predictions",
        json={"input": {}},
    )
    await call("models.list", "GET", "/v1/models")
    await call(
        "models.search",
        "QUERY",
        "/v1/models",
        content="llama",
        headers={"content-type": "text/plain"},
    )
    await call("models.get", "GET", "/v1/models/replicate/hello-world")
    await call("models.get", "GET", "/v1/models/nobody/nothing")
    await call("models.versions.list", "GET", "/v1/models/replicate/hello-world/versions")
    await call(
        "models.versions.get", "GET", f"/v1/models/replicate/hello-world/versions/{HELLO_VERSION}"
    )
    await call("models.readme.get", "GET", "/v1/models/replicate/hello-world/readme")
    await call("models.examples.list", "GET", "/v1/models/replicate/hello-world/examples")
    await _files(call)
    await _trainings(server, call, account["username"])
    await call("webhooks.default.secret.get", "GET", "/v1/webhooks/default/secret")
    await call(
        "webhooks.default.secret.get",
        "GET",
        "/v1/webhooks/default/secret",
        headers={"Authorization": "Bearer"},
    )
    for _ in range(40):  # exhaust the create bucket to get a documented 429
        last = await call("predictions.create", "POST", "/v1/predictions", json=body)
        if last.status_code == 429:
            break
    return log


async def _files(call: Callable[..., Any]) -> None:
    upload = {"content": ("a.txt", b"abc", "text/plain")}
    created = (await call("files.create", "POST", "/v1/files", files=upload)).json()
    await call("files.create", "POST", "/v1/files", files={"content": ("a", b"x" * 2048)})
    await call("files.create", "POST", "/v1/files", files={"metadata": (None, b"{}")})
    await call("files.get", "GET", f"/v1/files/{created['id']}")
    await call("files.get", "GET", "/v1/files/missing")
    await call("files.list", "GET", "/v1/files")
    await call("files.download", "GET", created["urls"]["download"], headers={"Authorization": ""})
    await call("files.download", "GET", "/v1/files/missing/download?owner=a&expiry=1&signature=b")
    await call("files.delete", "DELETE", f"/v1/files/{created['id']}")
    await call("files.delete", "DELETE", f"/v1/files/{created['id']}")


Call = Callable[..., Any]


async def _trainings(server: MockServer, call: Call, owner: str) -> None:
    destination = {"owner": owner, "name": "tuned", "visibility": "private", "hardware": "cpu"}
    await call("models.create", "POST", "/v1/models", json=destination)
    trainer = server.engine.catalogue.get("mock", "trainer")
    assert trainer is not None and trainer.latest_version is not None
    create = f"/v1/models/mock/trainer/versions/{trainer.latest_version.id}/trainings"
    body = {"destination": f"{owner}/tuned", "input": {"steps": 2}}
    first = (await call("trainings.create", "POST", create, json=body)).json()
    await call("trainings.create", "POST", create, json={**body, "destination": "nobody/x"})
    await call("trainings.create", "POST", create, json={**body, "input": {"steps": -1}})
    await call("trainings.create", "POST", create.replace("trainer", "nothing"), json=body)
    for _ in range(3):
        await call("trainings.get", "GET", f"/v1/trainings/{first['id']}")
    await call("trainings.get", "GET", "/v1/trainings/missing")
    second = (await call("trainings.create", "POST", create, json=body)).json()
    await call("trainings.cancel", "POST", f"/v1/trainings/{second['id']}/cancel")
    await call("trainings.cancel", "POST", "/v1/trainings/missing/cancel")
    await call("trainings.list", "GET", "/v1/trainings")


async def _catalogue_calls(server: MockServer, call: Call, owner: str) -> None:
    """Models write side, deployments, hardware, collections and search."""
    await call("hardware.list", "GET", "/v1/hardware")
    await call("collections.list", "GET", "/v1/collections")
    await call("collections.get", "GET", "/v1/collections/text-to-image")
    await call("collections.get", "GET", "/v1/collections/missing")
    await call("search", "GET", "/v1/search", params={"query": "llama"})
    await call("search", "GET", "/v1/search", params={"query": "image", "limit": 1})
    await call("search", "GET", "/v1/search")
    model = {"owner": owner, "name": "scratch", "visibility": "private", "hardware": "cpu"}
    await call("models.create", "POST", "/v1/models", json=model)
    await call("models.create", "POST", "/v1/models", json=model)
    await call("models.update", "PATCH", f"/v1/models/{owner}/scratch", json={"readme": "# x"})
    await call("models.update", "PATCH", f"/v1/models/{owner}/scratch", json={"x": 1})
    await call("models.update", "PATCH", "/v1/models/nobody/nothing", json={})
    await call("models.delete", "DELETE", f"/v1/models/{owner}/scratch")
    await call("models.delete", "DELETE", f"/v1/models/{owner}/scratch")
    await call("models.delete", "DELETE", "/v1/models/replicate/hello-world")
    tuned = server.control.register_model(
        {"model": f"{owner}/tuned", "visibility": "private", "output": "x"}
    )
    versions = f"/v1/models/{owner}/tuned/versions"
    await call("models.versions.delete", "DELETE", f"{versions}/{tuned['latest_version']['id']}")
    await call("models.versions.delete", "DELETE", f"{versions}/{'0' * 64}")
    await call(
        "models.versions.delete",
        "DELETE",
        f"/v1/models/replicate/hello-world/versions/{HELLO_VERSION}",
    )
    deployment = {
        "name": "my-deployment",
        "model": "replicate/hello-world",
        "version": HELLO_VERSION,
        "hardware": "cpu",
        "min_instances": 0,
        "max_instances": 1,
    }
    await call("deployments.create", "POST", "/v1/deployments", json=deployment)
    await call("deployments.create", "POST", "/v1/deployments", json={**deployment, "name": "x!"})
    await call("deployments.list", "GET", "/v1/deployments")
    item = f"/v1/deployments/{owner}/my-deployment"
    await call("deployments.get", "GET", item)
    await call("deployments.get", "GET", "/v1/deployments/nobody/nothing")
    await call("deployments.update", "PATCH", item, json={"max_instances": 2})
    await call("deployments.update", "PATCH", item, json={"max_instances": 99})
    await call("deployments.update", "PATCH", "/v1/deployments/nobody/nothing", json={})
    await call("deployments.create", "POST", "/v1/deployments", json={**deployment, "name": "gone"})
    await call("deployments.delete", "DELETE", f"/v1/deployments/{owner}/gone")
    await call("deployments.delete", "DELETE", f"/v1/deployments/{owner}/gone")
    await call("deployments.update", "PATCH", item, json={"min_instances": 1})
    await call("deployments.delete", "DELETE", item)
    await call("deployments.update", "PATCH", item, json={"min_instances": 0})


OPERATIONS = sorted({op for op, _ in exchanges()})


def _media(response: Any) -> str:
    return str(response.headers["content-type"]).split(";")[0].strip()


@pytest.mark.parametrize("operation_id", OPERATIONS)
def test_responses_match_the_spec(operation_id: str) -> None:
    seen = [r for op, r in exchanges() if op == operation_id]
    assert seen
    for response in seen:
        if response.status_code == 204:
            assert response.content == b""
            assert "content" not in operation(operation_id)["responses"]["204"]
            continue
        if response.status_code == 202 and not response.content:  # models.versions.delete
            assert "content" not in operation(operation_id)["responses"]["202"]
            continue
        media = _media(response)
        if media == "text/event-stream":
            assert response.status_code == 200
            assert "event: done" in response.text
            continue
        if media == "application/octet-stream":
            assert response_schema(operation_id, response.status_code, media) is not None
            continue
        body: Any = response.text if media == "text/plain" else response.json()
        validate(operation_id, response.status_code, media, body)


STATUSES: dict[str, Callable[[set[int]], bool]] = {
    "predictions.create": lambda s: {201, 422, 429} <= s,
    "models.predictions.create": lambda s: {201, 202, 404} <= s,
    "predictions.get": lambda s: {200, 404} <= s,
    "account.get": lambda s: {200, 401} <= s,
    "files.create": lambda s: {201, 413, 422} <= s,
    "files.get": lambda s: {200, 404} <= s,
    "files.delete": lambda s: {204, 404} <= s,
    "files.download": lambda s: {200, 404} <= s,
    "trainings.create": lambda s: {201, 404, 422} <= s,
    "trainings.get": lambda s: {200, 404} <= s,
    "trainings.cancel": lambda s: {200, 404} <= s,
    "webhooks.default.secret.get": lambda s: {200, 401} <= s,
    "collections.get": lambda s: {200, 404} <= s,
    "search": lambda s: {200, 400} <= s,
    "models.create": lambda s: {201, 422} <= s,
    "models.update": lambda s: {200, 404, 422} <= s,
    "models.delete": lambda s: {204, 403, 404} <= s,
    "models.versions.delete": lambda s: {202, 403, 404} <= s,
    "deployments.create": lambda s: {200, 422} <= s,
    "deployments.get": lambda s: {200, 404} <= s,
    "deployments.update": lambda s: {200, 404, 422} <= s,
    "deployments.delete": lambda s: {204, 404, 422} <= s,
    "deployments.predictions.create": lambda s: {201, 404} <= s,
}


@pytest.mark.parametrize("operation_id", sorted(STATUSES))
def test_error_and_success_statuses_were_exercised(operation_id: str) -> None:
    statuses = {r.status_code for op, r in exchanges() if op == operation_id}
    assert STATUSES[operation_id](statuses), statuses


def test_every_operation_of_the_spec_is_exercised() -> None:
    documented = {
        op["operationId"]
        for item in spec()["paths"].values()
        for method in METHODS
        if isinstance(op := item.get(method), dict)
    }
    missing = documented - set(OPERATIONS)
    assert not missing, sorted(missing)
