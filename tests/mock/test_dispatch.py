"""The table router must pick exactly the route Starlette's ordered scan would pick."""

from __future__ import annotations

import re

import pytest
from starlette.routing import Match, Route

from mock_server.http.dispatch import TableRouter
from mock_server.server import MockServer


def _router() -> TableRouter:
    router = MockServer().app.router
    assert isinstance(router, TableRouter)
    return router


def _starlette_choice(router: TableRouter, method: str, path: str) -> Route | None:
    scope = {"type": "http", "method": method, "path": path, "root_path": ""}
    for route in router.routes:
        match, _ = route.matches(scope)
        if match is Match.FULL:
            assert isinstance(route, Route)
            return route
    return None


def _sample_paths(router: TableRouter) -> list[tuple[str, str]]:
    samples: list[tuple[str, str]] = []
    for route in router.routes:
        assert isinstance(route, Route) and route.methods
        concrete = re.sub(r"\{[^}]+\}", "x1", route.path)
        for method in sorted(route.methods):
            samples.append((method, concrete))
            samples.append((method, concrete + "/"))
    return samples


def test_every_route_is_in_the_table() -> None:
    router = _router()
    indexed = {id(e.route) for entries in router._table.values() for e in entries}
    assert indexed == {id(r) for r in router.routes}


def test_table_agrees_with_starlette_on_every_route_shape() -> None:
    router = _router()
    for method, path in _sample_paths(router):
        scope = {"type": "http", "method": method, "path": path}
        found = router.find(scope)
        expected = _starlette_choice(router, method, path)
        if found is None:
            # Left to Starlette: only allowed where the table has no exact answer.
            assert expected is None, (method, path)
        else:
            assert found[0].route is expected, (method, path)


@pytest.mark.parametrize(
    ("method", "path"),
    [("GET", "/v1/predictions//cancel"), ("PATCH", "/v1/predictions"), ("GET", "/nope")],
)
def test_no_table_answer_for_empty_segments_or_unknown_methods(method: str, path: str) -> None:
    assert _router().find({"type": "http", "method": method, "path": path}) is None


def test_root_path_defers_to_starlette() -> None:
    scope = {"type": "http", "method": "GET", "path": "/v1/account", "root_path": "/api"}
    assert _router().find(scope) is None
