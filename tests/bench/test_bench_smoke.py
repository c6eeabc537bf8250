"""`bench/run.py --quick` end to end with tiny counts, so the benchmark code cannot rot.

Timings are machine-dependent and deliberately not asserted: only that every section ran,
produced numbers of the right kind and wrote the JSON the README table is made from.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def test_quick_bench_runs_every_section_and_writes_json(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "run.py"), "--quick", "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=50,
        cwd=ROOT,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    document = json.loads((tmp_path / "latest.json").read_text())
    assert document["quick"] is True
    assert document["machine"]["cpus"] >= 1
    rows = document["results"]
    assert {row["section"] for row in rows} == {"1", "2", "3", "4", "5", "6", "7", "8", "9"}
    assert not [row for row in rows if row["note"].startswith("failed")]
    measured = [row for row in rows if row["section"] in {"1", "2", "3", "4", "5", "7", "8"}]
    assert all(row["ours"] is not None and row["ours"] > 0 for row in measured)
    # Ratios are computed against a baseline from the same run where one exists.
    compared = [row for row in rows if row["baseline_name"]]
    assert compared and all(row["ratio"] == row["ours"] / row["baseline"] for row in compared)
    # Streams delivered every token, and the lifecycle read back every prediction.
    raw = document["raw"]
    assert raw["streaming"]["many"]["finished"] == raw["streaming"]["many"]["streams"]
    assert raw["lifecycle"]["predictions"] == 5
    assert raw["replay"]["predictions"] == 5
    assert raw["chaos"]["reconcile"]["complete"] == raw["chaos"]["calls"]
    assert "measurement" in done.stdout and "JSON:" in done.stdout


def _changed_since_commit(path: Path) -> bool:
    try:
        done = subprocess.run(
            ["git", "diff", "--quiet", "HEAD", "--", str(path)], cwd=ROOT, timeout=30, check=False
        )
    except OSError:
        return False
    return done.returncode == 1


def test_readme_table_is_the_committed_latest_results() -> None:
    latest = ROOT / "bench" / "results" / "latest.json"
    if _changed_since_commit(latest):
        pytest.skip(
            "make bench rewrote bench/results/latest.json: refresh README's table with "
            "`python bench/run.py --from-json bench/results/latest.json --readme` before committing"
        )
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "run.py"), "--from-json", str(latest)],
        capture_output=True,
        text=True,
        timeout=30,
        cwd=ROOT,
        check=True,
    )
    rows = [line for line in done.stdout.splitlines() if line.startswith("| ")]
    assert len(rows) > 10
    readme = (ROOT / "README.md").read_text()
    section = readme[readme.index("## Benchmarks") :]
    missing = [row for row in rows if row not in section]
    assert not missing, f"README's Benchmarks table differs from latest.json: {missing[:3]}"
