"""Trainings of the mock through plain httpx: create, get, list, cancel, new versions."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from mock_server import MockServer
from tests.mock.conftest import asgi_client
from tests.mock.spec import validate


async def trainer_version(client: httpx.AsyncClient) -> str:
    model = (await client.get("/models/mock/trainer")).json()
    version: str = model["latest_version"]["id"]
    return version


async def make_destination(client: httpx.AsyncClient, name: str = "tuned") -> str:
    owner = (await client.get("/account")).json()["username"]
    r = await client.post(
        "/models", json={"owner": owner, "name": name, "visibility": "private", "hardware": "cpu"}
    )
    assert r.status_code == 201, r.text
    return f"{owner}/{name}"


async def start(client: httpx.AsyncClient, destination: str, **extra: Any) -> httpx.Response:
    version = await trainer_version(client)
    body = {"destination": destination, "input": {"steps": 3}, **extra}
    return await client.post(f"/models/mock/trainer/versions/{version}/trainings", json=body)


async def test_a_training_runs_on_the_clock_and_adds_a_version(
    server: MockServer, client: httpx.AsyncClient
) -> None:
    destination = await make_destination(client)
    r = await start(client, destination)
    assert r.status_code == 201, r.text
    created = r.json()
    validate("trainings.create", 201, "application/json", created)
    assert created["status"] == "starting" and created["output"] is None
    assert created["model"] == "mock/trainer"
    assert created["version"] == await trainer_version(client)
    assert created["input"] == {"steps": 3}
    assert created["urls"]["get"] == f"http://mock.test/v1/trainings/{created['id']}"
    url = f"/trainings/{created['id']}"

    server.control.advance(0.2)
    running = (await client.get(url)).json()
    assert running["status"] == "processing"
    assert (await client.get(f"/models/{destination}/versions")).json()["results"] == []

    server.control.advance(1)
    done = (await client.get(url)).json()
    validate("trainings.get", 200, "application/json", done)
    assert done["status"] == "succeeded", done
    assert "step 3/3" in done["logs"]
    assert done["metrics"]["predict_time"] == pytest.approx(0.4)
    output = done["output"]
    owner_name, _, version_id = output["version"].partition(":")
    assert owner_name == destination and len(version_id) == 64
    assert output["weights"].startswith("http://mock.test/")

    versions = (await client.get(f"/models/{destination}/versions")).json()["results"]
    assert [v["id"] for v in versions] == [version_id]
    model = (await client.get(f"/models/{destination}")).json()
    assert model["latest_version"]["id"] == version_id
    schemas = model["latest_version"]["openapi_schema"]["components"]["schemas"]
    assert "Input" in schemas and "TrainingInput" not in schemas

    weights = await client.get(output["weights"])
    assert weights.status_code == 200 and weights.content.startswith(b"weights:")

    # The new version predicts like its base model.
    p = await client.post("/predictions", json={"version": version_id, "input": {"prompt": "hi"}})
    assert p.status_code == 201, p.text
    assert p.json()["model"] == destination


async def test_list_get_and_isolation(server: MockServer, client: httpx.AsyncClient) -> None:
    destination = await make_destination(client)
    ids = [(await start(client, destination)).json()["id"] for _ in range(3)]
    page = (await client.get("/trainings")).json()
    validate("trainings.list", 200, "application/json", page)
    assert [t["id"] for t in page["results"]] == ids[::-1]
    # Trainings and predictions do not mix.
    assert (await client.get(f"/predictions/{ids[0]}")).status_code == 404
    assert (await client.get("/predictions")).json()["results"] == []
    async with asgi_client(server, "r8_other") as other:
        assert (await other.get(f"/trainings/{ids[0]}")).status_code == 404
        assert (await other.post(f"/trainings/{ids[0]}/cancel")).status_code == 404
        assert (await other.get("/trainings")).json()["results"] == []


async def test_trainings_list_is_paginated() -> None:
    server = MockServer(seed=3, clock="virtual", page_size=2)
    async with asgi_client(server) as client:
        destination = await make_destination(client)
        ids = [(await start(client, destination)).json()["id"] for _ in range(3)]
        first = (await client.get("/trainings")).json()
        assert [t["id"] for t in first["results"]] == ids[:0:-1]
        assert first["next"].startswith("http://mock.test/v1/trainings?cursor=")
        second = (await client.get(first["next"])).json()
        assert [t["id"] for t in second["results"]] == ids[:1] and second["next"] is None


async def test_cancel_stops_the_training_without_a_version(
    server: MockServer, client: httpx.AsyncClient
) -> None:
    destination = await make_destination(client)
    training = (await start(client, destination)).json()
    server.control.advance(0.5)
    r = await client.post(f"/trainings/{training['id']}/cancel")
    assert r.status_code == 200
    validate("trainings.cancel", 200, "application/json", r.json())
    assert r.json()["status"] == "canceled"
    server.control.advance(10)
    assert (await client.get(f"/trainings/{training['id']}")).json()["status"] == "canceled"
    assert (await client.get(f"/models/{destination}/versions")).json()["results"] == []
    again = await client.post(f"/trainings/{training['id']}/cancel")
    assert again.status_code == 200 and again.json()["status"] == "canceled"


async def test_auto_clock_polling_reaches_success(auto_client: httpx.AsyncClient) -> None:
    destination = await make_destination(auto_client)
    training = (await start(auto_client, destination)).json()
    statuses = []
    for _ in range(5):
        body = (await auto_client.get(f"/trainings/{training['id']}")).json()
        statuses.append(body["status"])
        if body["status"] == "succeeded":
            break
    assert statuses == ["processing", "succeeded"]


async def test_destination_must_exist_and_belong_to_the_caller(
    server: MockServer, client: httpx.AsyncClient
) -> None:
    async with asgi_client(server, "r8_other") as other:
        foreign = await make_destination(other, "theirs")
    for destination in (foreign, "nobody/nothing", "replicate/hello-world"):
        r = await start(client, destination)
        assert r.status_code == 404, (destination, r.text)
        assert r.json()["detail"] == "The specified training destination does not exist"
        validate("trainings.create", 404, "application/problem+json", r.json())
    assert (await client.get("/trainings")).json()["results"] == []


async def test_unknown_base_and_untrainable_versions(client: httpx.AsyncClient) -> None:
    destination = await make_destination(client)
    body = {"destination": destination, "input": {}}
    missing_version = await client.post(
        f"/models/mock/trainer/versions/{'0' * 64}/trainings", json=body
    )
    assert missing_version.status_code == 404
    missing_model = await client.post(f"/models/no/body/versions/{'0' * 64}/trainings", json=body)
    assert missing_model.status_code == 404
    hello = "5c7d5dc6dd8bf75c1acaa8565735e7986bc5b66206b55cca93cb72c9bf15ccaa"
    untrainable = await client.post(
        f"/models/replicate/hello-world/versions/{hello}/trainings", json=body
    )
    assert untrainable.status_code == 422
    validate("trainings.create", 422, "application/problem+json", untrainable.json())
    assert (await client.get("/trainings")).json()["results"] == []


BAD_BODIES: list[tuple[str, Any]] = [
    ("not an object", [1]),
    ("no destination", {"input": {}}),
    ("destination not a string", {"destination": 3, "input": {}}),
    ("destination without slash", {"destination": "tuned", "input": {}}),
    ("no input", {"destination": "a/b"}),
    ("input not an object", {"destination": "a/b", "input": "x"}),
    ("unknown field", {"destination": "a/b", "input": {}, "colour": "red"}),
    ("bad webhook", {"destination": "a/b", "input": {}, "webhook": "ftp://x"}),
    ("unparseable webhook", {"destination": "a/b", "input": {}, "webhook": "http://[::1"}),
    ("bad webhook_completed", {"destination": "a/b", "input": {}, "webhook_completed": "x"}),
    ("bad filter", {"destination": "a/b", "input": {}, "webhook_events_filter": ["done"]}),
    ("bad training input", {"destination": "DEST", "input": {"steps": 0}}),
    ("wrong input type", {"destination": "DEST", "input": {"steps": "many"}}),
]


@pytest.mark.parametrize(("case", "body"), BAD_BODIES, ids=[c for c, _ in BAD_BODIES])
async def test_bad_bodies_are_a_clean_422_without_side_effects(
    client: httpx.AsyncClient, case: str, body: Any
) -> None:
    destination = await make_destination(client)
    if isinstance(body, dict) and body.get("destination") == "DEST":
        body = {**body, "destination": destination}
    version = await trainer_version(client)
    r = await client.post(f"/models/mock/trainer/versions/{version}/trainings", json=body)
    assert r.status_code == 422, (case, r.text)
    assert r.headers["content-type"] == "application/problem+json"
    assert r.json()["invalid_fields"]
    assert (await client.get("/trainings")).json()["results"] == []


async def test_malformed_json_and_missing_auth(
    server: MockServer, client: httpx.AsyncClient
) -> None:
    version = await trainer_version(client)
    url = f"/models/mock/trainer/versions/{version}/trainings"
    r = await client.post(url, content=b"{nope", headers={"content-type": "application/json"})
    assert r.status_code == 400 and r.headers["content-type"] == "application/problem+json"
    async with asgi_client(server, token=None) as anonymous:
        for method, path in [("POST", url), ("GET", "/trainings"), ("GET", "/trainings/x")]:
            assert (await anonymous.request(method, path)).status_code == 401
    assert (await client.get("/trainings/missing")).status_code == 404
    assert (await client.post("/trainings/missing/cancel")).status_code == 404


async def test_trainings_are_deterministic() -> None:
    async def run() -> list[bytes]:
        server = MockServer(seed=5, clock="auto")
        async with asgi_client(server) as client:
            destination = await make_destination(client)
            created = await start(client, destination)
            got = await client.get(f"/trainings/{created.json()['id']}")
            done = await client.get(f"/trainings/{created.json()['id']}")
            return [created.content, got.content, done.content]

    assert await run() == await run()
