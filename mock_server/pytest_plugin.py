"""pytest plugin (entry point ``replicate_mock``): a served mock and per-test accounts.

Fixtures:
- ``replicate_mock_server``: session-scoped `MockServer` on 127.0.0.1 (free ports, clock "auto"),
  serving HTTP and its gRPC twin on the same engine.
- ``replicate_mock``: per test, a handle with ``url``, ``api_url``, ``grpc_target``, ``token`` (a
  fresh token, hence a fresh isolated account: no reset needed between tests), ``control``,
  ``server``.
- ``replicate_mock_asgi``: per test, a private in-process mock; ``handle.async_client()``
  returns an ``httpx.AsyncClient`` over the ASGI app (no sockets).

The mode of these mocks is the ini option ``replicate_mock_mode`` (or ``--replicate-mock-mode``):
``default`` (any well-formed token is its own account), ``strict`` (only the fixtures' own tokens
are accepted: anything else is 401) or ``examples`` (placeholder ids and names materialise, for
generated SDK test suites; see ``mock_server.engine.examples``).
"""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from mock_server.control import Control
from mock_server.record.replay import Matching, install
from mock_server.server import MockServer

_counter = itertools.count(1)
MODES = ("default", "strict", "examples")


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


def _server(mode: str, **options: object) -> MockServer:
    strict = mode == "strict"
    return MockServer(tokens=[] if strict else None, examples=mode == "examples", **options)  # type: ignore[arg-type]


def _handle(server: MockServer, url: str, nodeid: str) -> MockHandle:
    token = _token_for(nodeid)
    if server.engine.accounts.strict:
        server.control.add_account(token)  # strict: the fixture's token is a known one
    return MockHandle(server, url, token)


def _with_cassettes(server: MockServer, config: pytest.Config) -> MockServer:
    folders = [
        *config.getini("replicate_mock_cassettes"),
        *map(Path, config.getoption("--replicate-cassettes")),
    ]
    if folders:
        rule = config.getoption("--replicate-match") or config.getini("replicate_mock_match")
        install(server.engine, folders, Matching.parse(rule))
    return server


def _token_for(nodeid: str) -> str:
    digest = hashlib.sha256(nodeid.encode()).hexdigest()[:16]
    return f"r8_mock_{next(_counter):05d}_{digest}"


@dataclass
class MockHandle:
    server: MockServer
    url: str
    token: str

    @property
    def api_url(self) -> str:
        return self.url + "/v1"

    @property
    def grpc_target(self) -> str:
        """``host:port`` of the served mock's gRPC twin (same engine, same accounts)."""
        return self.server.grpc_target

    @property
    def control(self) -> Control:
        return self.server.control

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    @property
    def username(self) -> str:
        with self.server.engine.lock:
            account = self.server.engine.authenticate(self.token)
        if account is None:
            raise RuntimeError("the token is not accepted by this mock (strict tokens?)")
        return account.username

    def client(self, **kwargs: object) -> httpx.Client:
        """A sync httpx client on ``api_url`` with this test's token (served mocks only)."""
        return httpx.Client(base_url=self.api_url, headers=self.headers, **kwargs)  # type: ignore[arg-type]

    def async_client(self, **kwargs: object) -> httpx.AsyncClient:
        """An async httpx client on ``api_url``; in-process over ASGI for the asgi fixture."""
        if self.url == ASGI_ROOT:
            transport = httpx.ASGITransport(app=self.server.app)
            return httpx.AsyncClient(
                transport=transport,
                base_url=self.api_url,
                headers=self.headers,
                **kwargs,  # type: ignore[arg-type]
            )
        return httpx.AsyncClient(base_url=self.api_url, headers=self.headers, **kwargs)  # type: ignore[arg-type]


ASGI_ROOT = "http://replicate-mock.test"


@pytest.fixture(scope="session")
def replicate_mock_server(pytestconfig: pytest.Config) -> Iterator[MockServer]:
    server = _with_cassettes(
        _server(_mode(pytestconfig), seed=0, clock="auto", grpc=True), pytestconfig
    ).start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def replicate_mock(replicate_mock_server: MockServer, request: pytest.FixtureRequest) -> MockHandle:
    return _handle(replicate_mock_server, replicate_mock_server.url, request.node.nodeid)


@pytest.fixture
def replicate_mock_asgi(request: pytest.FixtureRequest) -> MockHandle:
    server = _with_cassettes(_server(_mode(request.config), seed=0, clock="auto"), request.config)
    return _handle(server, ASGI_ROOT, request.node.nodeid)
