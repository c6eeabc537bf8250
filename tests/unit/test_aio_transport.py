"""``AsyncClient``'s own plain-HTTP transport (asyncio connections under httpcore), against a
scripted asyncio server in the test's event loop."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

import httpx
import pytest

import replicate_kit
from replicate_kit._transport.aio import AsyncioTransport, async_client
from tests.unit.conftest import TOKEN, prediction

Reply = Callable[[bytes, bytes, asyncio.StreamWriter], Awaitable[bool]]


def _response(body: bytes, status: str = "200 OK", content_type: str = "application/json") -> bytes:
    head = (
        f"HTTP/1.1 {status}\r\ncontent-type: {content_type}\r\ncontent-length: {len(body)}\r\n\r\n"
    )
    return head.encode() + body


async def _json_reply(head: bytes, body: bytes, writer: asyncio.StreamWriter) -> bool:
    writer.write(_response(httpx.Response(200, json=prediction(status="succeeded")).content))
    await writer.drain()
    return True  # keep the connection open


class Server:
    """Counts connections; each request gets ``reply``'s answer (False closes the connection)."""

    def __init__(self, reply: Reply) -> None:
        self.reply = reply
        self.connections = 0
        self.requests: list[bytes] = []
        self.closed = asyncio.Event()

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                length = 0
                for line in head.split(b"\r\n"):
                    name, _, value = line.partition(b":")
                    if name.lower() == b"content-length":
                        length = int(value)
                body = await reader.readexactly(length)
                self.requests.append(head + body)
                if not await self.reply(head, body, writer):
                    break
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        except asyncio.CancelledError:
            # asyncio.run cancels a handler still waiting when the test ends; ending it
            # quietly keeps asyncio from logging the cancellation as an unhandled error.
            pass
        finally:
            writer.close()
            self.closed.set()


@asynccontextmanager
async def serving(reply: Reply) -> AsyncIterator[tuple[Server, str]]:
    server = Server(reply)
    listener = await asyncio.start_server(server.handle, "127.0.0.1", 0)
    port = listener.sockets[0].getsockname()[1]
    try:
        yield server, f"http://127.0.0.1:{port}"
    finally:
        listener.close()


def _kit(url: str, **options: Any) -> replicate_kit.AsyncClient:
    return replicate_kit.AsyncClient(TOKEN, base_url=url, **options)


def test_requests_share_one_kept_alive_connection() -> None:
    async def main() -> None:
        async with serving(_json_reply) as (server, url), _kit(url) as kit:
            for _ in range(3):
                assert (await kit.predictions.async_get("p1")).status == "succeeded"
            assert server.connections == 1
            assert server.requests[0].startswith(b"GET /v1/predictions/p1 HTTP/1.1\r\n")

    asyncio.run(main())


def test_a_connection_the_server_closed_while_idle_is_replaced() -> None:
    async def once(head: bytes, body: bytes, writer: asyncio.StreamWriter) -> bool:
        await _json_reply(head, body, writer)
        return False  # closes without saying so in the response

    async def main() -> None:
        async with serving(once) as (server, url), _kit(url) as kit:
            await kit.predictions.async_get("p1")
            await server.closed.wait()
            for _ in range(20):  # let the loop read the server's FIN
                await asyncio.sleep(0)
            assert (await kit.predictions.async_get("p1")).status == "succeeded"
            assert server.connections == 2

    asyncio.run(main())


def test_a_server_that_never_answers_times_out() -> None:
    async def silent(head: bytes, body: bytes, writer: asyncio.StreamWriter) -> bool:
        await asyncio.Event().wait()
        return False

    async def main() -> None:
        retry = replicate_kit.RetryPolicy(max_retries=0)
        async with serving(silent) as (_, url), _kit(url, timeout=0.05, retry=retry) as kit:
            with pytest.raises(replicate_kit.exceptions.APITimeoutError):
                await kit.predictions.async_get("p1")

    asyncio.run(main())


def test_a_refused_connection_is_known_not_to_have_been_sent() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # closed again below: nothing listens there

    async def main() -> None:
        retry = replicate_kit.RetryPolicy(max_retries=0)
        async with _kit(f"http://127.0.0.1:{port}", retry=retry) as kit:
            with pytest.raises(replicate_kit.exceptions.APIConnectionError) as raised:
                await kit.predictions.async_get("p1")
            assert raised.value.request_sent is False

    asyncio.run(main())


def test_large_bodies_both_ways_arrive_whole() -> None:
    size = 6 * 1024 * 1024

    async def echo_size(head: bytes, body: bytes, writer: asyncio.StreamWriter) -> bool:
        writer.write(_response(b"x" * size + str(len(body)).encode(), content_type="text/plain"))
        await writer.drain()
        return True

    async def main() -> None:
        async with serving(echo_size) as (_, url), async_client(httpx.Timeout(10), {}) as client:
            async with client.stream("POST", url, content=b"y" * size) as response:
                for _ in range(50):  # the body piles up unread: reading pauses, then resumes
                    await asyncio.sleep(0)
                body = await response.aread()
            assert len(body) == size + len(str(size))
            assert body.endswith(str(size).encode())

    asyncio.run(main())


def _transport_for(client: httpx.AsyncClient, url: str) -> object:
    return client._transport_for_url(httpx.URL(url))


def test_only_plain_http_goes_the_asyncio_way() -> None:
    client = async_client(httpx.Timeout(5), {"verify": False})
    assert isinstance(_transport_for(client, "http://127.0.0.1:8787/v1"), AsyncioTransport)
    assert isinstance(
        _transport_for(client, "https://api.replicate.com/v1"), httpx.AsyncHTTPTransport
    )


@pytest.mark.parametrize(
    "options",
    [{"http2": False}, {"http1": True}, {"proxy": "http://proxy:3128"}, {"mounts": {}}],
)
def test_settings_that_shape_transports_leave_them_to_httpx(options: dict[str, Any]) -> None:
    client = async_client(httpx.Timeout(5), options)
    assert not isinstance(_transport_for(client, "http://127.0.0.1:8787/v1"), AsyncioTransport)


def test_proxy_variables_leave_transports_to_httpx(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HTTP_PROXY", "http://proxy:3128")
    client = async_client(httpx.Timeout(5), {})
    assert not isinstance(_transport_for(client, "http://127.0.0.1:8787/v1"), AsyncioTransport)
    ignoring = async_client(httpx.Timeout(5), {"trust_env": False})
    assert isinstance(_transport_for(ignoring, "http://127.0.0.1:8787/v1"), AsyncioTransport)
