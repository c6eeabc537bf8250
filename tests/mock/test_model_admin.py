"""Models write side: create, update, delete, delete a version."""

from __future__ import annotations

from typing import Any

import httpx

from mock_server import MockServer
from tests.mock.conftest import asgi_client

HELLO_VERSION = "5c7d5dc6dd8bf75c1acaa8565735e7986bc5b66206b55cca93cb72c9bf15ccaa"


async def _username(client: httpx.AsyncClient) -> str:
    name: str = (await client.get("/account")).json()["username"]
    return name


def _body(owner: str, name: str = "scratch", **extra: Any) -> dict[str, Any]:
    return {"owner": owner, "name": name, "visibility": "private", "hardware": "cpu", **extra}


async def test_create_model_returns_201_and_an_empty_model(
    server: MockServer, client: httpx.AsyncClient
) -> None:
    owner = await _username(client)
    response = await client.post(
        "/models",
        json=_body(owner, description="mine", github_url="https://github.com/me/scratch"),
    )
    assert response.status_code == 201, response.text
    model = response.json()
    assert (model["owner"], model["name"], model["visibility"]) == (owner, "scratch", "private")
    assert model["description"] == "mine"
    assert model["github_url"] == "https://github.com/me/scratch"
    assert model["latest_version"] is None and model["run_count"] == 0
    assert model["is_official"] is False
    assert model["created_at"] == server.engine.now_iso()
    assert (await client.get(f"/models/{owner}/scratch")).json() == model


async def test_private_models_are_invisible_to_other_accounts(
    server: MockServer, client: httpx.AsyncClient
) -> None:
    owner = await _username(client)
    await client.post("/models", json=_body(owner))
    async with asgi_client(server, token="r8_someone_else") as other:
        assert (await other.get(f"/models/{owner}/scratch")).status_code == 404
        listed = (await other.get("/models")).json()["results"]
        assert f"{owner}/scratch" not in {f"{m['owner']}/{m['name']}" for m in listed}
    listed = (await client.get("/models")).json()["results"]
    assert f"{owner}/scratch" in {f"{m['owner']}/{m['name']}" for m in listed}


async def test_create_refuses_other_owners_duplicates_and_bad_fields(
    client: httpx.AsyncClient,
) -> None:
    owner = await _username(client)
    other = await client.post("/models", json=_body("replicate"))
    assert other.status_code == 422
    assert other.json()["invalid_fields"][0]["field"] == "owner"
    assert (await client.post("/models", json=_body(owner))).status_code == 201
    duplicate = await client.post("/models", json=_body(owner))
    assert duplicate.status_code == 422
    assert "already exists" in duplicate.json()["detail"]
    bad = await client.post(
        "/models",
        json={"owner": owner, "name": "Bad Name!", "visibility": "secret", "hardware": "tpu"},
    )
    fields = {f["field"] for f in bad.json()["invalid_fields"]}
    assert fields == {"name", "visibility", "hardware"}


async def test_update_changes_only_given_fields(client: httpx.AsyncClient) -> None:
    owner = await _username(client)
    await client.post("/models", json=_body(owner, description="before"))
    response = await client.patch(
        f"/models/{owner}/scratch",
        json={"readme": "# Scratch\n", "paper_url": "https://arxiv.org/abs/1"},
    )
    assert response.status_code == 200
    model = response.json()
    assert model["description"] == "before"
    assert model["paper_url"] == "https://arxiv.org/abs/1"
    readme = await client.get(f"/models/{owner}/scratch/readme")
    assert readme.text == "# Scratch\n"


async def test_update_refuses_models_of_others(client: httpx.AsyncClient) -> None:
    response = await client.patch("/models/replicate/hello-world", json={"description": "x"})
    assert response.status_code == 403
    model = (await client.get("/models/replicate/hello-world")).json()
    assert model["description"] != "x"
    assert (await client.patch("/models/nobody/nothing", json={})).status_code == 404


async def test_delete_model_only_private_and_without_versions(
    server: MockServer, client: httpx.AsyncClient
) -> None:
    owner = await _username(client)
    await client.post("/models", json=_body(owner, "public-one", visibility="public"))
    refused = await client.delete(f"/models/{owner}/public-one")
    assert refused.status_code == 422 and "private" in refused.json()["detail"]
    server.control.register_model(
        {"model": f"{owner}/versioned", "visibility": "private", "output": "x"}
    )
    refused = await client.delete(f"/models/{owner}/versioned")
    assert refused.status_code == 422 and "version" in refused.json()["detail"]
    await client.post("/models", json=_body(owner))
    deleted = await client.delete(f"/models/{owner}/scratch")
    assert deleted.status_code == 204 and deleted.content == b""
    assert (await client.get(f"/models/{owner}/scratch")).status_code == 404
    assert (await client.delete("/models/replicate/hello-world")).status_code == 403
    assert (await client.delete(f"/models/{owner}/scratch")).status_code == 404


async def _private_model_with_version(server: MockServer, owner: str) -> str:
    model = server.control.register_model(
        {"model": f"{owner}/tuned", "visibility": "private", "output": "done"}
    )
    version: str = model["latest_version"]["id"]
    return version


async def test_delete_version_answers_202_then_the_model_can_go(
    server: MockServer, client: httpx.AsyncClient
) -> None:
    owner = await _username(client)
    version = await _private_model_with_version(server, owner)
    response = await client.delete(f"/models/{owner}/tuned/versions/{version}")
    assert response.status_code == 202
    assert (await client.get(f"/models/{owner}/tuned/versions/{version}")).status_code == 404
    refused = await client.post("/predictions", json={"version": version, "input": {}})
    assert refused.status_code == 422
    assert (await client.delete(f"/models/{owner}/tuned")).status_code == 204


async def test_delete_version_refused_when_others_ran_it_or_deployed(
    server: MockServer, client: httpx.AsyncClient
) -> None:
    owner = await _username(client)
    version = await _private_model_with_version(server, owner)
    deployment = {
        "name": "d",
        "model": f"{owner}/tuned",
        "version": version,
        "hardware": "cpu",
        "min_instances": 0,
        "max_instances": 1,
    }
    assert (await client.post("/deployments", json=deployment)).status_code == 200
    refused = await client.delete(f"/models/{owner}/tuned/versions/{version}")
    assert refused.status_code == 422 and "deployment" in refused.json()["detail"]
    assert (await client.delete(f"/deployments/{owner}/d")).status_code == 204
    tuned = server.engine.catalogue.get(owner, "tuned", viewer=owner)
    assert tuned is not None
    tuned.visibility = "public"  # so that another account can run it
    async with asgi_client(server, token="r8_stranger") as stranger:
        ran = await stranger.post("/predictions", json={"version": version, "input": {}})
        assert ran.status_code == 201
    tuned.visibility = "private"
    refused = await client.delete(f"/models/{owner}/tuned/versions/{version}")
    assert refused.status_code == 422 and "other accounts" in refused.json()["detail"]


async def test_delete_version_of_someone_elses_model(client: httpx.AsyncClient) -> None:
    path = f"/models/replicate/hello-world/versions/{HELLO_VERSION}"
    assert (await client.delete(path)).status_code == 403
    assert (await client.get(path)).status_code == 200
    missing = await client.delete("/models/replicate/hello-world/versions/" + "0" * 64)
    assert missing.status_code == 404
