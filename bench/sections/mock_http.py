"""1. Mock throughput and latency vs Prism and WireMock, same load generator, same run.

Prism mocks the same OpenAPI file; WireMock (JVM, warmed first) serves the very prediction body
the mock returns as a static stub, so it does no work per request beyond matching and writing.
The bare-ASGI ceiling runs on each server stack ``replicate-mock serve`` offers (uvicorn, and
granian when installed), next to the mock on that stack: issue 16 judges the mock against the
ceiling of its own stack.
"""

from __future__ import annotations

import contextlib
import dataclasses
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
    granian_available,
    mock_server,
    prism_server,
    run_json,
    wait_terminal,
    wiremock_missing,
    wiremock_server,
)
from bench.report import Row
from bench.settings import Settings

CREATE_BODY = json.dumps({"version": HELLO_WORLD_VERSION, "input": {"text": "Alice"}})
#: The mock's GET throughput against WireMock's static stub, at every concurrency (issue 16).
WIREMOCK_GOAL = ">=1.5"
#: The mock against the bare-ASGI ceiling on the same server stack (issue 16).
CEILING_GOALS = {"GET": ">=0.6", "POST": ">=0.35"}
MOCK, CEILING = "replicate-mock", "bare ASGI"
#: Server stacks beside the default uvicorn one: (``serve --server`` value, name suffix).
_OTHER_STACKS = [("granian", " (granian)")]
_NOT_IN_RUN = "not in this run"


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
                if method == "POST" and (
                    served.name.startswith(CEILING) or served.name == "wiremock"
                ):
                    continue  # the ceiling app and the static stub only answer GET
                if method == "POST" and served.name.startswith(MOCK):
                    # Every POST creates a prediction: start each run from an empty mock.
                    httpx.post(f"{served.url}/_mock/reset", timeout=10).raise_for_status()
                path = f"/predictions/{prediction_id}" if method == "GET" else "/predictions"
                result = _load(served, method, path, concurrency, s)
                runs[served.name].setdefault(key, []).append(result)
    return {
        name: {key: _best(results) for key, results in by_key.items()}
        for name, by_key in runs.items()
    }


def _finished_prediction(served: Served) -> str:
    with httpx.Client(base_url=served.url, headers=AUTH, timeout=10) as client:
        created = create_prediction(client, HELLO_WORLD_VERSION, {"text": "Alice"})
        wait_terminal(client, created["id"])
    return str(created["id"])


def run(s: Settings, raw: dict[str, Any]) -> list[Row]:
    stacks = [name for name, _ in _OTHER_STACKS if s.with_ceiling and granian_available()]
    with contextlib.ExitStack() as stack:
        mock = stack.enter_context(mock_server("--clock", "real"))
        created = {"id": _finished_prediction(mock)}
        servers = [(mock, created["id"])]
        for server in stacks:
            other = stack.enter_context(mock_server("--clock", "real", "--server", server))
            servers.append((other, _finished_prediction(other)))
        static_id = "ufawqhfynnddngldkgtslldrkq"  # Prism and the ceiling answer any id
        if s.with_prism:
            servers.append((stack.enter_context(prism_server()), static_id))
        if s.with_ceiling:
            servers.append((stack.enter_context(ceiling_server()), static_id))
            for server in stacks:
                servers.append((stack.enter_context(ceiling_server(server)), static_id))
        skipped = wiremock_missing() if s.with_wiremock else _NOT_IN_RUN
        if skipped is None:
            wiremock = stack.enter_context(wiremock_server([_static_stub(mock.url, created["id"])]))
            _warm(wiremock, created["id"], s)
            servers.append((wiremock, created["id"]))
        measured = _measure_all(servers, s)
    ours = measured[MOCK]
    theirs = measured.get("prism", {})
    ceiling = measured.get(CEILING, {})
    stub = measured.get("wiremock", {})
    stub_run: dict[str, Any] = stub if stub else {"skipped": skipped}
    section: dict[str, Any] = {
        "replicate-mock": ours,
        "prism": theirs,
        "bare-asgi": ceiling,
        "wiremock": stub_run,
    }
    raw["mock_http"] = section
    for server, suffix in _OTHER_STACKS:
        if MOCK + suffix in measured:
            section[f"replicate-mock-{server}"] = measured[MOCK + suffix]
            section[f"bare-asgi-{server}"] = measured.get(CEILING + suffix, {})
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
    rows.extend(_wiremock_rows(ours, stub, skipped))
    rows.extend(_ceiling_rows(ours, ceiling, ""))
    for _server, suffix in _OTHER_STACKS:
        on_stack = measured.get(MOCK + suffix)
        if on_stack:
            rows.extend(_ceiling_rows(on_stack, measured.get(CEILING + suffix, {}), suffix))
            if stub:
                rows.extend(_wiremock_rows(on_stack, stub, None, suffix))
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
    for server, suffix in _OTHER_STACKS:
        for key, bare_run in measured.get(CEILING + suffix, {}).items():
            rows.append(
                Row(
                    "1",
                    f"ceiling: bare ASGI app on {server}, GET {key.split()[1]} throughput",
                    "req/s",
                    bare_run["rps"],
                    ceiling.get(key, {}).get("rps"),
                    "uvicorn" if key in ceiling else "",
                )
            )
    return rows


def _static_stub(mock_url: str, prediction_id: str) -> dict[str, Any]:
    """A WireMock mapping answering every GET /v1/predictions/{id} with the mock's own body."""
    response = httpx.get(f"{mock_url}/v1/predictions/{prediction_id}", headers=AUTH, timeout=10)
    response.raise_for_status()
    return {
        "request": {"method": "GET", "urlPathPattern": "/v1/predictions/[^/]+"},
        "response": {
            "status": 200,
            "body": response.text,
            "headers": {"Content-Type": "application/json"},
        },
    }


def _warm(served: Served, prediction_id: str, s: Settings) -> None:
    """Load the JVM before measuring: its JIT needs a few seconds of traffic to settle."""
    seconds = 0.1 if s.quick else 3.0
    warm = dataclasses.replace(s, load_seconds=seconds, load_warmup=0.0)
    _load(served, "GET", f"/predictions/{prediction_id}", max(s.concurrency), warm)


def _ceiling_rows(
    ours: dict[str, dict[str, Any]], ceiling: dict[str, dict[str, Any]], suffix: str
) -> list[Row]:
    """The mock on a server stack against the bare-ASGI GET ceiling on the same stack."""
    rows = []
    for key, mine in ours.items():
        method, concurrency = key.split(" ")
        bare = ceiling.get(f"GET {concurrency}")
        if bare is None:
            continue
        route = "GET /v1/predictions/{id}" if method == "GET" else "POST /v1/predictions"
        rows.append(
            Row(
                "1",
                f"{route} {concurrency} throughput vs bare ASGI GET ceiling{suffix}",
                "req/s",
                mine["rps"],
                bare["rps"],
                "ceiling",
                CEILING_GOALS[method],
            )
        )
    return rows


def _wiremock_rows(
    ours: dict[str, dict[str, Any]],
    stub: dict[str, dict[str, Any]],
    skipped: str | None,
    suffix: str = "",
) -> list[Row]:
    name = f"GET /v1/predictions/{{id}}{suffix} throughput vs WireMock static stub"
    if not stub:
        # A run that never meant to start WireMock (--quick) has no row; one that could not says so.
        if skipped is None or skipped == _NOT_IN_RUN:
            return []
        return [Row("1", name, "req/s", None, note=f"WireMock skipped: {skipped}")]
    rows = []
    for key, theirs in stub.items():
        concurrency = key.split(" ")[1]
        mine = ours[key]["rps"]
        rows.append(
            Row(
                "1",
                f"{name} {concurrency}",
                "req/s",
                mine,
                theirs["rps"],
                "WireMock",
                WIREMOCK_GOAL,
            )
        )
    return rows
