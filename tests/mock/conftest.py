"""Helpers for the mock server tests: in-process clients over the ASGI app."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from mock_server import MockServer

HELLO = "replicate/hello-world:5c7d5dc6dd8bf75c1acaa8565735e7986bc5b66206b55cca93cb72c9bf15ccaa"
ROOT = "http://mock.test"


def asgi_client(server: MockServer, token: str | None = "r8_test") -> httpx.AsyncClient:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=server.app), base_url=ROOT + "/v1", headers=headers
    )


@pytest.fixture
def server() -> MockServer:
    return MockServer(seed=7, clock="virtual")


@pytest.fixture
def auto_server() -> MockServer:
    return MockServer(seed=7, clock="auto")


@pytest.fixture
async def client(server: MockServer) -> AsyncIterator[httpx.AsyncClient]:
    async with asgi_client(server) as c:
        yield c


@pytest.fixture
async def auto_client(auto_server: MockServer) -> AsyncIterator[httpx.AsyncClient]:
    async with asgi_client(auto_server) as c:
        yield c
