"""Expose the request's root URL to the engine (webhook payloads of jobs it creates use it)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from mock_server.engine.webhooks import ORIGIN
from mock_server.http.context import root_url


class OriginMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        token = ORIGIN.set(root_url(Request(scope)))
        try:
            await self.app(scope, receive, send)
        finally:
            ORIGIN.reset(token)
