"""5. Import time of replicate_kit vs the official replicate, each in a fresh interpreter.

`import replicate_kit` loads its client stack on first use (PEP 562 lazy names), so a second row
times the import plus that first use (resolving ``Client``, which loads httpx and the generated
stubs) against the official client, whose import already loads everything.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
from typing import Any

from bench.procs import ROOT, BenchError
from bench.report import Row
from bench.settings import Settings

_PROBE = "import time; t = time.perf_counter(); {statement}; print(time.perf_counter() - t)"

# What each measurement runs, ours first and the official client's second.
_PLAIN = {"replicate_kit": "import replicate_kit", "replicate": "import replicate"}
_FIRST_USE = {
    "replicate_kit+Client": "import replicate_kit; replicate_kit.Client",
    "replicate+Client": "import replicate; replicate.Client",
}


def import_seconds(statement: str) -> float:
    done = subprocess.run(
        [sys.executable, "-c", _PROBE.format(statement=statement)],
        capture_output=True,
        timeout=60,
        cwd=ROOT,
        check=False,
    )
    if done.returncode != 0:
        raise BenchError(f"{statement!r} failed: {done.stderr.decode()[-300:]}")
    return float(done.stdout.decode().split()[-1])


def run(s: Settings, raw: dict[str, Any]) -> list[Row]:
    probes = {**_PLAIN, **_FIRST_USE}
    times: dict[str, list[float]] = {name: [] for name in probes}
    if not s.quick:  # a first run of each warms the OS file cache
        for statement in _PLAIN.values():
            import_seconds(statement)
    for _ in range(s.import_runs):
        for name, statement in probes.items():  # interleaved: drift on the machine hits all alike
            times[name].append(import_seconds(statement) * 1000)
    raw["import_ms"] = times
    median = {name: statistics.median(values) for name, values in times.items()}
    return [
        Row(
            "5",
            f"import replicate_kit vs import replicate (median of {s.import_runs})",
            "ms",
            median["replicate_kit"],
            median["replicate"],
            "replicate",
            "<=0.6",
        ),
        Row(
            "5",
            f"import + first use of Client, replicate_kit vs replicate (median of {s.import_runs})",
            "ms",
            median["replicate_kit+Client"],
            median["replicate+Client"],
            "replicate",
        ),
    ]
