"""1. Mock throughput and latency vs Prism, same load generator, same OpenAPI file."""

from __future__ import annotations

import json
import sys
from typing import Any

import httpx

from bench.procs import (
    AUTH,
    HELLO_WORLD_VERSION,
    HOST,
    ROOT,
    BenchError,
    Served,
    ceiling_server,
    create_prediction,
    mock_server,
    prism_server,
    run_json,
    wait_terminal,
)
from bench.report import Row
from bench.settings import Settings

CREATE_BODY = json.dumps({"version": HELLO_WORLD_VERSION, "input": {"text": "Alice"}})


def _load(served: Served, method: str, path: str, concurrency: int, s: Settings) -> dict[str, Any]:
    plan: dict[str, Any] = {
        "host": HOST,
        "port": served.port,
        "method": method,
        "path": served.api_prefix + path,
        "concurrency": concurrency,
        "duration": s.load_seconds,
        "warmup": s.load_warmup,
        "headers": dict(AUTH),
    }
    if method == "POST":
        plan["headers"]["Content-Type"] = "application/json"
        plan["body"] = CREATE_BODY
    command = [sys.executable, str(ROOT / "bench" / "loadgen.py"), json.dumps(plan)]
    result = run_json(command, timeout=s.load_seconds + s.load_warmup + 30)
    expected = "201" if method == "POST" else "200"
    wrong = {k: v for k, v in result["statuses"].items() if k != expected}
    if wrong or result["errors"] or not result["requests"]:
        raise BenchError(
            f"{served.name} {method} {path}: statuses {result['statuses']} "
            f"errors {result['errors']}"
        )
    return result


def _runs(served: Served, s: Settings, prediction_id: str) -> dict[str, dict[str, Any]]:
    results: dict[str, dict[str, Any]] = {}
    for concurrency in s.concurrency:
        results[f"GET c={concurrency}"] = _load(
            served, "GET", f"/predictions/{prediction_id}", concurrency, s
        )
    for concurrency in s.concurrency:
        if served.name == "replicate-mock":
            # Every POST creates a prediction: start each run from an empty mock.
            httpx.post(f"{served.url}/_mock/reset", timeout=10).raise_for_status()
        results[f"POST c={concurrency}"] = _load(served, "POST", "/predictions", concurrency, s)
    return results


def run(s: Settings, raw: dict[str, Any]) -> list[Row]:
    with mock_server("--clock", "real") as mock:
        with httpx.Client(base_url=mock.url, headers=AUTH, timeout=10) as client:
            created = create_prediction(client, HELLO_WORLD_VERSION, {"text": "Alice"})
            wait_terminal(client, created["id"])
        ours = _runs(mock, s, created["id"])
    theirs: dict[str, dict[str, Any]] = {}
    if s.with_prism:
        with prism_server() as prism:
            theirs = _runs(prism, s, "ufawqhfynnddngldkgtslldrkq")
    ceiling: dict[str, dict[str, Any]] = {}
    if s.with_ceiling:
        with ceiling_server() as bare:
            path = "/predictions/ufawqhfynnddngldkgtslldrkq"
            ceiling = {f"GET c={c}": _load(bare, "GET", path, c, s) for c in s.concurrency}
    raw["mock_http"] = {"replicate-mock": ours, "prism": theirs, "bare-asgi": ceiling}
    rows: list[Row] = []
    for key, mine in ours.items():
        method, concurrency = key.split(" ")
        route = "GET /v1/predictions/{id}" if method == "GET" else "POST /v1/predictions"
        base = theirs.get(key, {})
        name = "Prism" if base else ""
        label = f"{route} {concurrency}"
        for metric, unit, field, goal in (
            ("throughput", "req/s", "rps", ">=10"),
            ("p50", "ms", "p50_ms", ""),
            ("p99", "ms", "p99_ms", "<1"),
        ):
            rows.append(
                Row(
                    "1",
                    f"{label} {metric}",
                    unit,
                    mine[field],
                    base.get(field),
                    name,
                    goal if name else "",
                )
            )
    for key, bare_run in ceiling.items():
        base = theirs.get(key, {})
        rows.append(
            Row(
                "1",
                f"ceiling: bare ASGI app, same server stack, GET {key.split()[1]} throughput",
                "req/s",
                bare_run["rps"],
                base.get("rps"),
                "Prism" if base else "",
            )
        )
    return rows
