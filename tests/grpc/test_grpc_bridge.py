"""The in-process bridge's coalescing: body chunks queued while the caller was busy come as one."""

from __future__ import annotations

import asyncio
from typing import Any

from mock_server.grpc import bridge
from mock_server.grpc.convert import HttpRequest


def _app(bursts: list[list[bytes]]) -> Any:
    """An ASGI app that writes each burst of chunks without yielding, then lets others run."""

    async def app(scope: Any, receive: Any, send: Any) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": []})
        for burst in bursts:
            for chunk in burst:
                await send({"type": "http.response.body", "body": chunk, "more_body": True})
            await asyncio.sleep(0)  # the reader has its turn before the next burst
        await send({"type": "http.response.body", "body": b"end", "more_body": False})

    return app


async def _read(app: Any, coalesce: bool) -> list[bytes]:
    out = []
    async for item in bridge.call(app, HttpRequest("GET", "/x"), "http://t", coalesce=coalesce):
        if isinstance(item, bytes):
            out.append(item)
    return out


def test_chunks_waiting_together_are_joined_only_when_asked() -> None:
    bursts = [[b"a", b"b", b"c"], [b"d"], [b"e", b"f"]]
    separate = asyncio.run(_read(_app(bursts), coalesce=False))
    assert separate == [b"a", b"b", b"c", b"d", b"e", b"f", b"end"]
    joined = asyncio.run(_read(_app(bursts), coalesce=True))
    assert joined == [b"abc", b"d", b"ef", b"end"]


def test_a_failure_behind_queued_chunks_still_ends_the_response() -> None:
    async def app(scope: Any, receive: Any, send: Any) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"a", "more_body": True})
        await send({"type": "http.response.body", "body": b"b", "more_body": True})
        raise RuntimeError("boom")

    async def read() -> tuple[list[bytes], bool]:
        out: list[bytes] = []
        try:
            async for item in bridge.call(app, HttpRequest("GET", "/x"), "http://t", coalesce=True):
                if isinstance(item, bytes):
                    out.append(item)
        except bridge.Dropped:
            return out, True
        return out, False

    chunks, dropped = asyncio.run(read())
    assert chunks == [b"ab"] and dropped
