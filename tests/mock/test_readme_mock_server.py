"""README.md's "Mock server" section: its CLI flags and control routes exist (tests/docs runs its
examples)."""

from __future__ import annotations

import re
import subprocess
import sys

from tests.readme_sections import readme_section


def section() -> str:
    return readme_section("Mock server")


def test_documented_serve_flags_exist() -> None:
    text = section()
    flags = set(re.findall(r"`(--[a-z-]+)", text))
    assert {"--port", "--seed", "--clock", "--speed", "--fixtures"} <= flags
    help_text = subprocess.run(
        [sys.executable, "-m", "mock_server", "serve", "--help"],
        capture_output=True,
        text=True,
        check=True,
        timeout=30,
    ).stdout
    assert all(flag in help_text for flag in flags), flags


def test_documented_control_routes_are_served() -> None:
    from starlette.routing import Route

    from mock_server import MockServer

    served = {
        (method, route.path)
        for route in MockServer().app.routes
        if isinstance(route, Route)
        for method in route.methods or ()
    }
    documented = re.findall(r"`((?:[A-Z]+\|)*[A-Z]+) (/_mock/[a-z/-]+)", section())
    assert len(documented) >= 10
    for methods, path in documented:
        for method in methods.split("|"):
            assert (method, path) in served, (method, path)
