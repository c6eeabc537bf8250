"""Outermost ASGI layer: fault injection, the request journal, the Date header and the origin."""

from __future__ import annotations

import asyncio
from email.utils import formatdate
from typing import Any

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from mock_server.engine.core import Engine
from mock_server.engine.faults import Fault
from mock_server.engine.webhooks import ORIGIN
from mock_server.http.context import root_url
from mock_server.http.operation import fault_body, match_fault
from mock_server.http.operation import record as record_call


class DroppedConnection(Exception):
    """Raised on purpose to make the server abort a response after its headers."""


class MockMiddleware:
    def __init__(self, app: ASGIApp, engine: Engine) -> None:
        self.app = app
        self.engine = engine
        self._last_date: tuple[int, bytes] = (-1, b"")

    def _date(self) -> bytes:
        """``Date`` for now on the mock's clock (formatted once per clock second)."""
        second = int(self.engine.now())
        last, text = self._last_date
        if second != last:
            text = formatdate(second, usegmt=True).encode()
            self._last_date = (second, text)
        return text

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        method: str = scope["method"]
        state: dict[str, Any] = scope.setdefault("state", {})
        fault = match_fault(self.engine, method, path)
        recorded = False

        def record(status: int) -> None:
            # Recorded when the response starts, so a client that has read a whole (streamed)
            # response always finds its request in the journal.
            nonlocal recorded
            if recorded:
                return
            recorded = True
            query = scope.get("query_string", b"").decode("latin-1")
            record_call(self.engine, method, path, query, status, state.get("account"))

        async def tracking_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                extra = state.get("extra_headers")
                if extra:
                    present = {name.lower() for name, _ in headers}
                    headers += [
                        (k.encode(), v.encode())
                        for k, v in extra.items()
                        if k.encode() not in present
                    ]
                # The mock's own time, not the wall's: a client can learn the server clock
                # from any response (the servers run with their own Date header off).
                headers.append((b"date", self._date()))
                message = {**message, "headers": headers}
                record(message["status"])
            await send(message)

        # Webhook payloads of jobs that change during this request point at the root the
        # client addressed (one layer with the rest: each ASGI layer costs every request).
        root = state["root"] = root_url(Request(scope))
        origin = ORIGIN.set(root)
        try:
            if fault is not None:
                if fault.latency > 0:
                    await asyncio.sleep(fault.latency)
                if fault.status is not None:
                    await _send_fault(fault, tracking_send)
                    return
                if fault.drop_stream_after is not None:
                    state["drop_stream_after"] = fault.drop_stream_after
                if fault.drop:
                    await self.app(scope, receive, _dropping(tracking_send))
                    return
            await self.app(scope, receive, tracking_send)
        finally:
            ORIGIN.reset(origin)
            record(500)


async def _send_fault(fault: Fault, send: Send) -> None:
    body = fault_body(fault)
    headers = [
        (b"content-type", b"application/problem+json"),
        (b"content-length", str(len(body)).encode()),
    ]
    if fault.retry_after is not None:
        headers.append((b"retry-after", str(fault.retry_after).encode()))
    await send({"type": "http.response.start", "status": fault.status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def _dropping(send: Send) -> Send:
    async def dropping_send(message: Message) -> None:
        if message["type"] == "http.response.start":
            await send(message)
            return
        raise DroppedConnection("connection dropped by an injected fault")

    return dropping_send
