"""Plain-HTTP connections for ``AsyncClient`` on asyncio's own transports.

httpx's async transport reaches sockets through anyio, which wraps every read and write in
cancel scopes and rebuilds a dict of socket attributes each time httpcore checks whether an
idle connection was closed: against a local server (the mock) that was a third of an async
call's CPU. This module gives httpcore (through its public ``AsyncNetworkBackend``
interface) connections built on an ``asyncio.Protocol``, and wraps its pool as an httpx
transport. It carries plain ``http://`` only: ``https://`` requests stay on httpx's own
transport (see :func:`async_client`), and so does any client given proxies, mounts, HTTP/2
or a transport of its own.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import urllib.request
from collections.abc import AsyncIterator, Iterable, Iterator, Mapping
from typing import Any

import httpcore
import httpx

#: httpx's own defaults (``httpx.AsyncClient()``).
_DEFAULT_LIMITS = httpx.Limits(max_connections=100, max_keepalive_connections=20)
# Settings that change how httpx builds or picks transports: with any of them, httpx does.
_TRANSPORT_SETTINGS = frozenset({"transport", "proxy", "mounts", "http1", "http2"})
# Unread bytes kept per connection before the socket stops being read (a slow stream reader).
_READ_HIGH_WATER = 1 << 20

# Most specific first, so a ConnectTimeout is not reported as a plain TimeoutException.
_ERRORS: dict[type[Exception], type[httpx.TransportError]] = {
    httpcore.ConnectTimeout: httpx.ConnectTimeout,
    httpcore.ReadTimeout: httpx.ReadTimeout,
    httpcore.WriteTimeout: httpx.WriteTimeout,
    httpcore.PoolTimeout: httpx.PoolTimeout,
    httpcore.TimeoutException: httpx.TimeoutException,
    httpcore.ConnectError: httpx.ConnectError,
    httpcore.ReadError: httpx.ReadError,
    httpcore.WriteError: httpx.WriteError,
    httpcore.NetworkError: httpx.NetworkError,
    httpcore.ProxyError: httpx.ProxyError,
    httpcore.UnsupportedProtocol: httpx.UnsupportedProtocol,
    httpcore.LocalProtocolError: httpx.LocalProtocolError,
    httpcore.RemoteProtocolError: httpx.RemoteProtocolError,
    httpcore.ProtocolError: httpx.ProtocolError,
}


@contextlib.contextmanager
def _as_httpx_errors() -> Iterator[None]:
    try:
        yield
    except Exception as exc:
        for kind in type(exc).__mro__:
            mapped = _ERRORS.get(kind)
            if mapped is not None:
                raise mapped(str(exc)) from exc
        raise


class _Connection(asyncio.Protocol):
    """One socket: bytes received wait in a buffer until httpcore reads them."""

    def __init__(self) -> None:
        self._transport: asyncio.Transport | None = None
        self._buffer = bytearray()
        self._eof = False
        self._lost: Exception | None = None
        self._reader: asyncio.Future[None] | None = None
        self._writable: asyncio.Future[None] | None = None
        self._reading_paused = False

    # -- asyncio.Protocol --------------------------------------------------------------------

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self._transport = transport

    def data_received(self, data: bytes) -> None:
        self._buffer += data
        if len(self._buffer) > _READ_HIGH_WATER and self._transport is not None:
            self._transport.pause_reading()
            self._reading_paused = True
        self._wake_reader()

    def eof_received(self) -> bool:
        self._eof = True
        self._wake_reader()
        return False  # close our side too: HTTP/1.1 never half-closes

    def connection_lost(self, exc: Exception | None) -> None:
        self._eof = True
        self._lost = exc
        self._wake_reader()
        if self._writable is not None and not self._writable.done():
            self._writable.set_result(None)

    def pause_writing(self) -> None:
        self._writable = asyncio.get_running_loop().create_future()

    def resume_writing(self) -> None:
        if self._writable is not None and not self._writable.done():
            self._writable.set_result(None)
        self._writable = None

    def _wake_reader(self) -> None:
        if self._reader is not None and not self._reader.done():
            self._reader.set_result(None)

    # -- what the stream asks ----------------------------------------------------------------

    async def read(self, max_bytes: int, timeout: float | None) -> bytes:
        if not self._buffer and not self._eof:
            self._reader = asyncio.get_running_loop().create_future()
            try:
                async with asyncio.timeout(timeout):
                    await self._reader
            except TimeoutError:
                raise httpcore.ReadTimeout("Timed out reading from the server") from None
            finally:
                self._reader = None
        if self._buffer:
            if len(self._buffer) <= max_bytes:  # the usual case: one copy, not two
                data = bytes(self._buffer)
                self._buffer.clear()
            else:
                data = bytes(self._buffer[:max_bytes])
                del self._buffer[:max_bytes]
            if self._reading_paused and len(self._buffer) < _READ_HIGH_WATER // 2:
                assert self._transport is not None
                self._transport.resume_reading()
                self._reading_paused = False
            return data
        if self._lost is not None:
            raise httpcore.ReadError(str(self._lost) or type(self._lost).__name__)
        return b""

    async def write(self, data: bytes, timeout: float | None) -> None:
        transport = self._transport
        if transport is None or transport.is_closing():
            raise httpcore.WriteError("The connection is closed")
        transport.write(data)
        if self._writable is not None:
            try:
                async with asyncio.timeout(timeout):
                    await self._writable
            except TimeoutError:
                raise httpcore.WriteTimeout("Timed out writing to the server") from None
            if self._lost is not None:
                raise httpcore.WriteError(str(self._lost) or type(self._lost).__name__)

    def close(self) -> None:
        if self._transport is not None:
            self._transport.close()

    def readable(self) -> bool:
        # What httpcore asks of an idle connection: has the server closed it (or sent
        # something unasked)? The event loop has already read the socket into the buffer.
        return self._eof or bool(self._buffer)

    def extra(self, name: str) -> Any:
        return None if self._transport is None else self._transport.get_extra_info(name)


class _Stream(httpcore.AsyncNetworkStream):
    def __init__(self, connection: _Connection) -> None:
        self._connection = connection

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return await self._connection.read(max_bytes, timeout)

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        if buffer:
            await self._connection.write(buffer, timeout)

    async def aclose(self) -> None:
        self._connection.close()

    async def start_tls(
        self,
        ssl_context: Any,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.AsyncNetworkStream:
        # Never asked: https requests are mounted on httpx's own transport.
        raise httpcore.ConnectError("TLS is not available on this transport")

    def get_extra_info(self, info: str) -> Any:
        if info == "is_readable":
            return self._connection.readable()
        if info == "socket":
            return self._connection.extra("socket")
        if info == "client_addr":
            return self._connection.extra("sockname")
        if info == "server_addr":
            return self._connection.extra("peername")
        return None


class _Backend(httpcore.AsyncNetworkBackend):
    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        loop = asyncio.get_running_loop()
        local = None if local_address is None else (local_address, 0)
        try:
            async with asyncio.timeout(timeout):
                transport, connection = await loop.create_connection(
                    _Connection, host, port, local_addr=local
                )
        except TimeoutError:
            raise httpcore.ConnectTimeout(f"Timed out connecting to {host}:{port}") from None
        except OSError as exc:
            raise httpcore.ConnectError(str(exc)) from exc
        sock = transport.get_extra_info("socket")
        if sock is not None:
            for option in socket_options or ():
                sock.setsockopt(*option)
            # asyncio sets this for TCP already; said here because every request depends on it.
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return _Stream(connection)

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        raise httpcore.ConnectError("Unix sockets are not available on this transport")

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds)


class _ResponseBody(httpx.AsyncByteStream):
    def __init__(self, stream: Any) -> None:
        self._stream = stream

    async def __aiter__(self) -> AsyncIterator[bytes]:
        with _as_httpx_errors():
            async for part in self._stream:
                yield part

    async def aclose(self) -> None:
        with _as_httpx_errors():
            await self._stream.aclose()


class AsyncioTransport(httpx.AsyncBaseTransport):
    """An httpx transport for ``http://`` on asyncio connections (see the module docstring)."""

    def __init__(self, limits: httpx.Limits = _DEFAULT_LIMITS) -> None:
        self._pool = httpcore.AsyncConnectionPool(
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            network_backend=_Backend(),
        )

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        url = request.url
        core_request = httpcore.Request(
            method=request.method,
            url=httpcore.URL(
                scheme=url.raw_scheme, host=url.raw_host, port=url.port, target=url.raw_path
            ),
            headers=request.headers.raw,
            content=request.stream,
            extensions=request.extensions,
        )
        with _as_httpx_errors():
            response = await self._pool.handle_async_request(core_request)
        return httpx.Response(
            status_code=response.status,
            headers=response.headers,
            stream=_ResponseBody(response.stream),
            extensions=response.extensions,
        )

    async def aclose(self) -> None:
        await self._pool.aclose()


def async_client(timeout: httpx.Timeout, options: Mapping[str, Any]) -> httpx.AsyncClient:
    """The ``httpx.AsyncClient`` an ``AsyncClient`` builds for itself: plain ``http://`` on
    :class:`AsyncioTransport`, ``https://`` on httpx's transport with the caller's TLS
    settings. Settings that shape transports (proxies, mounts, HTTP/2, a transport, or proxy
    variables in the environment httpx would honour) leave every request to httpx."""
    chosen = dict(options)
    trust_env = bool(chosen.get("trust_env", True))
    if _TRANSPORT_SETTINGS & chosen.keys() or (trust_env and urllib.request.getproxies()):
        return httpx.AsyncClient(timeout=timeout, **chosen)
    limits = chosen.pop("limits", _DEFAULT_LIMITS)
    tls = httpx.AsyncHTTPTransport(
        verify=chosen.pop("verify", True),
        cert=chosen.pop("cert", None),
        trust_env=trust_env,
        limits=limits,
    )
    return httpx.AsyncClient(
        timeout=timeout,
        transport=AsyncioTransport(limits),
        mounts={"https://": tls},
        **chosen,
    )
