"""`make run`: start the mock on a free loopback port, then run a prediction and a token stream through
the client, exactly as an application would against api.replicate.com."""

from __future__ import annotations

import sys
import time

import replicate_kit
from mock_server import MockServer

HELLO_WORLD = (
    "replicate/hello-world:5c7d5dc6dd8bf75c1acaa8565735e7986bc5b66206b55cca93cb72c9bf15ccaa"
)
LLM = "meta/meta-llama-3-8b-instruct"


def main() -> int:
    # Real clock: the prediction takes a few hundred real milliseconds, like a fast model would.
    with MockServer(seed=0, clock="real").start() as server:
        print(f"mock server: {server.api_url}")
        client = replicate_kit.Client(api_token="r8_demo_token", base_url=server.api_url)

        prediction = client.predictions.create(
            version=HELLO_WORLD.split(":")[1], input={"text": "replicate-kit"}
        )
        seen = [prediction.status]
        started = time.monotonic()
        while prediction.status not in ("succeeded", "failed", "canceled", "aborted"):
            time.sleep(0.05)
            prediction.reload()
            if prediction.status != seen[-1]:
                seen.append(prediction.status)
        elapsed = time.monotonic() - started
        print(f"prediction {prediction.id}: {' -> '.join(seen)} in {elapsed:.2f}s")
        print(f"output: {prediction.output!r}")

        print(f"run(): {client.run(HELLO_WORLD, input={'text': 'again'})!r}")

        print(f"stream from {LLM}: ", end="", flush=True)
        tokens = 0
        for event in client.stream(
            LLM, input={"prompt": "Write a haiku about tests", "max_tokens": 24}
        ):
            if event.event == "output":
                print(str(event), end="", flush=True)
                tokens += 1
        print(f"\n({tokens} tokens)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
