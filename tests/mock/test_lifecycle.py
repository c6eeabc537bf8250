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
    assert "metrics" not in body and body["started_at"] is None
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
    created = await client.post(
        "/models/mock/fail/predictions", json={"input": {"message": "boom"}}
    )
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


async def test_auto_clock_get_jumps_to_next_status(auto_client: httpx.AsyncClient) -> None:
    created = (
        await auto_client.post("/predictions", json={"version": HELLO, "input": {"text": "x"}})
    ).json()
    assert created["status"] == "starting"
    first = (await auto_client.get(created["urls"]["get"])).json()
    assert first["status"] == "processing"
    second = (await auto_client.get(created["urls"]["get"])).json()
    assert second["status"] == "succeeded"
    assert second["output"] == "hello x"


async def test_prefer_wait_returns_terminal_prediction(auto_client: httpx.AsyncClient) -> None:
    response = await auto_client.post(
        "/predictions", json={"version": HELLO, "input": {"text": "x"}}, headers={"Prefer": "wait"}
    )
    assert response.status_code == 201
    assert response.headers["preference-applied"] == "wait=60"
    assert response.json()["status"] == "succeeded"


async def test_prefer_wait_n_returns_incomplete_prediction_after_n_seconds(
    auto_client: httpx.AsyncClient,
) -> None:
    response = await auto_client.post(
        "/models/mock/slow/predictions", json={"input": {}}, headers={"Prefer": "wait=5"}
    )
    assert response.status_code == 202
    assert response.headers["preference-applied"] == "wait=5"
    body = response.json()
    assert body["status"] == "processing"
    assert response.headers["location"] == body["urls"]["get"]
    assert "tick 4\n" in body["logs"]


async def test_prefer_wait_in_virtual_mode_holds_until_clock_advances(
    server: MockServer, client: httpx.AsyncClient
) -> None:
    import asyncio

    task = asyncio.create_task(
        client.post(
            "/predictions",
            json={"version": HELLO, "input": {"text": "v"}},
            headers={"Prefer": "wait=10"},
        )
    )
    await asyncio.sleep(0.05)
    assert not task.done()
    server.control.advance(1)
    response = await asyncio.wait_for(task, 5)
    assert response.json()["status"] == "succeeded"


async def test_image_outputs_inline_as_data_uris_in_sync_mode(
    auto_client: httpx.AsyncClient,
) -> None:
    response = await auto_client.post(
        "/models/stability-ai/sdxl/predictions",
        json={"input": {"num_outputs": 3}},
        headers={"Prefer": "wait"},
    )
    output = response.json()["output"]
    assert len(output) == 3
    assert all(item.startswith("data:image/png;base64,") for item in output)
    polled = (await auto_client.get(response.json()["urls"]["get"])).json()
    assert all(url.startswith("http://mock.test/delivery/") for url in polled["output"])


async def test_image_files_are_valid_pngs_served_without_auth(
    auto_server: MockServer, auto_client: httpx.AsyncClient
) -> None:
    import struct
    import zlib

    created = await auto_client.post(
        "/predictions",
        json={
            "version": "ac732df83cea7fff18b8472768c88ad041fa750ff7682a21affe81863cbe77e4",
            "input": {"prompt": "cat", "num_outputs": 2, "width": 512, "height": 256},
        },
    )
    for _ in range(3):
        body = (await auto_client.get(created.json()["urls"]["get"])).json()
    assert body["status"] == "succeeded"
    assert len(body["output"]) == 2
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=auto_server.app)) as anonymous:
        images = [(await anonymous.get(url)) for url in body["output"]]
    for image in images:
        assert image.status_code == 200
        assert image.headers["content-type"] == "image/png"
        data = image.content
        assert data[:8] == b"\x89PNG\r\n\x1a\n"
        width, height = struct.unpack(">II", data[16:24])
        assert (width, height) == (32, 16)
        idat_length = struct.unpack(">I", data[33:37])[0]
        raw = zlib.decompress(data[41 : 41 + idat_length])
        assert len(raw) == height * (1 + width * 3)
    assert images[0].content != images[1].content


async def test_cancel_after_aborts_a_queued_prediction(
    server: MockServer, client: httpx.AsyncClient
) -> None:
    server.control.register_model({"model": "acme/queued", "setup_time": 30, "output": "x"})
    created = await client.post(
        "/models/acme/queued/predictions", json={"input": {}}, headers={"Cancel-After": "10s"}
    )
    body = created.json()
    assert body["deadline"] == "2025-01-01T00:00:10.000000Z"
    server.control.advance(11)
    after = (await client.get(body["urls"]["get"])).json()
    assert after["status"] == "aborted"
    assert after["started_at"] is None
    assert after["completed_at"] == "2025-01-01T00:00:10.000000Z"


async def test_cancel_after_cancels_a_running_prediction(
    server: MockServer, client: httpx.AsyncClient
) -> None:
    created = await client.post(
        "/models/mock/slow/predictions", json={"input": {}}, headers={"Cancel-After": "1m"}
    )
    server.control.advance(120)
    after = (await client.get(created.json()["urls"]["get"])).json()
    assert after["status"] == "canceled"
    assert after["completed_at"] == "2025-01-01T00:01:00.000000Z"
    assert after["metrics"]["total_time"] == 60.0


async def test_list_is_newest_first_and_paginates_with_absolute_cursors() -> None:
    paged = MockServer(seed=1, clock="virtual", page_size=2)
    from tests.mock.conftest import asgi_client

    async with asgi_client(paged) as client:
        ids = []
        for i in range(5):
            created = await client.post(
                "/predictions", json={"version": HELLO, "input": {"text": str(i)}}
            )
            ids.append(created.json()["id"])
        seen: list[str] = []
        url: str | None = "/predictions"
        pages = 0
        while url:
            page = (await client.get(url)).json()
            seen += [p["id"] for p in page["results"]]
            url = page["next"]
            pages += 1
            if url:
                assert url.startswith("http://mock.test/v1/predictions?cursor=")
        assert seen == list(reversed(ids))
        assert pages == 3
        # new predictions do not shift the following pages
        first = (await client.get("/predictions")).json()
        await client.post("/predictions", json={"version": HELLO, "input": {"text": "new"}})
        second = (await client.get(first["next"])).json()
        assert [p["id"] for p in second["results"]] == list(reversed(ids))[2:4]
        back = (await client.get(second["previous"])).json()
        assert [p["id"] for p in back["results"]] == list(reversed(ids))[:2]


async def test_created_after_and_before_filters(
    server: MockServer, client: httpx.AsyncClient
) -> None:
    a = (await client.post("/predictions", json={"version": HELLO, "input": {"text": "a"}})).json()
    server.control.advance(10)
    b = (await client.post("/predictions", json={"version": HELLO, "input": {"text": "b"}})).json()
    after = (await client.get("/predictions", params={"created_after": b["created_at"]})).json()
    assert [p["id"] for p in after["results"]] == [b["id"]]
    before = (await client.get("/predictions", params={"created_before": b["created_at"]})).json()
    assert [p["id"] for p in before["results"]] == [a["id"]]
    web = (await client.get("/predictions", params={"source": "web"})).json()
    assert web["results"] == []


async def test_time_filters_compare_the_instants_clients_see(
    server: MockServer, client: httpx.AsyncClient
) -> None:
    # 0.6 us past a whole microsecond: created_at is rendered rounded up, so a filter copied
    # from it names a later instant than the clock's own value.
    server.control.advance(10.0000006)
    made = (
        await client.post("/predictions", json={"version": HELLO, "input": {"text": "x"}})
    ).json()
    assert made["created_at"].endswith("1Z")
    after = (await client.get("/predictions", params={"created_after": made["created_at"]})).json()
    assert [p["id"] for p in after["results"]] == [made["id"]]
    before = (
        await client.get("/predictions", params={"created_before": made["created_at"]})
    ).json()
    assert [p["id"] for p in before["results"]] == []


async def test_llm_stream_honours_max_tokens_and_is_deterministic(
    auto_client: httpx.AsyncClient,
) -> None:
    outputs = []
    for _ in range(2):
        response = await auto_client.post(
            "/models/meta/meta-llama-3-8b-instruct/predictions",
            json={"input": {"prompt": "Tell me a story", "max_tokens": 7}},
            headers={"Prefer": "wait"},
        )
        body = response.json()
        assert body["status"] == "succeeded"
        assert len(body["output"]) == 7
        assert body["metrics"]["output_token_count"] == 7
        outputs.append(body["output"])
    assert outputs[0] == outputs[1]
    other = await auto_client.post(
        "/models/meta/llama-3-70b-instruct/predictions",
        json={"input": {"prompt": "Tell me a story", "max_tokens": 7, "seed": 3}},
        headers={"Prefer": "wait"},
    )
    assert other.json()["output"] != outputs[0]


async def test_thousand_predictions_on_the_virtual_clock(
    server: MockServer, client: httpx.AsyncClient
) -> None:
    for i in range(1000):
        response = await client.post(
            "/predictions", json={"version": HELLO, "input": {"text": str(i)}}
        )
        assert response.status_code == 201
        server.control.advance(0.1)  # 10 creates per virtual second stays under 600/min
    server.control.advance(1)
    assert server.control.create_count() == 1000
    page = (await client.get("/predictions")).json()
    assert len(page["results"]) == 100
    assert {p["status"] for p in page["results"]} == {"succeeded"}
    assert page["results"][0]["output"] == "hello 999"


async def test_echo_returns_any_json_value(auto_client: httpx.AsyncClient) -> None:
    for value in ([1, "two", {"three": 3}], "text", 4.5, {"nested": [True, None]}):
        response = await auto_client.post(
            "/models/mock/echo/predictions",
            json={"input": {"value": value}},
            headers={"Prefer": "wait"},
        )
        assert response.json()["output"] == value
    plain = await auto_client.post(
        "/models/mock/echo/predictions", json={"input": {"text": "hi"}}, headers={"Prefer": "wait"}
    )
    assert plain.json()["output"] == "hi"
