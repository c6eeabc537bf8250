"""Helpers for the mock server tests: in-process clients over the ASGI app."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from typing import Any

import httpx
import pytest
from starlette.types import ASGIApp

from mock_server import MockServer

HELLO = "replicate/hello-world:5c7d5dc6dd8bf75c1acaa8565735e7986bc5b66206b55cca93cb72c9bf15ccaa"
ROOT = "http://mock.test"


Message = dict[str, Any]


def http_scope(
    method: str, path: str, headers: Sequence[tuple[bytes, bytes]], query: bytes = b""
) -> dict[str, Any]:
    """The ASGI scope of one request to ``mock.test`` (for tests that drive the app directly)."""
    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "scheme": "http",
        "server": ("mock.test", 80),
        "client": ("127.0.0.1", 1234),
        "method": method,
        "root_path": "",
        "path": path,
        "raw_path": path.encode(),
        "query_string": query,
        "headers": list(headers),
    }


async def call_app(
    app: ASGIApp, scope: dict[str, Any], chunks: list[Message]
) -> tuple[list[Message], Exception | None]:
    """Run ``app`` on ``scope`` with ``chunks`` as the request body (then a disconnect): the
    messages it sent and the exception it raised, if any."""
    sent: list[Message] = []

    async def receive() -> Message:
        return chunks.pop(0) if chunks else {"type": "http.disconnect"}

    async def send(message: Message) -> None:
        sent.append(message)

    try:
        await app(scope, receive, send)
    except Exception as exc:
        return sent, exc
    return sent, None


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
