"""``make bench``: measure replicate-kit against baselines run side by side, on 127.0.0.1 only.

    python bench/run.py                 # everything (a few minutes), table + bench/results/
    python bench/run.py --quick         # tiny counts, seconds: keeps the harness from rotting
    python bench/run.py --only 1,5      # some sections

Each section is bounded by counts and time limits (and every helper process by a timeout), so a
run ends by itself. A failing section is reported in the table and the run goes on.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.procs import reuse_mocks
from bench.report import Row, markdown, table, write_json
from bench.sections import (
    chaos,
    client_overhead,
    grpc_unary,
    import_time,
    lifecycle,
    mock_http,
    replay,
    streaming,
    typegen,
)
from bench.settings import Settings

README = Path(__file__).resolve().parent.parent / "README.md"

Section = Callable[[Settings, dict[str, Any]], list[Row]]

SECTIONS: dict[str, tuple[str, Section]] = {
    "1": ("mock throughput and latency vs Prism", mock_http.run),
    "2": ("client overhead vs official client and raw httpx", client_overhead.run),
    "3": ("token streaming", streaming.run),
    "4": ("lifecycle on the virtual clock", lifecycle.run),
    "5": ("import time", import_time.run),
    "6": ("gRPC unary vs HTTP", grpc_unary.run),
    "7": ("replaying a recorded cassette", replay.run),
    "8": ("typed stubs per model (gen-types)", typegen.run),
    "9": ("run() under chaos: complete, no duplicate, no orphan", chaos.run),
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench/run.py", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="tiny counts (smoke test)")
    parser.add_argument("--only", help="comma-separated section numbers, e.g. 1,3")
    parser.add_argument(
        "--out",
        type=Path,
        default=Path(__file__).resolve().parent / "results",
        help="directory for the JSON results (default bench/results)",
    )
    parser.add_argument("--markdown", action="store_true", help="also print a markdown table")
    parser.add_argument(
        "--from-json", type=Path, help="print the tables of an earlier results file; run nothing"
    )
    parser.add_argument(
        "--readme",
        action="store_true",
        help="with --from-json: write its markdown table into README.md's Benchmarks section",
    )
    args = parser.parse_args(argv)
    if args.readme and args.from_json is None:
        parser.error("--readme needs --from-json (the README shows a committed results file)")
    if args.from_json is not None:
        document = json.loads(args.from_json.read_text())
        saved = [Row(**row) for row in document["results"]]
        if args.readme:
            _write_readme_table(README, markdown(saved))
            print(f"README.md: Benchmarks table rewritten from {args.from_json}")
            return 0
        print(table(saved))
        print()
        print(markdown(saved))
        return 0
    settings = Settings.tiny() if args.quick else Settings.full()
    chosen = args.only.split(",") if args.only else list(SECTIONS)
    unknown = [key for key in chosen if key not in SECTIONS]
    if unknown:
        parser.error(f"unknown sections: {', '.join(unknown)} (choose from 1-{len(SECTIONS)})")

    started = time.perf_counter()
    rows: list[Row] = []
    raw: dict[str, Any] = {}
    with reuse_mocks() if args.quick else contextlib.nullcontext():
        failures = _run_sections(chosen, settings, rows, raw)
    seconds = time.perf_counter() - started
    path = write_json(rows, raw, args.out, args.quick, seconds)
    print(table(rows))
    if args.markdown:
        print()
        print(markdown(rows))
    print(f"\n{len(rows)} rows in {seconds:.1f} s; JSON: {path}")
    return 1 if failures else 0


def _write_readme_table(readme: Path, new_table: str) -> None:
    """Replace the results table (the one headed like ``new_table``) under ``## Benchmarks``."""
    lines = readme.read_text().splitlines(keepends=True)
    header = new_table.splitlines()[0]
    section = next(i for i, line in enumerate(lines) if line.startswith("## Benchmarks"))
    start = next(i for i in range(section, len(lines)) if lines[i].rstrip("\n") == header)
    end = next((i for i in range(start, len(lines)) if not lines[i].startswith("|")), len(lines))
    lines[start:end] = [new_table.rstrip("\n") + "\n"]
    readme.write_text("".join(lines))


def _run_sections(
    chosen: list[str], settings: Settings, rows: list[Row], raw: dict[str, Any]
) -> int:
    failures = 0
    for key in chosen:
        title, section = SECTIONS[key]
        print(f"[{key}] {title} ...", file=sys.stderr, flush=True)
        section_started = time.perf_counter()
        try:
            rows.extend(section(settings, raw))
        except Exception as exc:  # report and go on: one broken baseline must not hide the rest
            failures += 1
            traceback.print_exc(file=sys.stderr)
            rows.append(Row(key, title, "", None, note=f"failed: {type(exc).__name__}: {exc}"))
        raw.setdefault("section_seconds", {})[key] = round(time.perf_counter() - section_started, 2)
    return failures


if __name__ == "__main__":
    sys.exit(main())
