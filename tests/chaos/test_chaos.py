"""Chaos (issue 15): every call completes under injected faults, with no duplicate and no orphan.

The faults (bench/sections/chaos.py ``FAULTS``): 10 % 500, 10 % 503, 10 % 429 on every route,
20 % of POSTs and GETs dropped after the response headers, every event stream cut after 5
events. The mock's auto clock moves each prediction on when it is looked at, and the client's
waits are zero, so nobody sleeps: each case takes about a second. Each test has its own account
(a fresh token), so the mock's list of the account's predictions is exactly what it created.
"""

from __future__ import annotations

import asyncio
import itertools
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest

import replicate_kit
from mock_server.server import MockServer
from replicate_kit import _config
from tests.chaos import harness as chaos
from tests.readme_sections import python_blocks, readme_section

CALLS = 50  # per transport and mode: 200 run() calls in all
_tokens = itertools.count(1)


@pytest.fixture(scope="module")
def mock() -> Iterator[MockServer]:
    server = MockServer(seed=15, clock="auto", grpc=True, rate_limits=None).start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def token() -> str:
    return f"r8_chaos_{next(_tokens):04d}"


def _grpc_target(mock: MockServer, transport: chaos.Transport) -> str | None:
    return mock.grpc_target if transport == "grpc" else None


@pytest.mark.parametrize("awaited", [False, True], ids=["sync", "async"])
@pytest.mark.parametrize("transport", ["http", "grpc"])
def test_every_run_completes_once(
    mock: MockServer, token: str, transport: chaos.Transport, awaited: bool
) -> None:
    outcome = chaos.runs(
        mock.url,
        token,
        CALLS,
        transport=transport,
        grpc_target=_grpc_target(mock, transport),
        awaited=awaited,
    )
    assert outcome.errors == []
    assert (outcome.complete, outcome.duplicates, outcome.orphans) == (CALLS, 0, 0)
    assert outcome.created == CALLS
    # Every fault that applies to run() did fire, dropped creates (the ones reconciled) too.
    assert all(outcome.fired[name] > 0 for name in ("500", "503", "429", "dropped POST")), (
        outcome.fired
    )


def test_without_reconciliation_calls_fail_and_predictions_are_orphaned(
    mock: MockServer, token: str
) -> None:
    # The control experiment: the same chaos, reconcile=False. If this passed as perfect, the
    # chaos above would prove nothing.
    outcome = chaos.runs(mock.url, token, CALLS, reconcile=False)
    assert not outcome.perfect
    assert outcome.complete < CALLS
    assert outcome.orphans > 0
    assert outcome.complete + outcome.orphans == outcome.created


def _listed(mock: MockServer, token: str) -> list[replicate_kit.types.Prediction]:
    return chaos.predictions_of(mock.url, token)


@pytest.mark.parametrize("transport", ["http", "grpc"])
def test_create_then_wait_returns_every_prediction_once(
    mock: MockServer, token: str, transport: chaos.Transport
) -> None:
    texts = [f"wait {i}" for i in range(CALLS)]
    fired: dict[str, int] = {}
    with httpx.Client(base_url=mock.url) as control:
        chaos.align_clock(control)
        with (
            chaos.chaos(control, fired),
            chaos.client(mock.url, token, transport, _grpc_target(mock, transport)) as kit,
        ):

            def create_and_wait(text: str) -> replicate_kit.types.Prediction:
                prediction = kit.predictions.create(model=chaos.MODEL, input={"text": text})
                prediction.wait()
                return prediction

            with ThreadPoolExecutor(8) as pool:
                returned = list(pool.map(create_and_wait, texts))
    assert [p.output for p in returned] == [f"hello {text}" for text in texts]
    on_mock = _listed(mock, token)
    assert sorted(p.id for p in on_mock) == sorted(p.id for p in returned)  # 0 orphans
    assert len({p.id for p in returned}) == len(texts)  # 0 duplicates
    assert fired["dropped POST"] > 0 and fired["dropped GET"] > 0, fired


def _stream_texts(
    mock: MockServer, token: str, transport: chaos.Transport, awaited: bool
) -> dict[str, str]:
    prompts = [f"chaos stream {i}" for i in range(10)]
    target = _grpc_target(mock, transport)

    def joined(events: list[Any]) -> str:
        return "".join(str(e) for e in events if e.event == "output")

    if awaited:

        async def all_streams() -> list[str]:
            async with chaos.async_client(mock.url, token, transport, target) as kit:

                async def one(prompt: str) -> str:
                    events = [e async for e in kit.stream(_LLM, input={"prompt": prompt})]
                    return joined(events)

                return list(await asyncio.gather(*(one(p) for p in prompts)))

        return dict(zip(prompts, asyncio.run(all_streams()), strict=True))
    with chaos.client(mock.url, token, transport, target) as kit, ThreadPoolExecutor(8) as pool:
        texts = pool.map(lambda p: joined(list(kit.stream(_LLM, input={"prompt": p}))), prompts)
        return dict(zip(prompts, texts, strict=True))


_LLM = "meta/meta-llama-3-8b-instruct"


@pytest.mark.parametrize("awaited", [False, True], ids=["sync", "async"])
@pytest.mark.parametrize("transport", ["http", "grpc"])
def test_every_stream_is_exact_and_created_once(
    mock: MockServer, token: str, transport: chaos.Transport, awaited: bool
) -> None:
    fired: dict[str, int] = {}
    with httpx.Client(base_url=mock.url) as control:
        chaos.align_clock(control)
        with chaos.chaos(control, fired):
            streamed = _stream_texts(mock, token, transport, awaited)
    on_mock = _listed(mock, token)
    per_prompt = Counter(str((p.input or {}).get("prompt")) for p in on_mock)
    assert per_prompt == Counter(list(streamed))  # one prediction per stream: 0 dups, 0 orphans
    for prediction in on_mock:
        assert streamed[str((prediction.input or {}).get("prompt"))] == "".join(prediction.output)
    assert fired["cut stream"] > 0, fired  # streams were cut after 5 events


def test_the_readme_reliability_example_runs(
    mock: MockServer, token: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    (block,) = python_blocks(readme_section("Reliability"))
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(_config, "_dotenv_loaded", True)
    monkeypatch.setenv("REPLICATE_API_TOKEN", token)
    monkeypatch.setenv("REPLICATE_BASE_URL", mock.url)
    exec(compile(block, "README.md", "exec"), {"__name__": "__docs__"})
    assert [p.input for p in _listed(mock, token)] == [{"text": "you"}]
