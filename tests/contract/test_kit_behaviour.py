"""replicate_kit-only guarantees checked against the mock (the official client lacks them)."""

from __future__ import annotations

import asyncio
from typing import Any

import replicate_kit
from replicate_kit import RetryPolicy

from .conftest import Kit
from .scenarios import HELLO, LLM, PNG_MAGIC


def _client(kit: Kit) -> replicate_kit.Client:
    return kit.client(
        base_url=kit.mock.api_url, poll_interval=0.0, retry=RetryPolicy(initial_delay=0.001)
    )


def test_stream_resumes_after_the_server_drops_it(kit: Kit, replicate_mock: Any) -> None:
    client = _client(kit)
    inputs = {"prompt": "A long answer please", "seed": 11, "max_tokens": 40}
    expected = "".join(client.run(LLM, input=inputs))
    control = replicate_mock.control
    try:
        control.inject_fault(
            method="GET", path="/v1/predictions/*/stream", drop_stream_after=5, count=2
        )
        events = list(client.stream(LLM, input=inputs))
    finally:
        control.clear_faults()
    assert "".join(str(e) for e in events) == expected
    ids = [e.id for e in events]
    assert len(ids) == len(set(ids))  # nothing replayed twice after the resume
    connections = [
        e
        for e in control.journal(method="GET", path="/v1/predictions/*/stream")
        if e["account"] == replicate_mock.username
    ]
    assert len(connections) == 3  # two dropped after 5 events each, then the rest


def test_stream_use_file_output_wraps_file_events(kit: Kit, replicate_mock: Any) -> None:
    client = _client(kit)
    inputs = {"prompt": "a red fox", "num_outputs": 2}
    files = list(client.stream("stability-ai/sdxl", input=inputs, use_file_output=True))
    outputs = [e.data for e in files if e.event == "output"]
    assert len(outputs) == 2 and all(isinstance(o, replicate_kit.FileOutput) for o in outputs)
    assert all(o.read().startswith(PNG_MAGIC) for o in outputs)
    texts = [e.data for e in client.stream("stability-ai/sdxl", input=inputs)]
    assert all(isinstance(t, str) for t in texts)


def test_async_client_batch_and_stream(kit: Kit, replicate_mock: Any) -> None:
    async def main() -> tuple[list[Any], str]:
        async with kit.async_client(poll_interval=0.0) as client:
            outputs = await asyncio.gather(
                *(client.run(HELLO, input={"text": str(i)}) for i in range(25))
            )
            text = "".join(
                [str(e) async for e in client.stream(LLM, input={"prompt": "hi", "seed": 1})]
            )
            p = await client.predictions.create(
                version=HELLO.split(":")[1], input={"text": "async"}
            )
            await p.async_wait()
            assert p.output == "hello async"
            page = await client.predictions.list()
            assert len(page) >= 26
            return list(outputs), text

    outputs, text = asyncio.run(main())
    assert outputs == [f"hello {i}" for i in range(25)]
    assert text == "".join(_client(kit).run(LLM, input={"prompt": "hi", "seed": 1}))


def test_async_runs_survive_faults_without_duplicates(kit: Kit, replicate_mock: Any) -> None:
    control = replicate_mock.control
    before = control.create_count()

    async def main() -> list[Any]:
        async with kit.async_client(
            poll_interval=0.0,
            retry=RetryPolicy(
                max_retries=12, initial_delay=0.001, max_delay=0.01, max_retry_after=0
            ),
        ) as client:
            return list(
                await asyncio.gather(
                    *(client.run(HELLO, input={"text": str(i)}, wait=False) for i in range(50))
                )
            )

    try:
        control.inject_fault(
            method="POST", path="/v1/predictions", status=429, rate=0.3, retry_after=1
        )
        control.inject_fault(method="GET", path="/v1/predictions/*", status=503, rate=0.3)
        control.inject_fault(method="GET", path="/v1/predictions/*", drop=True, rate=0.2)
        outputs = asyncio.run(main())
    finally:
        control.clear_faults()
    assert outputs == [f"hello {i}" for i in range(50)]
    assert control.create_count() - before == 50


def test_version_schema_is_fetched_once_per_version(kit: Kit, replicate_mock: Any) -> None:
    client = _client(kit)
    for i in range(3):
        assert client.run(HELLO, input={"text": str(i)}) == f"hello {i}"
    version_gets = replicate_mock.control.journal(
        method="GET", path="/v1/models/replicate/hello-world/versions/*"
    )
    mine = [e for e in version_gets if e["account"] == replicate_mock.username]
    assert len(mine) == 1


def _trainable(client: replicate_kit.Client, replicate_mock: Any, name: str) -> tuple[str, str]:
    me = client.account.current().username
    client.models.create(me, name, visibility="private", hardware=client.hardware.list()[0].sku)
    trainer = client.models.get("mock/trainer").latest_version
    assert trainer is not None
    return f"{me}/{name}", trainer.id


def test_training_lifecycle_produces_a_runnable_version(kit: Kit, replicate_mock: Any) -> None:
    client = _client(kit)
    destination, trainer = _trainable(client, replicate_mock, "kit-tuned")
    training = client.trainings.create(
        model="mock/trainer", version=trainer, input={"steps": 2}, destination=destination
    )
    assert training.destination == destination  # known before the training produces anything
    training.reload()
    assert training.destination == destination
    training.wait(timeout=60)
    assert training.status == "succeeded"
    produced = training.output["version"]
    assert produced.startswith(destination + ":")
    assert client.models.get(destination).latest_version.id == produced.split(":", 1)[1]
    assert training.id in [t.id for t in client.trainings.list()]
    client.run(produced, input={"prompt": "trained"})  # the new version runs

    second = client.trainings.create(
        version=f"mock/trainer:{trainer}", input={"steps": 1000}, destination=destination
    )
    second.cancel()
    assert second.status == "canceled" and second.done
    assert client.trainings.get(second.id).status == "canceled"


def test_async_training_wait(kit: Kit, replicate_mock: Any) -> None:
    client = _client(kit)
    destination, trainer = _trainable(client, replicate_mock, "kit-async-tuned")

    async def main() -> str:
        async with kit.async_client(poll_interval=0.0) as aclient:
            training = await aclient.trainings.create(
                version=f"mock/trainer:{trainer}", input={"steps": 2}, destination=destination
            )
            await training.async_wait(timeout=60)
            assert training.status == "succeeded"
            version: str = training.output["version"]
            return version

    assert asyncio.run(main()).startswith(destination + ":")


def test_httpx_settings_serve_file_downloads_on_every_transport(
    kit: Kit, replicate_mock: Any
) -> None:
    # On gRPC the API calls go over the channel, but output files are still fetched over
    # HTTP: the client's httpx settings must apply to those downloads too.
    fetched: list[str] = []

    def on_request(request: Any) -> None:
        fetched.append(request.url.path)

    with kit.client(event_hooks={"request": [on_request]}) as client:
        inputs = {"prompt": "fox", "num_outputs": 1}
        images = client.run("stability-ai/sdxl", input=inputs, wait=False)  # URLs, not data:
        fetched_before_read = list(fetched)
        assert images[0].read().startswith(PNG_MAGIC)
    downloads = fetched[len(fetched_before_read) :]
    assert downloads and all(not path.startswith("/v1/predictions") for path in downloads)
    if kit.transport == "grpc":
        assert fetched_before_read == []  # the API calls themselves went over the channel
