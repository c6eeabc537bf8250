"""Assemble the ASGI app: route modules + error handlers + the mock middleware.

Each resource contributes a module with ``HANDLERS`` (operationId -> handler); the method and path
of each come from the generated operation table, so a route is declared once, in the spec. A module
may add routes outside the API (``routes()``: control, file delivery). Add new resources to
``ROUTE_MODULES`` rather than editing existing modules.
"""

from __future__ import annotations

from types import ModuleType

from replicate_api_table import BASE_PATH, OPERATIONS
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from mock_server.engine.core import Engine
from mock_server.engine.errors import ApiError
from mock_server.http import (
    routes_account,
    routes_collections,
    routes_control,
    routes_delivery,
    routes_deployments,
    routes_files,
    routes_hardware,
    routes_models,
    routes_predictions,
    routes_search,
    routes_streams,
    routes_trainings,
    routes_webhooks,
)
from mock_server.http.context import call_of
from mock_server.http.front import MockApp
from mock_server.http.operation import Endpoint, Handler, Operation, internal_error
from mock_server.http.responses import Encoded, encode, problem, problem_response

ROUTE_MODULES: list[ModuleType] = [
    routes_account,
    routes_predictions,
    routes_models,
    routes_deployments,
    routes_files,
    routes_trainings,
    routes_webhooks,
    routes_collections,
    routes_hardware,
    routes_search,
    routes_streams,
    routes_delivery,
    routes_control,
]


def api_handlers() -> dict[str, Operation | Endpoint]:
    """Every API operation's handler, by operationId (each module's ``HANDLERS`` merged)."""
    found: dict[str, Operation | Endpoint] = {}
    for module in ROUTE_MODULES:
        for op_id, handler in getattr(module, "HANDLERS", {}).items():
            if op_id in found:
                raise RuntimeError(f"two handlers for the operation {op_id}")
            found[op_id] = handler
    return found


def http_endpoint(handler: Operation | Endpoint) -> Endpoint:
    """The Starlette endpoint of a handler: a neutral one is called with the request's Call.

    The front (``front.py``) runs neutral handlers itself; this endpoint is their route when the
    Starlette path serves them (``front=False``, a ``root_path``): same call, same encoder.
    """
    if not isinstance(handler, Operation):
        return handler
    run = handler.handler

    async def endpoint(request: Request) -> Response:
        return Encoded(encode(await run(call_of(request))))

    return endpoint


def api_routes(operations: dict[Endpoint, Handler] | None = None) -> list[BaseRoute]:
    """One route per operation, in module order (Starlette's precedence stays as written).

    ``operations`` is filled with each neutral handler, by the endpoint of its route.
    """
    routes: list[BaseRoute] = []
    for module in ROUTE_MODULES:
        for op_id, handler in getattr(module, "HANDLERS", {}).items():
            op = OPERATIONS[op_id]
            endpoint = http_endpoint(handler)
            if operations is not None and isinstance(handler, Operation):
                operations[endpoint] = handler.handler
            routes.append(Route(BASE_PATH + op.path, endpoint, methods=[op.method]))
    return routes


_TITLES = {404: "Not found", 405: "Method not allowed"}


async def _api_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ApiError)
    return problem(exc)


def allowed_methods(request: Request) -> list[str]:
    """Every method some route serves at this path: the exact ``Allow`` of a 405 (RFC 9110)."""
    path = request.scope["path"]
    methods: set[str] = set()
    for route in request.app.router.routes:
        if isinstance(route, Route) and route.methods and route.path_regex.match(path):
            methods |= route.methods
    return sorted(methods)


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    headers = dict(exc.headers or {})
    if exc.status_code == 405:
        # Starlette names only the first route that matched the path; a path served by several
        # routes (GET and POST of /v1/predictions) needs all of them.
        headers["Allow"] = ", ".join(allowed_methods(request))
    detail = {
        404: f"No route matches {request.url.path}",
        405: f"{request.method} is not allowed on {request.url.path}",
    }.get(exc.status_code, str(exc.detail))
    title = _TITLES.get(exc.status_code, "HTTP error")
    return problem_response(exc.status_code, title, detail, headers)


async def _server_error(request: Request, exc: Exception) -> Response:
    return problem(internal_error(exc))


def build_app(engine: Engine, *, front: bool = True) -> MockApp:
    """The mock's ASGI app; ``front=False`` serves every request through Starlette's stack."""
    operations: dict[Endpoint, Handler] = {}
    routes = api_routes(operations)
    for module in ROUTE_MODULES:
        if hasattr(module, "routes"):
            routes.extend(module.routes())
    handlers = {ApiError: _api_error, HTTPException: _http_error, Exception: _server_error}
    return MockApp(engine, routes, operations, handlers, front=front)
