"""Prediction lifecycle on the virtual clock, through the HTTP API."""

from __future__ import annotations

import httpx

from mock_server import MockServer
from tests.mock.conftest import HELLO, ROOT


async def test_hello_world_moves_through_states_as_the_clock_advances(
    server: MockServer, client: httpx.AsyncClient
) -> None:
    created = await client.post("/predictions", json={"version": HELLO, "input": {"text": "ada"}})
    assert created.status_code == 201
    body = created.json()
    assert body["status"] == "starting"
    assert body["output"] is None
    assert "metrics" not in body and "started_at" not in body
    assert len(body["id"]) == 26
    get_url = body["urls"]["get"]
    assert get_url == f"{ROOT}/v1/predictions/{body['id']}"

    server.control.advance(0.15)
    processing = (await client.get(get_url)).json()
    assert processing["status"] == "processing"
    assert processing["started_at"] == "2025-01-01T00:00:00.100000Z"

    server.control.advance(1)
    done = (await client.get(get_url)).json()
    assert done["status"] == "succeeded"
    assert done["output"] == "hello ada"
    assert done["completed_at"] == "2025-01-01T00:00:00.300000Z"
    assert done["metrics"] == {"predict_time": 0.2, "total_time": 0.3}


async def test_failed_model_reports_error_and_logs(
    server: MockServer, client: httpx.AsyncClient
) -> None:
    created = await client.post(
        "/predictions", json={"version": "mock/fail", "input": {}}
    )  # not official → 422
    assert created.status_code == 422
    created = await client.post("/models/mock/fail/predictions", json={"input": {"message": "boom"}})
    assert created.status_code == 201
    server.control.advance(5)
    done = (await client.get(created.json()["urls"]["get"])).json()
    assert done["status"] == "failed"
    assert done["error"] == "boom"
    assert "RuntimeError: boom" in done["logs"]


async def test_cancel_running_prediction(server: MockServer, client: httpx.AsyncClient) -> None:
    created = (await client.post("/models/mock/slow/predictions", json={"input": {}})).json()
    server.control.advance(3)
    canceled = await client.post(created["urls"]["cancel"])
    assert canceled.status_code == 200
    body = canceled.json()
    assert body["status"] == "canceled"
    assert body["logs"].startswith("tick 0\ntick 1\n")
    server.control.advance(100)
    again = (await client.get(created["urls"]["get"])).json()
    assert again["status"] == "canceled"
    assert again["completed_at"] == body["completed_at"]
