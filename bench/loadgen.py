"""Closed-loop HTTP/1.1 load generator on raw asyncio protocols (uvloop when installed).

Run in its own process so the server under test and the generator each get a core::

    python bench/loadgen.py '{"host": "127.0.0.1", "port": 8787, "method": "GET",
                              "path": "/v1/predictions/abc", "concurrency": 10,
                              "duration": 2.0, "warmup": 0.5, "headers": {...}}'

Prints one JSON object: requests completed in the measured window, requests/s, latency
percentiles (ms) and a count per status. Each connection keeps exactly one request in flight
(keep-alive, no pipelining), so latency includes queueing at the server, as a real client sees it.
The per-response work is a header search and a Content-Length read: cheap enough that a
Python server saturates before this process does.
"""

from __future__ import annotations

import asyncio
import functools
import json
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, cast


@dataclass
class Plan:
    host: str
    port: int
    method: str
    path: str
    concurrency: int
    duration: float
    warmup: float = 0.5
    headers: dict[str, str] = field(default_factory=dict)
    body: str | None = None
    host_header: str = ""
    # A hard cap on requests per connection keeps a run bounded even if timing goes wrong.
    max_requests: int = 2_000_000

    def request_bytes(self) -> bytes:
        host = self.host_header or f"{self.host}:{self.port}"
        lines = [f"{self.method} {self.path} HTTP/1.1", f"Host: {host}"]
        lines += [f"{name}: {value}" for name, value in self.headers.items()]
        payload = (self.body or "").encode()
        if self.body is not None:
            lines.append(f"Content-Length: {len(payload)}")
        return ("\r\n".join(lines) + "\r\n\r\n").encode() + payload


@dataclass
class Window:
    """Shared measuring window: only requests *sent* inside it count."""

    start: float
    end: float
    latencies: list[float] = field(default_factory=list)
    statuses: Counter[int] = field(default_factory=Counter)
    errors: Counter[str] = field(default_factory=Counter)
    sent: int = 0


def content_length(head: bytes) -> int | None:
    lower = head.lower()
    at = lower.find(b"\r\ncontent-length:")
    if at < 0:
        return None
    end = lower.find(b"\r\n", at + 2)
    return int(lower[at + 17 : end if end >= 0 else len(lower)].strip())


def parse_status(head: bytes) -> int:
    return int(head[9:12])


class Connection(asyncio.Protocol):
    def __init__(self, request: bytes, window: Window, done: asyncio.Future[None], cap: int):
        self.request = request
        self.window = window
        self.done = done
        self.cap = cap
        self.buffer = b""
        self.transport: asyncio.Transport | None = None
        self.sent_at = 0.0
        self.count = 0

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        # uvloop's transports implement the interface without subclassing asyncio.Transport.
        self.transport = cast(asyncio.Transport, transport)
        self.send()

    def send(self) -> None:
        assert self.transport is not None
        self.sent_at = time.perf_counter()
        self.count += 1
        self.transport.write(self.request)

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        while True:
            head_end = self.buffer.find(b"\r\n\r\n")
            if head_end < 0:
                return
            head = self.buffer[:head_end]
            length = content_length(head)
            if length is None:
                self.fail("response without Content-Length")
                return
            total = head_end + 4 + length
            if len(self.buffer) < total:
                return
            self.buffer = self.buffer[total:]
            self.complete(parse_status(head))
            if self.done.done():
                return

    def complete(self, status: int) -> None:
        now = time.perf_counter()
        window = self.window
        if window.start <= self.sent_at < window.end:
            window.latencies.append(now - self.sent_at)
            window.statuses[status] += 1
        if now >= window.end or self.count >= self.cap:
            self.finish()
            return
        if window.start <= now:
            window.sent += 1
        self.send()

    def fail(self, reason: str) -> None:
        self.window.errors[reason] += 1
        self.finish()

    def finish(self) -> None:
        if self.transport is not None:
            self.transport.close()
        if not self.done.done():
            self.done.set_result(None)

    def connection_lost(self, exc: Exception | None) -> None:
        if not self.done.done():
            self.window.errors["connection lost"] += 1
            self.done.set_result(None)


def percentile(sorted_values: list[float], fraction: float) -> float:
    if not sorted_values:
        return float("nan")
    index = min(len(sorted_values) - 1, max(0, round(fraction * (len(sorted_values) - 1))))
    return sorted_values[index]


async def run(plan: Plan) -> dict[str, Any]:
    loop = asyncio.get_running_loop()
    request = plan.request_bytes()
    start = time.perf_counter() + plan.warmup
    window = Window(start=start, end=start + plan.duration)
    futures: list[asyncio.Future[None]] = []
    for _ in range(plan.concurrency):
        done: asyncio.Future[None] = loop.create_future()
        futures.append(done)
        try:
            await loop.create_connection(
                functools.partial(Connection, request, window, done, plan.max_requests),
                plan.host,
                plan.port,
            )
        except OSError as exc:
            window.errors[f"connect: {exc.strerror or exc}"] += 1
            done.set_result(None)
    # Bounded: a stuck server cannot hold the benchmark past its window plus a grace period.
    await asyncio.wait(futures, timeout=plan.warmup + plan.duration + 10)
    latencies = sorted(window.latencies)
    measured = window.end - window.start
    return {
        "requests": len(latencies),
        "rps": len(latencies) / measured if measured > 0 else 0.0,
        "p50_ms": percentile(latencies, 0.50) * 1000,
        "p99_ms": percentile(latencies, 0.99) * 1000,
        "max_ms": (latencies[-1] * 1000) if latencies else float("nan"),
        "statuses": {str(k): v for k, v in sorted(window.statuses.items())},
        "errors": dict(window.errors),
        "concurrency": plan.concurrency,
    }


def main(argv: list[str]) -> int:
    plan = Plan(**json.loads(argv[1]))
    try:
        import uvloop

        result = uvloop.run(run(plan))
    except ImportError:  # pragma: no cover - uvloop ships with uvicorn[standard]
        result = asyncio.run(run(plan))
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
