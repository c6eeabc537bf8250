"""Run one HTTP request through the mock's ASGI app in-process, streaming the response.

Only ``StreamPrediction`` still takes this way (its events are the SSE route's, chunk by chunk,
dropped-stream faults included); unary RPCs call the operation layer directly.
(httpx's ASGI transport would buffer whole responses; event streams need each chunk.)
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import deque
from collections.abc import AsyncGenerator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode, urlsplit

from starlette.types import ASGIApp, Message

from mock_server.grpc.convert import HttpRequest


class Dropped(Exception):
    """The response ended abnormally (an injected dropped connection, or a server failure)."""


@dataclass
class ResponseStart:
    status: int
    headers: dict[str, str]


_END = object()


def _scope(request: HttpRequest, root: str) -> dict[str, Any]:
    parts = urlsplit(root)
    host = parts.hostname or "127.0.0.1"
    port = parts.port or (443 if parts.scheme == "https" else 80)
    headers = [(b"host", parts.netloc.encode())]
    headers += [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in request.headers]
    if request.body:
        headers.append((b"content-length", str(len(request.body)).encode()))
    return {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.3"},
        "http_version": "1.1",
        "method": request.method,
        "scheme": parts.scheme or "http",
        "path": request.path,
        "raw_path": request.path.encode(),
        "root_path": "",
        "query_string": urlencode(request.query).encode(),
        "headers": headers,
        "server": (host, port),
        "client": ("127.0.0.1", 0),
        "state": {},
    }


async def call(
    app: ASGIApp, request: HttpRequest, root: str, *, coalesce: bool = False
) -> AsyncGenerator[ResponseStart | bytes, None]:
    """Yield the response start, then body chunks. Raises Dropped if the response broke off.

    With ``coalesce``, the body chunks already waiting when the caller asks for the next one come
    joined as one. Closing the iterator early (the gRPC caller went away) disconnects the request.
    """
    # A deque and a wake-up event rather than an asyncio.Queue: the reader can then take every
    # body chunk already waiting (coalesce) and leave the next non-body item where it is.
    queue: deque[Any] = deque()
    arrived = asyncio.Event()
    disconnected = asyncio.Event()
    body_sent = False

    async def receive() -> Message:
        nonlocal body_sent
        if not body_sent:
            body_sent = True
            return {"type": "http.request", "body": request.body, "more_body": False}
        await disconnected.wait()
        return {"type": "http.disconnect"}

    def put(item: Any) -> None:
        queue.append(item)
        arrived.set()

    async def send(message: Message) -> None:
        put(message)

    async def run() -> None:
        try:
            await app(_scope(request, root), receive, send)
        except Exception as exc:
            put(exc)
        finally:
            put(_END)

    async def take() -> Any:
        while not queue:
            arrived.clear()
            await arrived.wait()
        return queue.popleft()

    task = asyncio.create_task(run())
    finished = False
    try:
        while True:
            item = await take()
            if item is _END:
                raise Dropped("the response ended before it was complete")
            if isinstance(item, Exception):
                raise Dropped(f"the response broke off: {type(item).__name__}") from item
            if item["type"] == "http.response.start":
                headers = {
                    k.decode("latin-1").lower(): v.decode("latin-1")
                    for k, v in item.get("headers", [])
                }
                yield ResponseStart(item["status"], headers)
            elif item["type"] == "http.response.body":
                chunk = item.get("body", b"")
                more = item.get("more_body", False)
                if coalesce and more and queue:
                    chunk, more = _drain(queue, chunk)
                if chunk:
                    yield chunk
                if not more:
                    finished = True
                    return
    finally:
        disconnected.set()
        if not finished:
            task.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await task


def _drain(queue: deque[Any], chunk: bytes) -> tuple[bytes, bool]:
    """``chunk`` joined with the body chunks queued behind it, and whether more will follow.

    Stops before anything that is not a body chunk (the end marker, a failure), which stays
    queued for the caller's next read.
    """
    parts = [chunk]
    more = True
    while more and queue:
        item = queue[0]
        if not isinstance(item, dict) or item.get("type") != "http.response.body":
            break
        queue.popleft()
        parts.append(item.get("body", b""))
        more = item.get("more_body", False)
    return b"".join(parts), more
