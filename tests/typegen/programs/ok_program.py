"""Correct uses of the generated types: mypy --strict and pyright accept all of it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Final

from typed_models import ImageXlInput, typed

from replicate_kit import AsyncClient, Client, FileOutput, Prediction, ServerSentEvent

LLAMA_VERSION: Final = (
    "meta/meta-llama-3-8b-instruct:91cff52bb427122516bf888b5889171fd0a9d74641e640fa65ca70af95f733cc"
)


def sync_calls(client: Client) -> None:
    view = typed(client)
    images: list[FileOutput] = view.run(
        "stability-ai/sdxl", input={"prompt": "a fox", "num_outputs": 2, "scheduler": "DDIM"}
    )
    tokens: list[str] = view.run(
        "meta/meta-llama-3-8b-instruct", input={"prompt": "hi", "seed": None}
    )
    pieces: Iterator[str] = view.run(
        LLAMA_VERSION, input={"prompt": "hi", "max_tokens": 8}, wait=False
    )
    hello: str = view.run(
        "replicate/hello-world", input={"text": "x"}, webhook_events_filter=["completed"]
    )
    edit: ImageXlInput = {
        "image": Path("in.png"),
        "mask": "https://example.com/m.png",
        "refine": "no_refiner",
    }
    more: list[FileOutput] = view.run("acme/image-xl", edit)
    with open("a.wav", "rb") as audio:
        text = view.run("acme/transcribe", input={"audio": audio})
    language: str = text["detected_language"]
    events: Iterator[ServerSentEvent] = view.stream("acme/chat-llm", input={"prompt": "hi"})
    created: Prediction = view.predictions.create(
        model="acme/flux-fast", input={"prompt": "x", "aspect_ratio": "16:9"}
    )
    by_version: Prediction = view.predictions.create(
        "39ed52f2a78e934b3ba6e2a89f5b1c712de7dfea535525255b1aa35c5565e08b", {"width": 64}
    )
    print(images, tokens, pieces, hello, more, language, events, created, by_version)


async def async_calls(client: AsyncClient) -> None:
    view = typed(client)
    images: list[FileOutput] = await view.run(
        "acme/flux-fast", input={"prompt": "x", "output_quality": 90}
    )
    async for event in view.stream("replicate/hello-world", input={"text": "x"}):
        print(event)
    prediction: Prediction = await view.predictions.create(
        model="replicate/hello-world", input={"text": "a"}
    )
    print(images, prediction)
