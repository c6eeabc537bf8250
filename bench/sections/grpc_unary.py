"""6. gRPC unary GetPrediction p50/p99 vs HTTP GET for the same prediction.

The mock's gRPC adapter (``mock_server/grpc``) is being written; until it lands this section
reports "not yet available" instead of a number.
"""

from __future__ import annotations

import importlib.util
from typing import Any

from bench.report import Row
from bench.settings import Settings


def grpc_available() -> bool:
    try:
        return importlib.util.find_spec("mock_server.grpc") is not None
    except ImportError:
        return False


def run(s: Settings, raw: dict[str, Any]) -> list[Row]:
    raw["grpc_unary"] = {"available": False}
    note = "not yet available (mock_server.grpc has not landed)"
    return [
        Row("6", "gRPC GetPrediction p50 vs HTTP GET", "ms", None, note=note),
        Row("6", "gRPC GetPrediction p99 vs HTTP GET", "ms", None, note=note),
    ]
