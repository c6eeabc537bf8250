"""Counts and durations for a full run and for ``--quick`` (the smoke test's tiny run)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Settings:
    quick: bool
    concurrency: tuple[int, ...]
    load_seconds: float  # measured window of each load run
    load_warmup: float
    load_rounds: int  # each server measured this many times, servers alternating
    client_calls: int  # sequential predictions.get per client per round
    client_rounds: int
    stream_tokens: int  # tokens per stream
    streams: int  # concurrent streams
    lifecycle_predictions: int
    lifecycle_seconds: float  # virtual seconds each prediction takes
    import_runs: int
    grpc_calls: int
    with_prism: bool
    with_ceiling: bool  # also load a bare ASGI app on the same server stack
    with_wiremock: bool = False  # also load WireMock serving the same body as a static stub

    @classmethod
    def full(cls) -> Settings:
        return cls(
            quick=False,
            concurrency=(1, 10, 50),
            load_seconds=2.5,
            load_warmup=0.5,
            load_rounds=2,
            client_calls=1000,
            client_rounds=7,
            stream_tokens=20_000,
            streams=200,
            lifecycle_predictions=1000,
            lifecycle_seconds=60.0,
            import_runs=7,
            grpc_calls=2000,
            with_prism=True,
            with_ceiling=True,
            with_wiremock=True,
        )

    @classmethod
    def tiny(cls) -> Settings:
        return cls(
            quick=True,
            concurrency=(2,),
            load_seconds=0.1,
            load_warmup=0.02,
            load_rounds=1,
            client_calls=10,
            client_rounds=1,
            stream_tokens=50,
            streams=3,
            lifecycle_predictions=5,
            lifecycle_seconds=60.0,
            import_runs=1,
            grpc_calls=10,
            with_prism=False,
            with_ceiling=False,
        )
