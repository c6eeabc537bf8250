"""Fixtures shared by the contract suite.

Every test here runs once per transport: the autouse ``transport`` fixture is parametrized
over ``http`` and ``grpc``, and tests build their clients through ``kit`` so the choice
reaches them. (The compat suite has its own conftest.)
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest

import replicate_kit
from mock_server import MockServer

STRICT_TOKEN = "r8_strict_good_token"
TRANSPORTS = ("http", "grpc")


@pytest.fixture(scope="session")
def strict_mock_server() -> Iterator[MockServer]:
    """A second mock that only accepts STRICT_TOKEN (for 401 scenarios)."""
    server = MockServer(seed=0, clock="auto", tokens=[STRICT_TOKEN], grpc=True).start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(params=TRANSPORTS, autouse=True)
def transport(request: pytest.FixtureRequest) -> str:
    name: str = request.param
    if "kit" not in request.fixturenames:
        if "replicate_mock" in request.fixturenames:
            pytest.fail(
                "contract tests run on every transport: build clients with the `kit` fixture "
                "(kit.client(), kit.async_client(), kit.environment(monkeypatch))"
            )
        if name != TRANSPORTS[0]:
            pytest.skip("talks to no mock: nothing differs between transports")
    return name


@dataclass
class Kit:
    """Builds replicate_kit clients on the test's transport, pointed at a served mock."""

    transport: str
    mock: Any  # the replicate_mock handle
    servers: list[MockServer] = field(default_factory=list)

    def options(self, base_url: str | None = None) -> dict[str, Any]:
        url = base_url or self.mock.url
        options: dict[str, Any] = {"base_url": url, "transport": self.transport}
        if self.transport == "grpc":
            options["grpc_target"] = self._grpc_target(url)
        return options

    def _grpc_target(self, url: str) -> str:
        for server in [self.mock.server, *self.servers]:
            if url.rstrip("/").removesuffix("/v1") == server.url:
                return str(server.grpc_target)
        raise AssertionError(f"no served mock at {url}")

    def client(
        self, token: str | None = None, *, base_url: str | None = None, **kwargs: Any
    ) -> replicate_kit.Client:
        return replicate_kit.Client(token or self.mock.token, **self.options(base_url), **kwargs)

    def async_client(
        self, token: str | None = None, *, base_url: str | None = None, **kwargs: Any
    ) -> replicate_kit.AsyncClient:
        options = self.options(base_url)
        return replicate_kit.AsyncClient(token or self.mock.token, **options, **kwargs)

    def environment(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """Point the module-level default client at the mock on this transport."""
        monkeypatch.setenv("REPLICATE_API_TOKEN", self.mock.token)
        monkeypatch.setenv("REPLICATE_BASE_URL", self.mock.url)
        monkeypatch.setenv("REPLICATE_TRANSPORT", self.transport)
        if self.transport == "grpc":
            monkeypatch.setenv("REPLICATE_GRPC_TARGET", self.mock.grpc_target)
        else:
            monkeypatch.delenv("REPLICATE_GRPC_TARGET", raising=False)


@pytest.fixture
def kit(transport: str, replicate_mock: Any, strict_mock_server: MockServer) -> Kit:
    return Kit(transport, replicate_mock, [strict_mock_server])
