"""One client session, run first through the recording proxy against an upstream mock and
then against mocks replaying the cassette; its results must be equal.

The session is written for the official client's API, so ``replicate_kit.Client`` (HTTP or
gRPC) runs it unchanged.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

import httpx

TERMINAL = frozenset({"succeeded", "failed", "canceled", "aborted"})
LLM = "meta/meta-llama-3-8b-instruct"
TOKEN = "r8_recorded_secret_token_0123456789"

# Scripted models that only the upstream has: a replay cannot fall back on a built-in.
STORY = {
    "model": "acme/story",
    "setup_time": 0.4,
    "logs": ["loading", {"at": 0.2, "line": "warming up"}],
    "output": [
        {"at": 0.1, "chunk": "Once"},
        {"at": 0.3, "chunk": " upon"},
        {"at": 0.5, "chunk": " a time"},
    ],
    "input_schema": {
        "properties": {"topic": {"type": "string"}, "seed": {"type": "integer", "default": 7}}
    },
}
BROKEN = {
    "model": "acme/broken",
    "setup_time": 0.2,
    "run_time": 1.0,
    "logs": ["oh no"],
    "error": "out of memory",
}


def _follow(prediction: Any, pause: Callable[[], None]) -> list[str]:
    states = [prediction.status]
    while prediction.status not in TERMINAL:
        pause()
        prediction.reload()
        if prediction.status != states[-1]:
            states.append(prediction.status)
    return states


def _bytes(value: Any) -> str:
    data = value.read() if hasattr(value, "read") else httpx.get(str(value)).content
    return hashlib.sha256(data).hexdigest()


def run_session(client: Any, pause: Callable[[], None]) -> dict[str, Any]:
    """Outputs, state sequences and token streams of a run, a stream, a failure, a cancel,
    file outputs and a training."""
    result: dict[str, Any] = {}
    story = client.models.get("acme/story").latest_version.id
    prediction = client.predictions.create(version=story, input={"topic": "fox"})
    result["story_states"] = _follow(prediction, pause)
    result["story"] = (list(prediction.output), prediction.logs)

    result["tokens"] = [str(e) for e in client.stream(LLM, input={"prompt": "Hi", "seed": 3})]

    broken = client.models.get("acme/broken").latest_version.id
    failing = client.predictions.create(version=broken, input={})
    result["broken_states"] = _follow(failing, pause)
    result["broken"] = (failing.error, failing.logs)

    slow = client.predictions.create(
        version=client.models.get("mock/slow").latest_version.id, input={"duration": 30}
    )
    states = [slow.status]
    while slow.status == "starting":
        pause()
        slow.reload()
        states.append(slow.status)
    slow.cancel()
    slow.reload()
    result["cancel_states"] = [*dict.fromkeys([*states, slow.status])]

    images = client.run("stability-ai/sdxl", input={"prompt": "a red fox", "num_outputs": 2})
    result["images"] = [_bytes(image) for image in images]

    user = client.accounts.current().username
    client.models.create(owner=user, name="tuned", visibility="private", hardware="cpu")
    trainer = client.models.get("mock/trainer").latest_version.id
    training = client.trainings.create(
        model="mock/trainer", version=trainer, input={"steps": 3}, destination=f"{user}/tuned"
    )
    states = [training.status]
    while training.status not in TERMINAL:
        pause()
        training.reload()
        if training.status != states[-1]:
            states.append(training.status)
    result["training_states"] = states
    result["weights"] = _bytes(training.output["weights"])
    return result
