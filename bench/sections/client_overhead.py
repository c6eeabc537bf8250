"""2. Client overhead: sequential predictions.get through replicate_kit, the official client
and raw httpx, against one served mock (its own process)."""

from __future__ import annotations

import sys
from typing import Any

import httpx

from bench.client_loop import time_calls
from bench.procs import (
    AUTH,
    HELLO_WORLD_VERSION,
    ROOT,
    TOKEN,
    BenchError,
    create_prediction,
    mock_server,
    run_json,
    wait_terminal,
)
from bench.report import Row
from bench.settings import Settings

KINDS = ("kit", "official", "httpx")
# Issue 16: the facade costs no more CPU per call than raw httpx plus `.json()`.
KIT_VS_HTTPX_CPU_GOAL = "<=1.0"


def run(s: Settings, raw: dict[str, Any]) -> list[Row]:
    wall: dict[str, list[float]] = {kind: [] for kind in KINDS}
    cpu: dict[str, list[float]] = {kind: [] for kind in KINDS}
    with mock_server("--clock", "real") as mock:
        with httpx.Client(base_url=mock.url, headers=AUTH, timeout=10) as client:
            created = create_prediction(client, HELLO_WORLD_VERSION, {"text": "Alice"})
            wait_terminal(client, created["id"])
        # Rounds interleave the clients so drift on the machine hits all three alike.
        for _ in range(s.client_rounds):
            for kind in KINDS:
                if s.quick:  # in-process: interpreter start-ups would dominate a tiny run
                    result = time_calls(kind, mock.url, TOKEN, created["id"], s.client_calls)
                else:
                    command = [
                        sys.executable,
                        str(ROOT / "bench" / "client_loop.py"),
                        kind,
                        mock.url,
                        TOKEN,
                        created["id"],
                        str(s.client_calls),
                    ]
                    result = run_json(command, timeout=60)
                if result["status"] != "succeeded":
                    raise BenchError(f"{kind}: unexpected status {result['status']}")
                wall[kind].append(result["seconds"] / result["calls"] * 1e6)
                cpu[kind].append(result["cpu_seconds"] / result["calls"] * 1e6)
    raw["client_overhead_us_per_call"] = {"wall": wall, "cpu": cpu}
    # Best round of each: the least disturbed by whatever else the machine was doing. Goals are
    # judged on the client's CPU time: the wall time adds the same server time to every client
    # and, on a shared 2-core machine, its noise is larger than the differences measured.
    best_wall = {kind: min(values) for kind, values in wall.items()}
    best_cpu = {kind: min(values) for kind, values in cpu.items()}
    n = s.client_calls
    rows = [Row("2", f"{n} x predictions.get, raw httpx (wall)", "us/call", best_wall["httpx"])]
    for label, best in (("wall", best_wall), ("client CPU", best_cpu)):
        rows.append(
            Row(
                "2",
                f"{n} x predictions.get, replicate_kit vs raw httpx ({label})",
                "us/call",
                best["kit"],
                best["httpx"],
                "httpx",
                KIT_VS_HTTPX_CPU_GOAL if label == "client CPU" else "",
            )
        )
        rows.append(
            Row(
                "2",
                f"{n} x predictions.get, replicate_kit vs official replicate ({label})",
                "us/call",
                best["kit"],
                best["official"],
                "replicate",
                "<1" if label == "client CPU" else "",
            )
        )
    return rows
