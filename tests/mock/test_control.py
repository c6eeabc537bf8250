"""Control API: HTTP under /_mock/ and the in-process Control mirror."""

from __future__ import annotations

import httpx
import pytest

from mock_server import MockServer
from tests.mock.conftest import HELLO, ROOT, asgi_client

SCRIPT_YAML = """
owner: acme
name: storyteller
setup_time: 1
logs: ["loading", {at: 0.5, line: "warming up"}]
output: [{at: 1, chunk: "Once"}, {at: 2, chunk: " upon"}, {at: 3, chunk: " a time"}]
input_schema:
  properties:
    prompt: {type: string, title: Prompt}
  required: [prompt]
"""


def control_client(server: MockServer) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=server.app), base_url=ROOT + "/_mock"
    )


async def test_clock_over_http(server: MockServer) -> None:
    async with control_client(server) as mock:
        clock = (await mock.get("/clock")).json()
        assert clock == {
            "now": 1735689600.0,
            "now_iso": "2025-01-01T00:00:00.000000Z",
            "mode": "virtual",
        }
        advanced = (await mock.post("/clock/advance", json={"seconds": 2.5})).json()
        assert advanced["now_iso"] == "2025-01-01T00:00:02.500000Z"
        assert (await mock.post("/clock/advance", json={"seconds": -1})).status_code == 400
        assert (await mock.post("/clock/mode", json={"mode": "sideways"})).status_code == 400
        assert (await mock.post("/clock/mode", json={"mode": "auto"})).json()["mode"] == "auto"
        health = (await mock.get("/health")).json()
        assert health["status"] == "ok" and health["clock"] == "auto"
    assert server.control.now() == 1735689602.5


async def test_register_scripted_model_from_yaml_over_http(server: MockServer) -> None:
    async with control_client(server) as mock, asgi_client(server) as client:
        registered = await mock.post(
            "/models", content=SCRIPT_YAML, headers={"content-type": "application/yaml"}
        )
        assert registered.status_code == 201
        version = registered.json()["latest_version"]
        assert (
            version["openapi_schema"]["components"]["schemas"]["Output"]["x-cog-array-type"]
            == "iterator"
        )
        assert (
            await client.post("/models/acme/storyteller/predictions", json={"input": {}})
        ).status_code == 422
        created = (
            await client.post(
                "/models/acme/storyteller/predictions", json={"input": {"prompt": "p"}}
            )
        ).json()
        server.control.advance(2.5)
        mid = (await client.get(created["urls"]["get"])).json()
        assert mid["status"] == "processing"
        assert mid["output"] == ["Once"]
        assert mid["logs"] == "loading\nwarming up\n"
        server.control.advance(5)
        done = (await client.get(created["urls"]["get"])).json()
        assert done["output"] == ["Once", " upon", " a time"]
        bad = await mock.post("/models", content="owner: x\nname: y\nsetup_time: -1\n")
        assert bad.status_code == 400
        assert "setup_time" in bad.json()["detail"]


async def test_registering_again_adds_a_version(server: MockServer) -> None:
    first = server.control.register_model({"model": "acme/thing", "output": 1})
    second = server.control.register_model({"model": "acme/thing", "output": 2})
    assert first["latest_version"]["id"] != second["latest_version"]["id"]
    async with asgi_client(server) as client:
        versions = (await client.get("/models/acme/thing/versions")).json()["results"]
        assert [v["id"] for v in versions] == [
            second["latest_version"]["id"],
            first["latest_version"]["id"],
        ]
        created = await client.post(
            "/predictions",
            json={"version": f"acme/thing:{first['latest_version']['id']}", "input": {}},
        )
        server.control.advance(1)
        assert (await client.get(created.json()["urls"]["get"])).json()["output"] == 1


async def test_scripted_failure(server: MockServer) -> None:
    server.control.register_model(
        {"model": "acme/broken", "logs": ["oops"], "error": "CUDA out of memory"}
    )
    async with asgi_client(server) as client:
        created = await client.post("/models/acme/broken/predictions", json={"input": {}})
        server.control.advance(1)
        body = (await client.get(created.json()["urls"]["get"])).json()
    assert (body["status"], body["error"], body["logs"]) == (
        "failed",
        "CUDA out of memory",
        "oops\n",
    )


async def test_status_fault_with_count_and_retry_after(server: MockServer) -> None:
    server.control.inject_fault("POST", "/v1/predictions", status=503, count=2, retry_after=3)
    async with asgi_client(server) as client:
        body = {"version": HELLO, "input": {"text": "a"}}
        statuses = [(await client.post("/predictions", json=body)) for _ in range(3)]
    assert [r.status_code for r in statuses] == [503, 503, 201]
    assert statuses[0].headers["retry-after"] == "3"
    assert statuses[0].headers["content-type"] == "application/problem+json"
    assert server.control.create_count() == 1  # an injected error never reaches the engine
    assert server.control.faults() == []


async def test_fault_rate_is_deterministic_from_the_seed() -> None:
    async def pattern(seed: int) -> list[int]:
        server = MockServer(seed=seed, clock="virtual")
        server.control.inject_fault("GET", "/v1/predictions/*", status=500, rate=0.5)
        async with asgi_client(server) as client:
            return [(await client.get("/predictions/abc")).status_code for _ in range(20)]

    first = await pattern(3)
    assert first == await pattern(3)
    assert set(first) == {500, 404}


async def test_fault_method_and_glob_matching(server: MockServer) -> None:
    server.control.inject_fault(None, "/v1/models/*", status=502)
    async with asgi_client(server) as client:
        assert (await client.get("/models/replicate/hello-world")).status_code == 502
        assert (await client.get("/models")).status_code == 200
    server.control.clear_faults()
    async with asgi_client(server) as client:
        assert (await client.get("/models/replicate/hello-world")).status_code == 200


async def test_faults_over_http(server: MockServer) -> None:
    async with control_client(server) as mock:
        created = await mock.post(
            "/faults",
            json={"method": "GET", "path": "/v1/account", "status": 429, "retry_after": 1},
        )
        assert created.status_code == 201
        assert (await mock.get("/faults")).json()[0]["status"] == 429
        assert (await mock.post("/faults", json={"path": "/x", "bogus": 1})).status_code == 400
        assert (await mock.post("/faults", json={"path": "/x", "status": 1000})).status_code == 400
        async with asgi_client(server) as client:
            assert (await client.get("/account")).status_code == 429
        assert (await mock.delete("/faults")).status_code == 204
        async with asgi_client(server) as client:
            assert (await client.get("/account")).status_code == 200


async def test_dropped_response_still_changes_state(server: MockServer) -> None:
    server.control.inject_fault("POST", "/v1/predictions", drop=True, count=1)
    async with asgi_client(server) as client:
        with pytest.raises(Exception, match="dropped"):
            await client.post("/predictions", json={"version": HELLO, "input": {"text": "a"}})
    assert server.control.create_count() == 1


async def test_journal_and_create_counts(server: MockServer) -> None:
    async with asgi_client(server) as client, control_client(server) as mock:
        await client.post("/predictions", json={"version": HELLO, "input": {"text": "a"}})
        await client.post("/models/mock/echo/predictions", json={"input": {}})
        await client.post("/models/mock/echo/predictions", json={"input": {}})
        await client.get("/predictions/missing")
        posts = server.control.journal(method="POST")
        assert [(e["path"], e["status"]) for e in posts] == [
            ("/v1/predictions", 201),
            ("/v1/models/mock/echo/predictions", 201),
            ("/v1/models/mock/echo/predictions", 201),
        ]
        assert posts[0]["account"] == (await client.get("/account")).json()["username"]
        assert [e["status"] for e in server.control.journal(path="/v1/predictions/*")] == [404]
        assert server.control.create_count() == 3
        assert server.control.create_count("models.predictions.create") == 2
        counted = (await mock.get("/create-count", params={"route": "predictions.create"})).json()
        assert counted["count"] == 1
        journal = (await mock.get("/journal", params={"method": "GET"})).json()
        assert all(e["method"] == "GET" for e in journal) and journal


async def test_reset_and_seed(server: MockServer) -> None:
    async with asgi_client(server) as client, control_client(server) as mock:
        first = (
            await client.post("/predictions", json={"version": HELLO, "input": {"text": "a"}})
        ).json()
        server.control.advance(10)
        assert (await mock.post("/reset")).status_code == 200
        assert server.control.create_count() == 0
        assert (await client.get("/predictions")).json()["results"] == []
        assert server.control.now() == 1735689600.0
        again = (
            await client.post("/predictions", json={"version": HELLO, "input": {"text": "a"}})
        ).json()
        assert again["id"] == first["id"]  # same seed, same sequence
        assert (await mock.post("/seed", json={"seed": 99})).json()["seed"] == 99
        reseeded = (
            await client.post("/predictions", json={"version": HELLO, "input": {"text": "a"}})
        ).json()
        assert reseeded["id"] != first["id"]
        assert (await mock.post("/seed", json={"seed": "x"})).status_code == 400


@pytest.mark.parametrize(
    "script",
    [
        {"output": 2**80},
        {"output": [{"chunk": 2**64}]},
        {"output": b"raw"},
        {"metrics": {"n": -(2**70)}},
        {"input_schema": {"properties": {"n": {"type": "integer", "maximum": 2**90}}}},
    ],
)
def test_a_script_value_json_cannot_carry_is_refused_not_a_later_500(
    server: MockServer, script: dict[str, object]
) -> None:
    # YAML fixtures can hold these (big integers, !!binary); the responses could not.
    with pytest.raises(ValueError, match="not JSON"):
        server.control.register_model({"model": "acme/odd", **script})
