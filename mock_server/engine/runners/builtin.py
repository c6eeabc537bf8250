"""Behaviour of the built-in fake models. Pure functions of input and seed (``input_only``:
of the input alone)."""

from __future__ import annotations

import random
from typing import Any

from mock_server.engine.ids import stable_int
from mock_server.engine.runners.plan import Blob, Plan, RunContext, Step, input_only
from mock_server.engine.runners.png import gradient

_WORDS = (
    "the", "mock", "model", "answers", "every", "question", "with", "calm", "and",
    "repeatable", "tokens", "that", "follow", "from", "your", "prompt", "seed", "so",
    "tests", "can", "rely", "on", "them", "here", "is", "a", "short", "reply", "about",
    "it", "which", "keeps", "things", "simple", "fast", "clear", "offline", "server",
    "streams", "words", "one", "at", "time", "until", "done", "quietly", "today",
)  # fmt: skip


@input_only
def hello_world(ctx: RunContext) -> Plan:
    return Plan(setup_time=0.1, run_time=0.2, output="hello " + str(ctx.input.get("text", "")))


def llm_tokens(prompt: str, seed: int | None, max_tokens: int) -> list[str]:
    """Deterministic token stream: a function of prompt and seed only."""
    rng = random.Random(stable_int("llm", prompt, "" if seed is None else str(seed)))
    length = min(max(max_tokens, 0), 12 + rng.randrange(36))
    tokens: list[str] = []
    capitalize = True
    for index in range(length):
        word = rng.choice(_WORDS)
        if capitalize:
            word = word.capitalize()
            capitalize = False
        end_sentence = index == length - 1 or rng.random() < 0.12
        if end_sentence:
            word += "."
            capitalize = True
        tokens.append(word if index == 0 else " " + word)
    return tokens


@input_only
def llm(ctx: RunContext) -> Plan:
    prompt = str(ctx.input.get("prompt", ""))
    seed = ctx.input.get("seed")
    tokens = llm_tokens(prompt, seed if isinstance(seed, int) else None, ctx.input["max_tokens"])
    first_token = 0.05
    per_token = 0.01
    steps = [Step(0.0, "log", f"Prompt tokens: {len(prompt.split())}")]
    steps += [Step(first_token + i * per_token, "output", t) for i, t in enumerate(tokens)]
    run_time = first_token + len(tokens) * per_token
    generation = max(run_time - first_token, per_token)
    return Plan(
        setup_time=0.05,
        run_time=round(run_time, 6),
        steps=tuple(steps),
        iterator=True,
        metrics={
            "input_token_count": len(prompt.split()),
            "output_token_count": len(tokens),
            "time_to_first_token": first_token,
            "tokens_per_second": round(len(tokens) / generation, 3),
        },
    )


def _progress_line(done: int, total: int) -> str:
    percent = done * 100 // max(total, 1)
    filled = percent // 10
    bar = "█" * filled + " " * (10 - filled)
    return f"{percent:3d}%|{bar}| {done}/{total} [00:00<00:00, 25.00it/s]"


def image(ctx: RunContext) -> Plan:
    prompt = str(ctx.input.get("prompt", ""))
    seed = ctx.input.get("seed")
    if not isinstance(seed, int):
        seed = ctx.seed % 65536
    width = int(ctx.input.get("width", 512))
    height = int(ctx.input.get("height", 512))
    count = int(ctx.input.get("num_outputs", 1))
    total = int(ctx.input.get("num_inference_steps", 50))
    # Real pixels, tiny canvas: 1/16th of the requested size keeps outputs a few hundred bytes.
    size = (max(8, min(128, width // 16)), max(8, min(128, height // 16)))
    blobs = [
        Blob(f"out-{i}.png", "image/png", gradient(*size, stable_int(prompt, str(seed), str(i))))
        for i in range(count)
    ]
    run_time = 0.4 + 0.1 * count
    steps = [Step(0.0, "log", f"Using seed: {seed}")]
    for quarter in range(5):
        steps.append(
            Step(run_time * quarter / 5, "log", _progress_line(total * quarter // 4, total))
        )
    return Plan(setup_time=0.2, run_time=run_time, steps=tuple(steps), output=blobs)


@input_only
def echo(ctx: RunContext) -> Plan:
    value: Any = ctx.input.get("value")
    if value is None:
        value = ctx.input.get("text", "")
    return Plan(
        setup_time=0.05, run_time=0.05, steps=(Step(0.0, "log", "echoing input"),), output=value
    )


@input_only
def fail(ctx: RunContext) -> Plan:
    message = str(ctx.input.get("message") or "Something went wrong")
    steps = (
        Step(0.0, "log", "Starting prediction"),
        Step(0.05, "log", "Traceback (most recent call last):"),
        Step(0.05, "log", f"RuntimeError: {message}"),
    )
    return Plan(setup_time=0.05, run_time=0.1, steps=steps, error=message)


@input_only
def slow(ctx: RunContext) -> Plan:
    duration = float(ctx.input.get("duration", 60.0))
    ticks = min(int(duration), 600)
    steps = tuple(Step(float(i), "log", f"tick {i}") for i in range(ticks))
    return Plan(setup_time=0.1, run_time=duration, steps=steps, output=f"slept {duration:g}s")


@input_only
def trainer(ctx: RunContext) -> Plan:
    return Plan(
        setup_time=0.05, run_time=0.1, output="trained: " + str(ctx.input.get("prompt", ""))
    )


def trainer_training(ctx: RunContext) -> Plan:
    """A training run: progress logs, then weights as a file output."""
    total = int(ctx.input.get("steps", 10))
    steps = [Step(0.0, "log", "Loading training data")]
    steps += [Step(0.1 * (i + 1), "log", f"step {i + 1}/{total}") for i in range(min(total, 100))]
    weights = Blob("weights.tar", "application/x-tar", f"weights:{ctx.seed}:{total}".encode())
    run_time = 0.1 * (min(total, 100) + 1)
    return Plan(setup_time=0.2, run_time=run_time, steps=tuple(steps), output={"weights": weights})
