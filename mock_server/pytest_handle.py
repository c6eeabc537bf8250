"""What the pytest plugin's fixtures build: mocks in the configured mode and per-test handles.

Imported by ``mock_server.pytest_plugin`` only once a test requests one of its fixtures, because
it loads the whole server stack (see the plugin's docstring).
"""

from __future__ import annotations

import hashlib
import itertools
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from mock_server import extras
from mock_server.control import Control
from mock_server.pytest_plugin import ASGI_ROOT
from mock_server.record.replay import Matching, install
from mock_server.server import MockServer

_counter = itertools.count(1)


def grpc_available() -> bool:
    """Whether the gRPC twin can be served: the ``grpc`` extra is installed next to ``mock``."""
    try:
        import mock_server.grpc  # noqa: F401
    except ModuleNotFoundError as missing:
        extras.missing_library(missing)
        return False
    return True


def new_server(mode: str, **options: object) -> MockServer:
    strict = mode == "strict"
    return MockServer(tokens=[] if strict else None, examples=mode == "examples", **options)  # type: ignore[arg-type]


def handle(server: MockServer, url: str, nodeid: str) -> MockHandle:
    token = _token_for(nodeid)
    if server.engine.accounts.strict:
        server.control.add_account(token)  # strict: the fixture's token is a known one
    return MockHandle(server, url, token)


def with_cassettes(server: MockServer, config: pytest.Config) -> MockServer:
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
        if self.url != ASGI_ROOT and not self.server.grpc_enabled:
            raise RuntimeError(
                f"the replicate_mock fixture serves gRPC with: {extras.INSTALL['grpc']}"
            )
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
