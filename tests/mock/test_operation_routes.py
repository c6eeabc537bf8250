"""The mock's API routes come from the operation table: one handler per operationId, no more."""

from __future__ import annotations

from replicate_api_table import BASE_PATH, OPERATIONS
from starlette.routing import Route

from mock_server.engine.core import Engine
from mock_server.http.app import api_handlers, build_app


def test_handler_keys_are_the_table_ids() -> None:
    assert sorted(api_handlers()) == sorted(OPERATIONS)


def test_each_operation_is_served_at_its_table_method_and_path() -> None:
    app = build_app(Engine())
    served = {
        (method, route.path)
        for route in app.router.routes
        if isinstance(route, Route) and route.methods
        for method in route.methods
    }
    missing = [
        op.id for op in OPERATIONS.values() if (op.method, BASE_PATH + op.path) not in served
    ]
    assert missing == []
