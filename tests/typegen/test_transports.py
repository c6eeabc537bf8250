"""The typed view at run time: the same calls over HTTP and gRPC against the mock."""

from __future__ import annotations

import asyncio
import importlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from mock_server import MockServer
from replicate_kit import AsyncClient, Client, FileOutput

from .conftest import PACKAGE

LLAMA = "meta/meta-llama-3-8b-instruct"


@pytest.fixture(scope="module")
def mock() -> Iterator[MockServer]:
    server = MockServer(seed=0, clock="auto", grpc=True).start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(params=["http", "grpc"])
def options(request: pytest.FixtureRequest, mock: MockServer) -> dict[str, Any]:
    chosen: dict[str, Any] = {"base_url": mock.url, "transport": request.param, "poll_interval": 0}
    if request.param == "grpc":
        chosen["grpc_target"] = mock.grpc_target
    return chosen


def test_typed_calls_run_on_both_transports(generated: Path, options: dict[str, Any]) -> None:
    typed_models = importlib.import_module(PACKAGE)
    llama = importlib.import_module(f"{PACKAGE}.meta__meta_llama_3_8b_instruct")
    with Client("r8_typed", **options) as client:
        view = typed_models.typed(client)
        assert view.client is client
        assert view.run("replicate/hello-world", input={"text": "typed"}) == "hello typed"
        tokens = view.run(LLAMA, input={"prompt": "Hi", "seed": 1, "max_tokens": 8})
        assert isinstance(tokens, list) and all(isinstance(t, str) for t in tokens)
        # A version ref streams the output as the model yields it, as the overload says.
        pieces = view.run(
            f"{LLAMA}:{llama.VERSION}", input={"prompt": "Hi", "seed": 1, "max_tokens": 8}
        )
        assert not isinstance(pieces, list) and "".join(pieces) == "".join(tokens)
        images = view.run("stability-ai/sdxl", input={"prompt": "a fox", "num_outputs": 2})
        assert len(images) == 2 and all(isinstance(i, FileOutput) for i in images)
        events = list(view.stream(LLAMA, input={"prompt": "Hi", "seed": 1, "max_tokens": 8}))
        assert "".join(str(e) for e in events if e.event == "output") == "".join(tokens)
        prediction = view.predictions.create(model="replicate/hello-world", input={"text": "p"})
        prediction.wait()
        assert prediction.output == "hello p"


def test_typed_async_calls_run_on_both_transports(generated: Path, options: dict[str, Any]) -> None:
    typed_models = importlib.import_module(PACKAGE)

    async def main() -> tuple[Any, list[str], str]:
        async with AsyncClient("r8_typed", **options) as client:
            view = typed_models.typed(client)
            hello = await view.run("replicate/hello-world", input={"text": "async"})
            texts = [
                str(e) async for e in view.stream("replicate/hello-world", input={"text": "s"})
            ]
            created = await view.predictions.create(
                model="replicate/hello-world", input={"text": "c"}
            )
            return hello, texts, created.status

    hello, texts, status = asyncio.run(main())
    assert hello == "hello async"
    assert "hello s" in "".join(texts)
    assert status in ("starting", "processing", "succeeded")
