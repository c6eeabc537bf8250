"""A Starlette router that finds most routes by table lookup instead of a regex scan.

Starlette's ``Router`` tries every route's regex in order; with ~60 routes that, plus the
per-route ASGI wrappers, was a visible share of each request. ``TableRouter`` indexes the plain
routes by method and path segment count and compares segments; whatever the table does not answer
with certainty (no full match, ``root_path`` set, other route kinds) goes to Starlette's own
matching, so 404s, 405s, slash redirects and precedence stay exactly Starlette's.
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass

from starlette.convertors import StringConvertor
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route, Router
from starlette.types import Receive, Scope, Send

from mock_server.http.operation import Handler

Endpoint = Callable[[Request], Awaitable[Response]]
MAX_REMEMBERED = 4096


@dataclass(frozen=True)
class _Entry:
    route: Route
    endpoint: Endpoint
    # One item per path segment: the literal text, or None where a parameter goes.
    segments: tuple[str | None, ...]
    names: tuple[str, ...]
    #: The transport-neutral handler behind ``endpoint``, when it has one (the front runs it).
    operation: Handler | None = None


def _entry(route: BaseRoute, operations: Mapping[Endpoint, Handler]) -> _Entry | None:
    """The table entry for a route, or None when only Starlette's matching is exact for it."""
    if type(route) is not Route or route.methods is None:
        return None
    # A Route wraps its endpoint once (request_response); anything more is route middleware.
    if not _is_plain(route):
        return None
    if any(type(c) is not StringConvertor for c in route.param_convertors.values()):
        return None
    segments: list[str | None] = []
    names: list[str] = []
    for part in route.path.split("/")[1:]:
        if part.startswith("{") and part.endswith("}") and part.count("{") == 1:
            segments.append(None)
            names.append(part[1:-1].split(":")[0])
        elif "{" in part or "}" in part:
            return None
        else:
            segments.append(part)
    endpoint = route.endpoint
    return _Entry(route, endpoint, tuple(segments), tuple(names), operations.get(endpoint))


def _is_plain(route: Route) -> bool:
    endpoint = route.endpoint
    return (
        inspect.iscoroutinefunction(endpoint)
        and getattr(route.app, "__qualname__", "") == "request_response.<locals>.app"
    )


class TableRouter(Router):
    """``Router`` with a lookup table in front of its linear scan."""

    def __init__(
        self, routes: Sequence[BaseRoute], operations: Mapping[Endpoint, Handler] | None = None
    ) -> None:
        super().__init__(routes=list(routes))
        self._table: dict[tuple[str, int], list[_Entry]] = {}
        for route in self.routes:
            entry = _entry(route, operations or {})
            if entry is None:
                # Starlette would try this route before any later one: past it, only its own
                # ordered scan is exact, so the table stops here.
                break
            assert isinstance(route, Route) and route.methods is not None
            for method in route.methods:
                self._table.setdefault((method, len(entry.segments)), []).append(entry)
        # Answers by (method, path): a client polls the same few paths (1.3 -> 0.1 us).
        self._found: dict[tuple[str, str], tuple[_Entry, dict[str, str]] | None] = {}

    def find(self, scope: Scope) -> tuple[_Entry, dict[str, str]] | None:
        """The route Starlette would pick for this HTTP scope, or None where only it knows.

        The parameters are shared between calls: read them, do not change them.
        """
        if scope.get("root_path"):
            return None
        key = (scope["method"], scope["path"])
        try:
            return self._found[key]
        except KeyError:
            found = self._found[key] = self._lookup(*key)
            if len(self._found) > MAX_REMEMBERED:
                self._found.clear()  # bounded; what is still polled comes back
            return found

    def _lookup(self, method: str, path: str) -> tuple[_Entry, dict[str, str]] | None:
        parts = path.split("/")
        candidates = self._table.get((method, len(parts) - 1))
        if candidates is None:
            return None
        del parts[0]
        for entry in candidates:
            values: list[str] = []
            for literal, part in zip(entry.segments, parts, strict=True):
                if literal is None:
                    if not part:
                        break
                    values.append(part)
                elif literal != part:
                    break
            else:
                return entry, dict(zip(entry.names, values, strict=True))
        return None

    async def app(self, scope: Scope, receive: Receive, send: Send) -> None:
        found = self.find(scope) if scope["type"] == "http" else None
        if found is None:
            await super().app(scope, receive, send)
            return
        entry, params = found
        if "router" not in scope:
            scope["router"] = self
        scope["route"] = entry.route
        scope["endpoint"] = entry.endpoint
        scope["path_params"] = {**scope.get("path_params", {}), **params}
        # What Starlette's request_response does, minus its second exception-handling wrapper:
        # the app's ExceptionMiddleware around the router applies the same handlers.
        response = await entry.endpoint(Request(scope, receive, send))
        await response(scope, receive, send)
