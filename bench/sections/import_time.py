"""5. Import time of replicate_kit vs the official replicate, each in a fresh interpreter."""

from __future__ import annotations

import statistics
import subprocess
import sys
from typing import Any

from bench.procs import ROOT, BenchError
from bench.report import Row
from bench.settings import Settings

_PROBE = "import time; t = time.perf_counter(); import {module}; print(time.perf_counter() - t)"


def import_seconds(module: str) -> float:
    done = subprocess.run(
        [sys.executable, "-c", _PROBE.format(module=module)],
        capture_output=True,
        timeout=60,
        cwd=ROOT,
        check=False,
    )
    if done.returncode != 0:
        raise BenchError(f"import {module} failed: {done.stderr.decode()[-300:]}")
    return float(done.stdout.decode().split()[-1])


def run(s: Settings, raw: dict[str, Any]) -> list[Row]:
    times: dict[str, list[float]] = {"replicate_kit": [], "replicate": []}
    if not s.quick:  # a first run of each warms the OS file cache
        import_seconds("replicate_kit")
        import_seconds("replicate")
    for _ in range(s.import_runs):
        for module in times:  # interleaved, so drift on the machine hits both alike
            times[module].append(import_seconds(module) * 1000)
    raw["import_ms"] = times
    ours = statistics.median(times["replicate_kit"])
    theirs = statistics.median(times["replicate"])
    return [
        Row(
            "5",
            f"import replicate_kit vs import replicate (median of {s.import_runs})",
            "ms",
            ours,
            theirs,
            "replicate",
            "<=1",
        )
    ]
