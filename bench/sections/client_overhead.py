"""2. Client overhead: sequential predictions.get through replicate_kit, the official client
and raw httpx, against one served mock (its own process)."""

from __future__ import annotations

import statistics
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


def run(s: Settings, raw: dict[str, Any]) -> list[Row]:
    per_call: dict[str, list[float]] = {kind: [] for kind in KINDS}
    with mock_server("--clock", "real") as mock:
        with httpx.Client(base_url=mock.url, headers=AUTH, timeout=10) as client:
            created = create_prediction(client, HELLO_WORLD_VERSION, {"text": "Alice"})
            wait_terminal(client, created["id"])
        # Rounds interleave the clients so drift on the machine hits all three alike.
        for _ in range(s.client_rounds):
            for kind in KINDS:
                command = [
                    sys.executable,
                    str(ROOT / "bench" / "client_loop.py"),
                    kind,
                    mock.url,
                    TOKEN,
                    created["id"],
                    str(s.client_calls),
                ]
                if s.quick:  # in-process: interpreter start-ups would dominate a tiny run
                    result = time_calls(kind, mock.url, TOKEN, created["id"], s.client_calls)
                else:
                    result = run_json(command, timeout=60)
                if result["status"] != "succeeded":
                    raise BenchError(f"{kind}: unexpected status {result['status']}")
                per_call[kind].append(result["seconds"] / result["calls"] * 1e6)
    raw["client_overhead_us_per_call"] = per_call
    median = {kind: statistics.median(values) for kind, values in per_call.items()}
    calls = s.client_calls
    return [
        Row("2", f"{calls} x predictions.get, raw httpx", "us/call", median["httpx"]),
        Row(
            "2",
            f"{calls} x predictions.get, replicate_kit vs raw httpx",
            "us/call",
            median["kit"],
            median["httpx"],
            "httpx",
            "<=1.3",
        ),
        Row(
            "2",
            f"{calls} x predictions.get, replicate_kit vs official replicate",
            "us/call",
            median["kit"],
            median["official"],
            "replicate",
            "<1",
        ),
    ]
