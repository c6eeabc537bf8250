"""Read many SSE streams at once over raw sockets and count output events (tokens).

    python bench/sse_reader.py '{"host": "127.0.0.1", "port": 8787, "paths": [...],
                                 "headers": {...}, "timeout": 60}'

One connection per path, all opened together. The reader only searches the bytes for event
names, so it costs far less per token than the server that formats them. Prints one JSON object:
tokens, seconds from the first request to the last ``done``, tokens/s, streams finished.
"""

from __future__ import annotations

import asyncio
import functools
import json
import sys
import time
from dataclasses import dataclass
from typing import Any, cast

OUTPUT = b"event: output\n"
DONE = b"event: done\n"


@dataclass
class Tally:
    tokens: int = 0
    finished: int = 0
    failed: int = 0


class StreamReader(asyncio.Protocol):
    def __init__(self, request: bytes, tally: Tally, done: asyncio.Future[float]) -> None:
        self.request = request
        self.tally = tally
        self.done = done
        self.tail = b""
        self.head_seen = False
        self.transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        # uvloop's transports implement the interface without subclassing asyncio.Transport.
        self.transport = cast(asyncio.Transport, transport)
        self.transport.write(self.request)

    def data_received(self, data: bytes) -> None:
        chunk = self.tail + data
        if not self.head_seen:
            if b"\r\n\r\n" not in chunk:
                self.tail = chunk
                return
            self.head_seen = True
            if not chunk.startswith(b"HTTP/1.1 200"):
                self.end(ok=False)
                return
        # Events arrive whole inside each HTTP chunk; the tail only guards split reads.
        self.tally.tokens += chunk.count(OUTPUT)
        if DONE in chunk:
            self.end(ok=True)
            return
        # Too short to hold a whole event name, so it is never counted twice.
        self.tail = chunk[-(len(OUTPUT) - 1) :]

    def end(self, ok: bool) -> None:
        if self.done.done():
            return
        if ok:
            self.tally.finished += 1
        else:
            self.tally.failed += 1
        self.done.set_result(time.perf_counter())
        if self.transport is not None:
            self.transport.close()

    def connection_lost(self, exc: Exception | None) -> None:
        self.end(ok=False)


async def read_all(spec: dict[str, Any]) -> dict[str, Any]:
    loop = asyncio.get_running_loop()
    tally = Tally()
    headers = "".join(f"{k}: {v}\r\n" for k, v in spec.get("headers", {}).items())
    futures: list[asyncio.Future[float]] = []
    started = time.perf_counter()
    for path in spec["paths"]:
        request = (
            f"GET {path} HTTP/1.1\r\nHost: {spec['host']}:{spec['port']}\r\n"
            f"Accept: text/event-stream\r\n{headers}\r\n"
        ).encode()
        done: asyncio.Future[float] = loop.create_future()
        futures.append(done)
        await loop.create_connection(
            functools.partial(StreamReader, request, tally, done), spec["host"], spec["port"]
        )
    finished, _ = await asyncio.wait(futures, timeout=float(spec.get("timeout", 60)))
    ended = max((f.result() for f in finished), default=time.perf_counter())
    seconds = ended - started
    return {
        "streams": len(futures),
        "finished": tally.finished,
        "failed": tally.failed + len(futures) - len(finished),
        "tokens": tally.tokens,
        "seconds": seconds,
        "tokens_per_s": tally.tokens / seconds if seconds > 0 else 0.0,
    }


def main(argv: list[str]) -> int:
    spec = json.loads(argv[1])
    try:
        import uvloop

        result = uvloop.run(read_all(spec))
    except ImportError:  # pragma: no cover - uvloop ships with uvicorn[standard]
        result = asyncio.run(read_all(spec))
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
