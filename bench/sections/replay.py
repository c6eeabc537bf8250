"""7. Replaying recorded predictions on the virtual clock.

A cassette is recorded first (in-process, from a mock upstream: 10 inputs of a model that takes
60 s with logs and output chunks). Then ``replicate-mock serve --clock virtual --cassettes``
replays it: N predictions created through replicate_kit (each input matched against the
recordings), one ``/_mock/clock/advance`` over the recorded 60 s, all read back and checked to
hold the recorded output. The goal is a budget: under 2 s of wall time for 1,000. A second row
does the same in-process on the engine, to show how much of that is the replay itself.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

import replicate_kit
from bench.procs import TOKEN, BenchError, mock_server
from bench.report import Row
from bench.settings import Settings
from mock_server import MockServer
from mock_server.record.replay import install
from mock_server.record.serving import RecordingProxy

BUDGET_SECONDS = 2.0
INPUTS = 10
SCRIPT = {
    "model": "bench/recorded",
    "setup_time": 1.0,
    "run_time": 59.0,
    "logs": ["loading", {"at": 30.0, "line": "half way"}],
    "output": [{"at": 10.0, "chunk": "a"}, {"at": 40.0, "chunk": "b"}, {"at": 58.0, "chunk": "c"}],
    "input_schema": {"properties": {"n": {"type": "integer"}}},
}


def _record(folder: Path) -> str:
    with (
        MockServer(seed=1, clock="auto") as upstream,
        RecordingProxy(upstream.url, folder) as proxy,
        replicate_kit.Client(TOKEN, base_url=proxy.url) as kit,
    ):
        version: str = upstream.control.register_model(SCRIPT)["latest_version"]["id"]
        for n in range(INPUTS):
            kit.predictions.create(version=version, input={"n": n}, wait=True)
    if len(proxy.recorder.recorded) != INPUTS or proxy.recorder.errors:
        raise BenchError(f"replay: recording failed: {proxy.recorder.errors}")
    return version


def _in_engine(folder: Path, version: str, count: int) -> tuple[float, list[Any]]:
    """The same replay without HTTP: what the engine's replay machinery itself costs."""
    mock = MockServer(seed=0, clock="virtual")
    install(mock.engine, [folder])
    engine = mock.engine
    account = engine.authenticate(TOKEN)
    if account is None:
        raise BenchError("replay: the bench token is refused")
    model, found = engine.resolve_version(version, None)
    started = time.perf_counter()
    jobs = [
        engine.create_prediction(account, model, found, {"n": i % INPUTS}, route="bench")
        for i in range(count)
    ]
    engine.advance(60)
    outputs = [job.output for job in jobs]
    return time.perf_counter() - started, outputs


def run(s: Settings, raw: dict[str, Any]) -> list[Row]:
    count = s.lifecycle_predictions
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "cassette"
        version = _record(folder)
        with (
            mock_server("--clock", "virtual", "--cassettes", str(folder)) as mock,
            httpx.Client(base_url=mock.url, timeout=30) as control,
            replicate_kit.Client(TOKEN, base_url=mock.url) as kit,
        ):
            started = time.perf_counter()
            ids = [
                kit.predictions.create(version=version, input={"n": i % INPUTS}).id
                for i in range(count)
            ]
            control.post("/_mock/clock/advance", json={"seconds": 60}).raise_for_status()
            outputs = [kit.predictions.get(pid).output for pid in ids]
            wall = time.perf_counter() - started
        engine_wall, engine_outputs = _in_engine(folder, version, count)
    outputs += engine_outputs
    if any(output != ["a", "b", "c"] for output in outputs):
        raise BenchError("replay: a replayed prediction did not end with the recorded output")
    raw["replay"] = {
        "predictions": count,
        "recorded_inputs": INPUTS,
        "wall_seconds": wall,
        "engine_seconds": engine_wall,
    }
    return [
        Row(
            "7",
            f"{count:,} replayed predictions (60 s recorded) on the virtual clock",
            "s wall",
            wall,
            BUDGET_SECONDS,
            "budget",
            "<1",
        ),
        Row(
            "7",
            f"{count:,} replayed predictions in-process (engine, no HTTP)",
            "s wall",
            engine_wall,
            wall,
            "over HTTP",
        ),
    ]
