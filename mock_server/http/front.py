"""The mock's ASGI app: transport-neutral operations answered from a raw-ASGI front.

Most requests are neutral operations (a handler taking a ``Call``, returning a ``Result``). For
those, Starlette's layers (error and exception middleware, the router, request and response
objects) were most of a request's cost while adding nothing the operation needs. ``MockApp``
finds the route with the router's own table, runs the operation inside the same ``Exchange`` the
middleware uses (faults, journal, Date, origin, extra headers), encodes its ``Result`` with the
encoder the Starlette endpoints use, and hands exceptions to the app's registered handlers, as
Starlette's middleware would. Everything else (streams, downloads, control routes, 404, 405,
redirects, a ``root_path``) goes to the Starlette stack unchanged. ``tests/mock/test_front.py``
compares both paths byte for byte.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute
from starlette.types import Receive, Scope, Send

from mock_server.engine.core import Engine
from mock_server.http.context import call_of
from mock_server.http.dispatch import Endpoint, TableRouter
from mock_server.http.middleware import Dates, Exchange, MockMiddleware
from mock_server.http.operation import Handler
from mock_server.http.responses import encode

ErrorHandler = Callable[[Request, Exception], Awaitable[Response]]


class MockApp(Starlette):
    def __init__(
        self,
        engine: Engine,
        routes: Sequence[BaseRoute],
        operations: Mapping[Endpoint, Handler],
        exception_handlers: Mapping[Any, ErrorHandler],
        *,
        front: bool = True,
    ) -> None:
        dates = Dates(engine)
        super().__init__(
            routes=routes,
            middleware=[Middleware(MockMiddleware, engine=engine, dates=dates)],
            exception_handlers=exception_handlers,
        )
        self.router = self._routes = TableRouter(routes, operations)
        self.state.engine = engine
        self._engine = engine
        self._dates = dates
        #: False: every request takes the Starlette path (the reference the tests compare with).
        self.front = front
        # Starlette's split: the Exception (500) handler answers outside the exchange layer,
        # the others inside it (ServerErrorMiddleware and ExceptionMiddleware).
        self._server_error = exception_handlers.get(Exception) or exception_handlers.get(500)
        self._handlers = {k: v for k, v in exception_handlers.items() if k not in (500, Exception)}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.front and scope["type"] == "http":
            found = self._routes.find(scope)
            if found is not None and found[0].operation is not None:
                scope["app"] = self
                scope["path_params"] = {**scope.get("path_params", {}), **found[1]}
                await self._operation(found[0].operation, scope, receive, send)
                return
        await super().__call__(scope, receive, send)

    async def _operation(self, run: Handler, scope: Scope, receive: Receive, send: Send) -> None:
        exchange = Exchange(self._engine, self._dates, scope, send)

        async def respond(send: Send) -> None:
            request = Request(scope, receive)
            try:
                status, headers, body = encode(await run(call_of(request, self._engine)))
            except Exception as exc:
                handler = self._handler(exc)
                if handler is None:
                    raise
                response = await handler(request, exc)
                await response(scope, receive, send)
                return
            await send({"type": "http.response.start", "status": status, "headers": headers})
            await send({"type": "http.response.body", "body": body})

        try:
            await exchange.run(respond)
        except Exception as exc:
            if self._server_error is None:
                raise
            response = await self._server_error(Request(scope), exc)
            if not exchange.started:
                await response(scope, receive, send)
            raise  # as Starlette does: the server logs it

    def _handler(self, exc: Exception) -> ErrorHandler | None:
        for cls in type(exc).__mro__:
            handler = self._handlers.get(cls)
            if handler is not None:
                return handler
        return None
