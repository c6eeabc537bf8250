"""1. Mock throughput and latency vs Prism, same load generator, same OpenAPI file."""

from __future__ import annotations

import contextlib
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


def _best(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """The round with the highest throughput (the least disturbed), with its own latencies."""
    best = max(runs, key=lambda result: float(result["rps"]))
    return {**best, "rounds_rps": [round(float(r["rps"]), 1) for r in runs]}


def _measure_all(
    servers: list[tuple[Served, str]], s: Settings
) -> dict[str, dict[str, dict[str, Any]]]:
    """Every (route, concurrency) on every server, the servers taking turns run by run.

    Alternating, and repeating in rounds, keeps a burst of other load on this machine from
    landing on one server's numbers only: each ratio compares measurements taken moments apart.
    """
    combos = [("GET", c) for c in s.concurrency] + [("POST", c) for c in s.concurrency]
    runs: dict[str, dict[str, list[dict[str, Any]]]] = {served.name: {} for served, _ in servers}
    for method, concurrency in combos:
        key = f"{method} c={concurrency}"
        for _ in range(s.load_rounds):
            for served, prediction_id in servers:
                if method == "POST" and served.name == "bare ASGI":
                    continue  # the ceiling app only answers GET
                if method == "POST" and served.name == "replicate-mock":
                    # Every POST creates a prediction: start each run from an empty mock.
                    httpx.post(f"{served.url}/_mock/reset", timeout=10).raise_for_status()
                path = f"/predictions/{prediction_id}" if method == "GET" else "/predictions"
                result = _load(served, method, path, concurrency, s)
                runs[served.name].setdefault(key, []).append(result)
    return {
        name: {key: _best(results) for key, results in by_key.items()}
        for name, by_key in runs.items()
    }


def run(s: Settings, raw: dict[str, Any]) -> list[Row]:
    with contextlib.ExitStack() as stack:
        mock = stack.enter_context(mock_server("--clock", "real"))
        with httpx.Client(base_url=mock.url, headers=AUTH, timeout=10) as client:
            created = create_prediction(client, HELLO_WORLD_VERSION, {"text": "Alice"})
            wait_terminal(client, created["id"])
        servers = [(mock, created["id"])]
        static_id = "ufawqhfynnddngldkgtslldrkq"  # Prism and the ceiling answer any id
        if s.with_prism:
            servers.append((stack.enter_context(prism_server()), static_id))
        if s.with_ceiling:
            servers.append((stack.enter_context(ceiling_server()), static_id))
        measured = _measure_all(servers, s)
    ours = measured["replicate-mock"]
    theirs = measured.get("prism", {})
    ceiling = measured.get("bare ASGI", {})
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
