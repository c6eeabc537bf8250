"""4. Lifecycle on the virtual clock: N predictions of 60 virtual seconds each.

Created through replicate_kit against a served mock on the virtual clock, finished with one
``/_mock/clock/advance``, then each read back (and checked to have succeeded). The baseline is
the wall time the same work needs on a real clock: 60 s even if all ran at once.
"""

from __future__ import annotations

import time
from typing import Any

import httpx

import replicate_kit
from bench.procs import TOKEN, BenchError, mock_server, register_model
from bench.report import Row
from bench.settings import Settings


def run(s: Settings, raw: dict[str, Any]) -> list[Row]:
    count, seconds = s.lifecycle_predictions, s.lifecycle_seconds
    script = {"owner": "bench", "name": "minute", "setup_time": 0, "run_time": seconds}
    with (
        mock_server("--clock", "virtual") as mock,
        httpx.Client(base_url=mock.url, timeout=30) as control,
        replicate_kit.Client(TOKEN, base_url=mock.url) as kit,
    ):
        version = register_model(control, {**script, "output": "done"})
        started = time.perf_counter()
        ids = [kit.predictions.create(version=version, input={}).id for _ in range(count)]
        created = time.perf_counter()
        control.post("/_mock/clock/advance", json={"seconds": seconds}).raise_for_status()
        statuses = [kit.predictions.get(pid).status for pid in ids]
        wall = time.perf_counter() - started
    if set(statuses) != {"succeeded"}:
        raise BenchError(f"lifecycle: statuses {sorted(set(statuses))}")
    raw["lifecycle"] = {
        "predictions": count,
        "virtual_seconds_each": seconds,
        "wall_seconds": wall,
        "create_seconds": created - started,
    }
    return [
        Row(
            "4",
            f"{count:,} predictions x {seconds:.0f} virtual s: create, advance, read back",
            "s wall",
            wall,
            seconds,
            "real clock",
        )
    ]
