"""Through a real socket: the pytest plugin fixtures and the official Python client."""

from __future__ import annotations

import httpx
import pytest
import replicate
from replicate.exceptions import ModelError, ReplicateError

from mock_server.pytest_plugin import MockHandle
from tests.mock.conftest import HELLO


def official(handle: MockHandle) -> replicate.Client:
    return replicate.Client(api_token=handle.token, base_url=handle.url)


def test_fixture_gives_each_test_its_own_account(replicate_mock: MockHandle) -> None:
    with replicate_mock.client() as client:
        account = client.get("/account").json()
        assert account["username"] == replicate_mock.username
        assert client.get("/predictions").json()["results"] == []
    assert replicate_mock.api_url == replicate_mock.url + "/v1"
    assert replicate_mock.control.health()["clock"] == "auto"


def test_official_client_run_and_stream(replicate_mock: MockHandle) -> None:
    client = official(replicate_mock)
    assert client.run(HELLO, input={"text": "mock"}) == "hello mock"
    tokens = [
        str(e)
        for e in client.stream(
            "meta/meta-llama-3-8b-instruct", input={"prompt": "hi", "max_tokens": 6}
        )
    ]
    assert len([t for t in tokens if t]) == 6
    images = client.run("stability-ai/sdxl", input={"num_outputs": 2})
    assert [image.read()[:4] for image in images] == [b"\x89PNG", b"\x89PNG"]
    with pytest.raises(ModelError, match="kaput"):
        client.run("mock/fail", input={"message": "kaput"})


def test_official_client_predictions_api(replicate_mock: MockHandle) -> None:
    client = official(replicate_mock)
    prediction = client.predictions.create(version=HELLO.split(":")[1], input={"text": "p"})
    prediction.wait()
    assert (prediction.status, prediction.output) == ("succeeded", "hello p")
    slow = client.models.predictions.create("mock/slow", input={})
    slow.cancel()
    slow.reload()
    assert slow.status == "canceled"
    assert client.predictions.get(prediction.id).id == prediction.id
    assert [m.id for m in client.models.search("llama")] == [
        "meta/llama-3-70b-instruct",
        "meta/meta-llama-3-8b-instruct",
    ]
    with pytest.raises(ReplicateError) as caught:
        client.predictions.get("nothing")
    assert caught.value.status == 404


def test_dropped_connection_fault_over_a_socket(replicate_mock: MockHandle) -> None:
    replicate_mock.control.inject_fault("GET", "/v1/account", drop=True, count=1)
    with replicate_mock.client() as client:
        with pytest.raises(httpx.HTTPError):
            client.get("/account")
        assert client.get("/account").status_code == 200


async def test_asgi_fixture_is_private_and_in_process(replicate_mock_asgi: MockHandle) -> None:
    async with replicate_mock_asgi.async_client() as client:
        created = await client.post(
            "/predictions",
            json={"version": HELLO, "input": {"text": "in-process"}},
            headers={"Prefer": "wait"},
        )
        assert created.json()["output"] == "hello in-process"
    assert replicate_mock_asgi.control.create_count() == 1


def test_real_clock_server_applies_events_without_requests() -> None:
    import threading

    from mock_server import MockServer

    seen: list[str] = []
    finished = threading.Event()
    with MockServer(clock="real", speed=10.0) as server:

        def listener(job: object, event: str) -> None:
            seen.append(event)
            if event == "completed":
                finished.set()

        server.engine.listeners.append(listener)
        with httpx.Client(
            base_url=server.api_url, headers={"Authorization": "Bearer r8_t"}
        ) as client:
            client.post(
                "/predictions", json={"version": HELLO.split(":")[1], "input": {"text": "t"}}
            )
        assert finished.wait(5), seen  # 0.3 s of model time at 10x speed, no polling needed
    assert seen == ["created", "start", "output", "completed"]
