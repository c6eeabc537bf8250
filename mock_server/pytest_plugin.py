"""pytest plugin (entry point ``replicate_mock``): a served mock and per-test accounts.

Fixtures:
- ``replicate_mock_server``: session-scoped `MockServer` on 127.0.0.1 (free ports, clock "auto"),
  serving HTTP and, when the ``grpc`` extra is installed, its gRPC twin on the same engine.
- ``replicate_mock``: per test, a handle with ``url``, ``api_url``, ``grpc_target``, ``token`` (a
  fresh token, hence a fresh isolated account: no reset needed between tests), ``control``,
  ``server``.
- ``replicate_mock_asgi``: per test, a private in-process mock; ``handle.async_client()``
  returns an ``httpx.AsyncClient`` over the ASGI app (no sockets).

The mode of these mocks is the ini option ``replicate_mock_mode`` (or ``--replicate-mock-mode``):
``default`` (any well-formed token is its own account), ``strict`` (only the fixtures' own tokens
are accepted: anything else is 401) or ``examples`` (placeholder ids and names materialise, for
generated SDK test suites; see ``mock_server.engine.examples``).

pytest loads this module in every run of an environment where the wheel is installed, core-only
installs included, so it imports nothing but pytest: the mock (``mock_server.pytest_handle``, with
starlette, uvicorn, jsonschema) is imported when a test first requests a fixture; without the
``mock`` extra that fixture fails with one line naming it.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pytest

from mock_server import extras

if TYPE_CHECKING:
    from mock_server.pytest_handle import MockHandle
    from mock_server.server import MockServer

MODES = ("default", "strict", "examples")
ASGI_ROOT = "http://replicate-mock.test"


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("replicate_mock")
    help_text = "mode of the replicate_mock fixtures: " + ", ".join(MODES)
    parser.addini("replicate_mock_mode", help_text, default="default")
    group.addoption("--replicate-mock-mode", choices=MODES, default=None, help=help_text)
    # Recorded cassettes (mock_server.record) served by the mock fixtures next to the built-ins.
    parser.addini("replicate_mock_cassettes", "cassette folders the mock serves", type="paths")
    parser.addini("replicate_mock_match", "exact, any or ignore:KEY[,KEY...]", default="exact")
    group.addoption("--replicate-cassettes", action="append", default=[], metavar="DIR")
    group.addoption("--replicate-match", default=None, metavar="RULE")


def _mode(config: pytest.Config) -> str:
    mode = config.getoption("--replicate-mock-mode") or config.getini("replicate_mock_mode")
    if mode not in MODES:
        raise pytest.UsageError(f"replicate_mock_mode must be one of {', '.join(MODES)}: {mode!r}")
    return str(mode)


@contextlib.contextmanager
def _needs_mock_extra() -> Iterator[None]:
    """Turn a missing library of the ``mock`` extra into a one-line failure naming the extra."""
    try:
        yield
    except ModuleNotFoundError as missing:
        message = extras.needs("mock", "this replicate_mock fixture", missing)
        # from None: pytest would otherwise report the ImportError above the message.
        raise pytest.fail.Exception(message, pytrace=False) from None


@pytest.fixture(scope="session")
def replicate_mock_server(pytestconfig: pytest.Config) -> Iterator[MockServer]:
    with _needs_mock_extra():
        from mock_server.pytest_handle import grpc_available, new_server, with_cassettes
    options = {"seed": 0, "clock": "auto", "grpc": grpc_available()}
    server = with_cassettes(new_server(_mode(pytestconfig), **options), pytestconfig)
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def replicate_mock(replicate_mock_server: MockServer, request: pytest.FixtureRequest) -> MockHandle:
    from mock_server.pytest_handle import handle  # loaded by replicate_mock_server

    return handle(replicate_mock_server, replicate_mock_server.url, request.node.nodeid)


@pytest.fixture
def replicate_mock_asgi(request: pytest.FixtureRequest) -> MockHandle:
    with _needs_mock_extra():
        from mock_server.pytest_handle import handle, new_server, with_cassettes
    server = with_cassettes(new_server(_mode(request.config), seed=0, clock="auto"), request.config)
    return handle(server, ASGI_ROOT, request.node.nodeid)


def __getattr__(name: str) -> Any:
    # Test modules annotate the fixtures' value with ``mock_server.pytest_plugin.MockHandle``.
    if name == "MockHandle":
        with _needs_mock_extra():
            from mock_server.pytest_handle import MockHandle
        return MockHandle
    raise AttributeError(f"module 'mock_server.pytest_plugin' has no attribute {name!r}")
