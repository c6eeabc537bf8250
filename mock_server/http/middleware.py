"""What every HTTP exchange gets: fault injection, the request journal, the Date header and the
origin that webhook payloads point at.

``Exchange.run`` is that layer, written once. Both ways into the app go through it: the raw-ASGI
front (``front.py``) for transport-neutral operations, and ``MockMiddleware`` in front of
Starlette's stack for everything else (streams, downloads, control routes, 404s and 405s).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from email.utils import formatdate
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from mock_server.engine.core import Engine
from mock_server.engine.faults import Fault
from mock_server.engine.webhooks import ORIGIN
from mock_server.http.context import root_of
from mock_server.http.operation import fault_body, match_fault
from mock_server.http.operation import record as record_call

#: Sends the response of an exchange through the ``Send`` it is given.
Respond = Callable[[Send], Awaitable[None]]


class DroppedConnection(Exception):
    """Raised on purpose to make the server abort a response after its headers."""


class Dates:
    """``Date`` for now on the mock's clock (formatted once per clock second)."""

    __slots__ = ("_engine", "_last")

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._last: tuple[int, bytes] = (-1, b"")

    def now(self) -> bytes:
        second = int(self._engine.now())
        last, text = self._last
        if second != last:
            text = formatdate(second, usegmt=True).encode()
            self._last = (second, text)
        return text


class Exchange:
    """One request's shared steps; ``run`` wraps whatever sends the response."""

    __slots__ = ("_dates", "_engine", "_recorded", "_scope", "_send", "_state", "started")

    def __init__(self, engine: Engine, dates: Dates, scope: Scope, send: Send) -> None:
        self._engine = engine
        self._dates = dates
        self._scope = scope
        self._state: dict[str, Any] = scope.setdefault("state", {})
        self._send = send
        self._recorded = False
        #: The response has started (no error response can be sent any more).
        self.started = False

    def _record(self, status: int) -> None:
        # Recorded when the response starts, so a client that has read a whole (streamed)
        # response always finds its request in the journal.
        if self._recorded:
            return
        self._recorded = True
        scope = self._scope
        query = scope.get("query_string", b"").decode("latin-1")
        account = self._state.get("account")
        record_call(self._engine, scope["method"], scope["path"], query, status, account)

    async def send(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            headers = list(message.get("headers", []))
            extra = self._state.get("extra_headers")
            if extra:
                present = {name.lower() for name, _ in headers}
                headers += [
                    (k.encode(), v.encode()) for k, v in extra.items() if k.encode() not in present
                ]
            # The mock's own time, not the wall's: a client can learn the server clock
            # from any response (the servers run with their own Date header off).
            headers.append((b"date", self._dates.now()))
            message = {**message, "headers": headers}
            self._record(message["status"])
            self.started = True
        await self._send(message)

    async def run(self, respond: Respond) -> None:
        scope = self._scope
        path: str = scope["path"]
        fault = match_fault(self._engine, scope["method"], path)
        # Webhook payloads of jobs that change during this request point at the root the
        # client addressed.
        root = self._state["root"] = root_of(scope)
        origin = ORIGIN.set(root)
        try:
            if fault is not None:
                if fault.latency > 0:
                    await asyncio.sleep(fault.latency)
                if fault.status is not None:
                    await _send_fault(fault, self.send)
                    return
                if fault.drop_stream_after is not None:
                    self._state["drop_stream_after"] = fault.drop_stream_after
                if fault.drop:
                    await respond(_dropping(self.send))
                    return
            await respond(self.send)
        finally:
            ORIGIN.reset(origin)
            self._record(500)


class MockMiddleware:
    """The exchange layer in front of Starlette's stack (routes the front leaves to it)."""

    def __init__(self, app: ASGIApp, engine: Engine, dates: Dates | None = None) -> None:
        self.app = app
        self.engine = engine
        self.dates = dates or Dates(engine)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        def respond(send: Send) -> Awaitable[None]:
            return self.app(scope, receive, send)

        await Exchange(self.engine, self.dates, scope, send).run(respond)


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
        # An empty chunk, more to come: a server that holds the head until the body starts
        # (granian) sends it now; then the connection is dropped mid-response.
        await send({"type": "http.response.body", "body": b"", "more_body": True})
        raise DroppedConnection("connection dropped by an injected fault")

    return dropping_send
