"""6. gRPC unary GetPrediction vs HTTP GET /v1/predictions/{id}: same prediction, same process.

One ``replicate-mock serve --grpc-port`` process serves both from one engine. The calls
are sequential (one in flight), each through the usual Python client for its protocol: the
generated gRPC stub on a grpcio channel, and an httpx.Client. Rounds alternate the two.
"""

from __future__ import annotations

import importlib.util
import statistics
import time
from collections.abc import Callable
from typing import Any

import grpc
import httpx

from bench.procs import (
    AUTH,
    HELLO_WORLD_VERSION,
    HOST,
    BenchError,
    create_prediction,
    grpc_port,
    mock_server,
    wait_terminal,
)
from bench.report import Row
from bench.settings import Settings


def grpc_available() -> bool:
    """The mock's gRPC twin and the generated stubs are importable."""
    try:
        return all(
            importlib.util.find_spec(name) is not None
            for name in ("mock_server.grpc", "replicate_kit_grpc.v1.predictions_pb2_grpc")
        )
    except ImportError:
        return False


def _latencies(call: Callable[[], Any], count: int) -> list[float]:
    out = []
    for _ in range(count):
        started = time.perf_counter()
        call()
        out.append((time.perf_counter() - started) * 1000)
    return out


def _p(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def run(s: Settings, raw: dict[str, Any]) -> list[Row]:
    if not grpc_available():
        note = "not yet available (mock_server.grpc has not landed)"
        raw["grpc_unary"] = {"available": False}
        return [Row("6", "gRPC GetPrediction vs HTTP GET", "ms", None, note=note)]
    from replicate_kit_grpc.v1 import predictions_pb2, predictions_pb2_grpc

    metadata: tuple[tuple[str, str | bytes], ...] = tuple((k.lower(), v) for k, v in AUTH.items())
    timings: dict[str, list[float]] = {"grpc": [], "http": []}
    port = grpc_port()
    with (
        mock_server("--clock", "real", "--grpc-port", str(port)) as mock,
        httpx.Client(base_url=mock.url, headers=AUTH, timeout=10) as http,
        grpc.insecure_channel(f"{HOST}:{port}") as channel,
    ):
        created = create_prediction(http, HELLO_WORLD_VERSION, {"text": "Alice"})
        wait_terminal(http, created["id"])
        stub = predictions_pb2_grpc.PredictionServiceStub(channel)
        request = predictions_pb2.GetPredictionRequest(prediction_id=created["id"])

        def grpc_get() -> None:
            response = stub.GetPrediction(request, metadata=metadata, timeout=10)
            if response.prediction.id != created["id"]:
                raise BenchError("gRPC GetPrediction returned another prediction")

        def http_get() -> None:
            response = http.get(f"/v1/predictions/{created['id']}")
            if response.status_code != 200 or response.json()["id"] != created["id"]:
                raise BenchError(f"HTTP GET failed: {response.status_code}")

        calls = {"grpc": grpc_get, "http": http_get}
        rounds = 1 if s.quick else 4
        for call in calls.values():
            _latencies(call, min(50, s.grpc_calls))  # warm connections and caches
        for _ in range(rounds):
            for name, call in calls.items():
                timings[name] += _latencies(call, max(1, s.grpc_calls // rounds))
    summary = {
        name: {
            "calls": len(values),
            "p50_ms": _p(values, 0.5),
            "p99_ms": _p(values, 0.99),
            "mean_ms": statistics.fmean(values),
        }
        for name, values in timings.items()
    }
    raw["grpc_unary"] = {"available": True, **summary}
    n = len(timings["grpc"])
    rows = []
    for metric in ("p50", "p99"):
        rows.append(
            Row(
                "6",
                f"{n} x GetPrediction over gRPC (grpcio stub) vs HTTP GET (httpx) {metric}",
                "ms",
                summary["grpc"][f"{metric}_ms"],
                summary["http"][f"{metric}_ms"],
                "HTTP",
            )
        )
    return rows
