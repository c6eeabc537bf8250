"""Result rows, the printed table and the JSON file."""

from __future__ import annotations

import json
import math
import os
import platform
import subprocess
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from bench.procs import cpu_model, prism_version, python_version


@dataclass
class Row:
    """One measurement: ours against a baseline measured in the same run.

    ``ratio`` is ours / baseline; ``goal`` is how the ratio is judged, e.g. ``">=10"`` (at
    least ten times) or ``"<=1.3"``; ``met`` is None when there is no goal or no number.
    """

    section: str
    name: str
    unit: str
    ours: float | None
    baseline: float | None = None
    baseline_name: str = ""
    goal: str = ""
    note: str = ""
    ratio: float | None = field(default=None)
    met: bool | None = field(default=None)

    def __post_init__(self) -> None:
        if self.ours is not None and self.baseline:
            self.ratio = self.ours / self.baseline
        self.met = judge(self.goal, self.ratio if self.baseline_name else self.ours)


def judge(goal: str, value: float | None) -> bool | None:
    if not goal or value is None or math.isnan(value):
        return None
    for op in ("<=", ">=", "<", ">"):
        if goal.startswith(op):
            bound = float(goal[len(op) :].replace(",", ""))
            return {
                "<=": value <= bound,
                ">=": value >= bound,
                "<": value < bound,
                ">": value > bound,
            }[op]
    raise ValueError(f"unknown goal {goal!r}")


def _number(value: float | None) -> str:
    if value is None or math.isnan(value):
        return "-"
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    if abs(value) >= 10:
        return f"{value:.1f}"
    return f"{value:.3g}"


def _goal_text(row: Row) -> str:
    if not row.goal:
        return ""
    if row.baseline_name:
        return f"ratio {row.goal}"
    op = row.goal.rstrip("0123456789.,")
    bound = float(row.goal[len(op) :].replace(",", ""))
    shown = f"{int(bound):,}" if bound.is_integer() else f"{bound:g}"
    return f"{op}{shown} {row.unit}"


def table(rows: list[Row]) -> str:
    header = ["#", "measurement", "unit", "ours", "baseline", "ratio", "goal", "met"]
    lines = [header]
    for row in rows:
        baseline = f"{row.baseline_name} {_number(row.baseline)}" if row.baseline_name else ""
        ratio = f"{row.ratio:.2f}x" if row.ratio is not None else ""
        met = {True: "yes", False: "NO", None: ""}[row.met]
        lines.append(
            [
                row.section,
                row.name,
                row.unit,
                _number(row.ours) if row.ours is not None else row.note or "-",
                baseline,
                ratio,
                _goal_text(row),
                met,
            ]
        )
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    out = []
    for index, line in enumerate(lines):
        out.append(" | ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)))
        if index == 0:
            out.append("-|-".join("-" * width for width in widths))
    return "\n".join(out)


def markdown(rows: list[Row]) -> str:
    """The same table as GitHub markdown, for the README."""
    out = [
        "| # | measurement | ours | baseline | ratio | goal | met |",
        "|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        ours = f"{_number(row.ours)} {row.unit}" if row.ours is not None else row.note or "-"
        baseline = f"{row.baseline_name} {_number(row.baseline)}" if row.baseline_name else ""
        ratio = f"{row.ratio:.2f}x" if row.ratio is not None else ""
        met = {True: "yes", False: "**no**", None: ""}[row.met]
        out.append(
            f"| {row.section} | {row.name} | {ours} | {baseline} | {ratio} | "
            f"{_goal_text(row)} | {met} |"
        )
    return "\n".join(out)


def machine() -> dict[str, Any]:
    def node_version() -> str | None:
        try:
            done = subprocess.run(["node", "--version"], capture_output=True, timeout=10)
        except (OSError, subprocess.TimeoutExpired):
            return None
        return done.stdout.decode().strip() or None

    return {
        "cpus": os.cpu_count(),
        "cpu_model": cpu_model(),
        "python": python_version(),
        "implementation": platform.python_implementation(),
        "platform": platform.platform(),
        "node": node_version(),
        "prism": prism_version(),
    }


def write_json(
    rows: list[Row], raw: dict[str, Any], out_dir: Path, quick: bool, seconds: float
) -> Path:
    out_dir.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
    document = {
        "taken_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "quick": quick,
        "wall_seconds": round(seconds, 2),
        "machine": machine(),
        "results": [asdict(row) for row in rows],
        "raw": raw,
    }
    text = json.dumps(document, indent=2, sort_keys=False, default=str) + "\n"
    path = out_dir / f"bench-{stamp}.json"
    path.write_text(text)
    (out_dir / "latest.json").write_text(text)
    return path
