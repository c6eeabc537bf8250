"""Deployments CRUD, numbered releases, and predictions through the current release."""

from __future__ import annotations

from typing import Any

import httpx

from mock_server import MockServer
from tests.mock.conftest import asgi_client

HELLO_VERSION = "5c7d5dc6dd8bf75c1acaa8565735e7986bc5b66206b55cca93cb72c9bf15ccaa"


def _spec(name: str = "greeter", **extra: Any) -> dict[str, Any]:
    return {
        "name": name,
        "model": "replicate/hello-world",
        "version": HELLO_VERSION,
        "hardware": "gpu-t4",
        "min_instances": 0,
        "max_instances": 2,
        **extra,
    }


async def _account(client: httpx.AsyncClient) -> dict[str, Any]:
    account: dict[str, Any] = (await client.get("/account")).json()
    return account


async def test_create_answers_200_with_release_one(
    server: MockServer, client: httpx.AsyncClient
) -> None:
    account = await _account(client)
    response = await client.post("/deployments", json=_spec())
    assert response.status_code == 200, response.text
    deployment = response.json()
    assert deployment["owner"] == account["username"] and deployment["name"] == "greeter"
    release = deployment["current_release"]
    assert release == {
        "number": 1,
        "model": "replicate/hello-world",
        "version": HELLO_VERSION,
        "created_at": server.engine.now_iso(),
        "created_by": account,
        "configuration": {"hardware": "gpu-t4", "min_instances": 0, "max_instances": 2},
    }
    got = await client.get(f"/deployments/{account['username']}/greeter")
    assert got.json() == deployment


async def test_updates_that_change_something_create_numbered_releases(
    server: MockServer, client: httpx.AsyncClient
) -> None:
    owner = (await _account(client))["username"]
    await client.post("/deployments", json=_spec())
    server.control.advance(10)
    path = f"/deployments/{owner}/greeter"
    changed = (await client.patch(path, json={"hardware": "cpu", "max_instances": 3})).json()
    release = changed["current_release"]
    assert release["number"] == 2
    assert release["configuration"] == {"hardware": "cpu", "min_instances": 0, "max_instances": 3}
    assert release["created_at"] == server.engine.now_iso()
    same = (await client.patch(path, json={"hardware": "cpu"})).json()
    assert same["current_release"]["number"] == 2  # nothing changed, no new release
    empty = (await client.patch(path, json={})).json()
    assert empty["current_release"]["number"] == 2
    bumped = (await client.patch(path, json={"min_instances": 1})).json()
    assert bumped["current_release"]["number"] == 3


async def test_predictions_follow_the_current_release(
    server: MockServer, client: httpx.AsyncClient
) -> None:
    owner = (await _account(client))["username"]
    model = server.control.register_model({"model": f"{owner}/greeter-model", "output": "v1"})
    first = model["latest_version"]["id"]
    await client.post("/deployments", json=_spec(model=f"{owner}/greeter-model", version=first))
    second = server.control.register_model(
        {"model": f"{owner}/greeter-model", "version": "b" * 64, "output": "v2"}
    )["latest_version"]["id"]
    path = f"/deployments/{owner}/greeter"

    async def run() -> Any:
        created = await client.post(path + "/predictions", json={"input": {}})
        assert created.status_code == 201, created.text
        server.control.advance(60)
        prediction = (await client.get(f"/predictions/{created.json()['id']}")).json()
        assert prediction["deployment"] == f"{owner}/greeter"
        return prediction["version"], prediction["output"]

    assert await run() == (first, "v1")
    updated = await client.patch(path, json={"version": second})
    assert updated.json()["current_release"]["number"] == 2
    assert await run() == (second, "v2")


async def test_list_is_paginated_newest_first_and_per_account() -> None:
    server = MockServer(seed=1, clock="virtual", page_size=2)
    async with asgi_client(server) as client, asgi_client(server, "r8_other") as other:
        for name in ("one", "two", "three"):
            assert (await client.post("/deployments", json=_spec(name))).status_code == 200
        first = (await client.get("/deployments")).json()
        assert [d["name"] for d in first["results"]] == ["three", "two"]
        assert first["next"].startswith("http://mock.test/v1/deployments?cursor=")
        second = (await client.get(first["next"])).json()
        assert [d["name"] for d in second["results"]] == ["one"]
        assert second["next"] is None and second["previous"]
        assert (await other.get("/deployments")).json()["results"] == []
        owner = first["results"][0]["owner"]
        assert (await other.get(f"/deployments/{owner}/one")).status_code == 404
        assert (await other.post(f"/deployments/{owner}/one/predictions", json={"input": {}})).status_code == 404  # fmt: skip


async def test_create_validates_every_field(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/deployments",
        json=_spec(name="Bad!", hardware="tpu", min_instances=6, max_instances=-1),
    )
    assert response.status_code == 422
    fields = {f["field"] for f in response.json()["invalid_fields"]}
    assert fields == {"name", "hardware", "min_instances", "max_instances"}
    wrong_version = await client.post("/deployments", json=_spec(version="0" * 64))
    assert [f["field"] for f in wrong_version.json()["invalid_fields"]] == ["version"]
    no_model = await client.post("/deployments", json=_spec(model="nobody/nothing"))
    assert [f["field"] for f in no_model.json()["invalid_fields"]] == ["model"]
    inverted = await client.post("/deployments", json=_spec(min_instances=3, max_instances=1))
    assert inverted.status_code == 422
    missing = await client.post("/deployments", json={"name": "x"})
    assert {f["type"] for f in missing.json()["invalid_fields"]} == {"required"}
    assert (await client.get("/deployments")).json()["results"] == []
    assert (await client.post("/deployments", json=_spec())).status_code == 200
    duplicate = await client.post("/deployments", json=_spec())
    assert duplicate.status_code == 422 and "already exists" in duplicate.json()["detail"]


async def test_update_rejects_bad_changes_without_a_release(client: httpx.AsyncClient) -> None:
    owner = (await _account(client))["username"]
    await client.post("/deployments", json=_spec())
    path = f"/deployments/{owner}/greeter"
    for body in (
        {"version": "0" * 64},
        {"min_instances": 3},  # above the current max of 2
        {"hardware": "tpu"},
        {"model": "mock/echo"},
        {"max_instances": "many"},
        [],
    ):
        response = await client.patch(path, json=body)
        assert response.status_code == 422, body
    assert (await client.get(path)).json()["current_release"]["number"] == 1
    assert (await client.patch("/deployments/nobody/nothing", json={})).status_code == 404


async def test_delete_needs_the_deployment_offline_and_idle(
    server: MockServer, client: httpx.AsyncClient
) -> None:
    owner = (await _account(client))["username"]
    await client.post("/deployments", json=_spec(min_instances=1))
    path = f"/deployments/{owner}/greeter"
    online = await client.delete(path)
    assert online.status_code == 422 and "min_instances" in online.json()["detail"]
    await client.patch(path, json={"min_instances": 0})
    await client.post(path + "/predictions", json={"input": {"text": "x"}})
    server.control.advance(60)
    busy = await client.delete(path)
    assert busy.status_code == 422 and "recently" in busy.json()["detail"]
    server.control.advance(15 * 60)
    deleted = await client.delete(path)
    assert deleted.status_code == 204 and deleted.content == b""
    assert (await client.get(path)).status_code == 404
    assert (await client.delete(path)).status_code == 404
    # The name is free again and the old predictions do not count against the new one.
    assert (await client.post("/deployments", json=_spec())).status_code == 200
    assert (await client.delete(path)).status_code == 204
