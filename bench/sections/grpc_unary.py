"""6. gRPC unary GetPrediction vs HTTP GET /v1/predictions/{id}: same prediction, same process.

One ``replicate-mock serve --grpc-port`` process serves both from one engine. The calls
are sequential (one in flight), each through the usual Python client for its protocol: the
generated gRPC stub on a grpcio channel, and an httpx.Client; then replicate_kit's own client on
each transport (same calls, plus the facade's decoding). Rounds alternate all four.
"""

from __future__ import annotations

import contextlib
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
    TOKEN,
    BenchError,
    create_prediction,
    grpc_port,
    mock_server,
    wait_terminal,
)
from bench.report import Row
from bench.settings import Settings

# Issue 16: gRPC no slower than HTTP, and fast in absolute terms.
GRPC_VS_HTTP_GOAL = "<=1.0"
GRPC_P50_GOAL_MS = "<0.3"


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
    timings: dict[str, list[float]] = {"grpc": [], "http": [], "kit_grpc": [], "kit_http": []}
    port = grpc_port()
    with (
        mock_server("--clock", "real", "--grpc-port", str(port)) as mock,
        httpx.Client(base_url=mock.url, headers=AUTH, timeout=10) as http,
        grpc.insecure_channel(f"{HOST}:{port}") as channel,
        contextlib.ExitStack() as stack,
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

        import replicate_kit

        kit_http = stack.enter_context(replicate_kit.Client(TOKEN, base_url=f"{mock.url}/v1"))
        kit_grpc = stack.enter_context(
            replicate_kit.Client(
                TOKEN, base_url=f"{mock.url}/v1", transport="grpc", grpc_target=f"{HOST}:{port}"
            )
        )

        def kit_get(kit: Any) -> Callable[[], None]:
            def get() -> None:
                if kit.predictions.get(created["id"]).id != created["id"]:
                    raise BenchError("replicate_kit returned another prediction")

            return get

        calls = {
            "grpc": grpc_get,
            "http": http_get,
            "kit_grpc": kit_get(kit_grpc),
            "kit_http": kit_get(kit_http),
        }
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
                GRPC_VS_HTTP_GOAL if metric == "p50" else "",
            )
        )
    rows.append(
        Row(
            "6",
            "GetPrediction over gRPC (grpcio stub) p50",
            "ms",
            summary["grpc"]["p50_ms"],
            goal=GRPC_P50_GOAL_MS,
        )
    )
    rows.append(
        Row(
            "6",
            f"{n} x replicate_kit predictions.get over transport='grpc' vs 'http' p50",
            "ms",
            summary["kit_grpc"]["p50_ms"],
            summary["kit_http"]["p50_ms"],
            "HTTP",
        )
    )
    return rows
