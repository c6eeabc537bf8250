"""8. Chaos: 1,000 ``run()`` calls under the faults of issue 15 all complete, with no duplicate
and no orphan; the same run with reconciliation off is the note.

The workload and its accounting are ``tests/chaos/harness.py`` (what the chaos tests run, with
a smaller count), against a served mock on its auto clock with every client wait at zero.
"""

from __future__ import annotations

from typing import Any

from bench.report import Row
from bench.settings import Settings
from tests.chaos.harness import THREADS, Outcome, runs


def run(s: Settings, raw: dict[str, Any]) -> list[Row]:
    from bench.procs import mock_server

    calls = 20 if s.quick else 1000
    with mock_server("--clock", "auto", "--seed", "15") as mock:
        outcome = runs(mock.url, "r8_bench_chaos_on_0000000000000000000000000", calls)
        # The same chaos with reconciliation off: what the rule buys.
        off = runs(mock.url, "r8_bench_chaos_off_000000000000000000000000", calls, reconcile=False)
    raw["chaos"] = {
        "calls": calls,
        "threads": THREADS,
        **{key: _figures(result) for key, result in (("reconcile", outcome), ("off", off))},
    }
    name = f"{calls:,} run() under chaos ({THREADS} threads, HTTP)"
    note = (
        f"wall {outcome.wall:.1f} s; reconcile=False: {100 * off.complete / calls:.1f} % complete, "
        f"{off.duplicates} duplicates, {off.orphans} orphans"
    )
    return [
        Row("9", f"{name}: complete", "%", 100 * outcome.complete / calls, goal=">=100", note=note),
        Row("9", f"{name}: duplicates", "predictions", outcome.duplicates, goal="<=0"),
        Row("9", f"{name}: orphans", "predictions", outcome.orphans, goal="<=0"),
    ]


def _figures(outcome: Outcome) -> dict[str, Any]:
    return {
        "complete": outcome.complete,
        "created": outcome.created,
        "duplicates": outcome.duplicates,
        "orphans": outcome.orphans,
        "wall_seconds": round(outcome.wall, 3),
        "faults_fired": outcome.fired,
        "errors": outcome.errors,
    }
