"""HTTP transport: requests built from the generated operation table, sent with httpx.

The table (``replicate_api_table``, generated from the OpenAPI document) gives each
operation's method, path template and body kind, so no request detail is restated here;
sending, retries (above this layer), error mapping and raw JSON stay under our control.
The bearer token is attached only to requests for the API's own origin, so output files
and stream hosts never receive it.
"""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator, Generator, Iterator, Mapping
from contextlib import asynccontextmanager, contextmanager
from datetime import datetime
from typing import Any
from urllib.parse import quote

import httpx
import orjson
from replicate_api_table import OPERATIONS, Operation

from replicate_kit._calls import Call
from replicate_kit._config import TOKEN_ENV, ClientConfig, origin_of
from replicate_kit._problem import error_from_response
from replicate_kit._retry import read_timeout_for_wait
from replicate_kit._transport.base import Batch, EventT, Received
from replicate_kit._transport.sse import SseDecoder
from replicate_kit.exceptions import (
    APIConnectionError,
    APITimeoutError,
    AuthenticationError,
    StreamError,
)

#: Minimum read timeout for event streams: models can be quiet for a while between events.
_STREAM_READ_TIMEOUT = 120.0


#: httpx's own logger: requests sent past ``httpx.Client.send`` are logged as it logs them.
_httpx_log = logging.getLogger("httpx")


def _missing_token() -> AuthenticationError:
    return AuthenticationError(
        None,
        "Missing API token",
        None,
        f"No API token: set the {TOKEN_ENV} environment variable or pass api_token= to the client",
    )


class _ApiOnlyBearer(httpx.Auth):
    """Adds ``Authorization: Bearer`` only for the API's origin."""

    def __init__(self, token: str | None, api_url: str) -> None:
        self._token = token
        self._origin = origin_of(api_url)

    def for_api(self, url: httpx.URL) -> bool:
        """Whether ``url`` is on the API's origin (so it gets the token)."""
        # Read the already parsed URL: re-parsing its text cost more than the rest of this flow.
        port = url.port or (443 if url.scheme == "https" else 80)
        return (url.scheme, f"{url.host}:{port}") == self._origin

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        if self.for_api(request.url):
            if self._token is None:
                raise _missing_token()
            request.headers["Authorization"] = f"Bearer {self._token}"
        yield request

    def __repr__(self) -> str:
        return "<_ApiOnlyBearer token=***>"


def _multipart(call: Call) -> list[tuple[str, Any]]:
    assert call.upload is not None
    up = call.upload
    parts: list[tuple[str, Any]] = [
        ("content", (up.filename, up.content, up.content_type)),
        ("filename", (None, up.filename.encode(), "text/plain")),
        ("type", (None, up.content_type.encode(), "text/plain")),
    ]
    if up.metadata is not None:
        parts.append(
            ("metadata", (None, json.dumps(dict(up.metadata)).encode(), "application/json"))
        )
    return parts


def operation(op: str) -> Operation:
    try:
        return OPERATIONS[op]
    except KeyError:
        raise ValueError(f"The API has no operation {op!r}") from None


def _query_value(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime) else value


def _path(op: Operation, call: Call) -> str:
    path = op.path
    for name, value in call.path.items():
        path = path.replace("{" + name + "}", quote(str(value), safe=""))
    return path


def request_kwargs(call: Call) -> dict[str, Any]:
    """httpx ``build_request`` keyword arguments for a call (URL relative to the base URL)."""
    if call.url is not None:
        return {"method": "GET", "url": call.url}
    op = operation(call.op)
    out: dict[str, Any] = {"method": op.method, "url": _path(op, call)}
    params = {k: _query_value(v) for k, v in call.query.items() if v is not None}
    if params:
        out["params"] = params
    headers = dict(call.headers)
    if op.body == "multipart" and call.upload is not None:
        out["files"] = _multipart(call)  # httpx writes the Content-Type with its boundary
    elif op.body == "text" and call.body is not None:
        out["content"] = str(call.body).encode()
        headers["Content-Type"] = "text/plain"
    elif op.body == "json" and call.body is not None:
        out["json"] = call.body
    if headers:
        out["headers"] = headers
    return out


def _translate(exc: httpx.TransportError) -> APIConnectionError:
    # Only failures that prove nothing was sent leave `request_sent` False.
    if isinstance(exc, httpx.ConnectTimeout | httpx.PoolTimeout):
        return APITimeoutError(
            f"Timed out connecting to the API: {type(exc).__name__}", request_sent=False
        )
    if isinstance(exc, httpx.ConnectError):
        return APIConnectionError(f"Could not connect to the API: {exc}", request_sent=False)
    if isinstance(exc, httpx.TimeoutException):
        return APITimeoutError(f"The API did not answer in time ({type(exc).__name__})")
    return APIConnectionError(f"Connection to the API failed: {type(exc).__name__}: {exc}")


def _decode(response: httpx.Response, raw: bool = False) -> Any:
    if response.status_code >= 400:
        raise error_from_response(response.status_code, response.headers, response.content)
    if raw:
        return response.content
    if not response.content:
        return None
    ctype = response.headers.get("content-type", "")
    if "json" in ctype:
        try:
            return orjson.loads(response.content)  # several times faster than json.loads
        except orjson.JSONDecodeError:
            return response.json()  # what orjson refuses (NaN, huge ints) or a clear error
    if ctype.startswith("text/"):
        return response.text
    return response.content


def _check_event_stream(response: httpx.Response) -> None:
    content_type = response.headers.get("content-type", "").partition(";")[0]
    if "text/event-stream" not in content_type:
        raise StreamError(
            "Invalid event stream: expected response header Content-Type to contain "
            f"'text/event-stream', got {content_type!r}"
        )


def _stream_headers(last_event_id: str | None) -> dict[str, str]:
    headers = {"Accept": "text/event-stream", "Cache-Control": "no-store"}
    if last_event_id:
        headers["Last-Event-ID"] = last_event_id
    return headers


class _Base:
    def __init__(self, config: ClientConfig) -> None:
        self._config = config
        self._auth = _ApiOnlyBearer(config.api_token, config.base_url)
        self._headers = {"User-Agent": config.user_agent, **config.headers}

    def _timeout(self, call: Call) -> httpx.Timeout:
        base = self._config.timeout
        if call.upload is not None:
            return httpx.Timeout(None, connect=base.connect)
        if call.wait is None:
            return base
        read = read_timeout_for_wait(call.wait, base.read)
        return httpx.Timeout(connect=base.connect, read=read, write=base.write, pool=base.pool)

    def _stream_timeout(self) -> httpx.Timeout:
        base = self._config.timeout
        read = None if base.read is None else max(base.read, _STREAM_READ_TIMEOUT)
        return httpx.Timeout(connect=base.connect, read=read, write=base.write, pool=base.pool)

    def _build(self, client: httpx.Client | httpx.AsyncClient, call: Call) -> httpx.Request:
        kwargs = request_kwargs(call)
        url = kwargs.pop("url")
        headers = {**self._headers, **kwargs.pop("headers", {})}
        # A prefix test, not httpx.URL(url): build_request parses the URL anyway.
        if not url[:8].lower().startswith(("http://", "https://")):
            url = self._config.base_url + url
        return client.build_request(url=url, headers=headers, timeout=self._timeout(call), **kwargs)

    def _lean_setup(self, client: httpx.Client | httpx.AsyncClient, owned: bool) -> None:
        """Decide once whether this client's plain calls may skip ``httpx.Client.send``.

        ``send`` runs the auth flow, redirects, event hooks, the cookie jar and timing for
        every request: on a response that needs none of them that machinery, with
        ``build_request``'s merging of client defaults, cost about a fifth of a call's CPU.
        Only a client built here qualifies (a caller's own client keeps its hooks, auth and
        defaults) and only while nothing it was configured with would be skipped; a cookie
        set by a response sends later requests the full way, so the jar keeps working.
        """
        hooks = client.event_hooks
        self._lean = (
            owned
            and hasattr(client, "_transport_for_url")
            and client.auth is None
            and not client.follow_redirects
            and not client.params
            and not hooks.get("request")
            and not hooks.get("response")
        )
        # The headers build_request would send: httpx's defaults under ours.
        self._lean_headers = httpx.Headers(client.headers)
        self._lean_headers.update(self._headers)
        self._lean_api_headers = self._lean_headers.copy()
        if self._config.api_token is not None:
            self._lean_api_headers["Authorization"] = f"Bearer {self._config.api_token}"
        self._base_timeout = self._config.timeout.as_dict()
        self._fixed_urls: dict[str, httpx.URL] = {}

    def _lean_start(
        self, client: httpx.Client | httpx.AsyncClient, call: Call
    ) -> httpx.Request | None:
        """The request to send past ``client.send``, or None when the call needs the full way
        (a cookie in the jar included: only ``send`` attaches it)."""
        if not self._lean or client.is_closed or client.cookies:
            return None
        return self._lean_request(call)

    def _lean_request(self, call: Call) -> httpx.Request | None:
        """The request for ``call`` built without ``build_request``; None when the call needs
        the full way (uploads, or the API without a token: that raises there)."""
        if call.upload is not None:
            return None
        url: httpx.URL | str
        if call.url is not None:
            url = httpx.URL(call.url)
            api = self._auth.for_api(url)
            method, params, body, kind = "GET", None, None, "none"
        else:
            op = operation(call.op)
            if call.path:
                url = self._config.base_url + _path(op, call)
            else:
                # A route without parameters (every create, list) is one URL: parsed once.
                url = self._fixed_urls.get(op.path) or self._fixed_urls.setdefault(
                    op.path, httpx.URL(self._config.base_url + op.path)
                )
            api = True
            method, body, kind = op.method, call.body, op.body
            params = {k: _query_value(v) for k, v in call.query.items() if v is not None} or None
        if api and self._config.api_token is None:
            return None
        headers = self._lean_api_headers if api else self._lean_headers
        extra = call.headers
        content = None
        if body is not None and kind == "text":
            content = str(body).encode()
            extra = {**extra, "Content-Type": "text/plain"}
        if extra:
            headers = headers.copy()  # the request copies them too, but only after this
            headers.update(extra)
        timeout = self._base_timeout if call.wait is None else self._timeout(call).as_dict()
        return httpx.Request(
            method,
            url,
            params=params,
            headers=headers,
            content=content,
            json=body if kind == "json" else None,
            extensions={"timeout": timeout},
        )


def _lean_finish(
    client: httpx.Client | httpx.AsyncClient, request: httpx.Request, response: httpx.Response
) -> httpx.Response:
    """What ``send`` does after a response that the lean way still needs: cookies and the log."""
    if "set-cookie" in response.headers:
        client.cookies.extract_cookies(response)
    _log_lean(request, response)
    return response


def _log_lean(request: httpx.Request, response: httpx.Response) -> None:
    if _httpx_log.isEnabledFor(logging.INFO):
        _httpx_log.info(
            'HTTP Request: %s %s "%s %d %s"',
            request.method,
            request.url,
            response.http_version,
            response.status_code,
            response.reason_phrase,
        )


def _check_stream(response: httpx.Response, body: bytes) -> None:
    if response.status_code >= 400:
        raise error_from_response(response.status_code, response.headers, body)


class HTTPTransport(_Base):
    """Blocking HTTP transport. Pass ``http_client`` to reuse your own ``httpx.Client``."""

    def __init__(
        self,
        config: ClientConfig,
        http_client: httpx.Client | None = None,
        httpx_options: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(config)
        self._owns_client = http_client is None
        self._client = http_client or httpx.Client(timeout=config.timeout, **(httpx_options or {}))
        self._lean_setup(self._client, self._owns_client)

    def _response(self, call: Call) -> httpx.Response:
        request = self._build(self._client, call)
        try:
            return self._client.send(request, auth=self._auth)
        except httpx.TransportError as exc:
            raise _translate(exc) from None

    def _lean_response(self, call: Call) -> httpx.Response | None:
        """What ``httpx.Client.send`` would return, by the transport directly (see
        :meth:`_lean_setup`); None when the call must go the full way."""
        client = self._client
        request = self._lean_start(client, call)
        if request is None:
            return None
        try:
            response = client._transport_for_url(request.url).handle_request(request)
            response.request = request
            try:
                response.read()
            except BaseException:
                response.close()
                raise
        except httpx.TransportError as exc:
            raise _translate(exc) from None
        return _lean_finish(client, request, response)

    def send(self, call: Call) -> Any:
        response = self._lean_response(call)
        if response is None:
            response = self._response(call)
        return _decode(response, call.raw)

    def send_received(self, call: Call) -> Received:
        response = self._response(call)
        data = _decode(response, call.raw)
        return Received(data, response.status_code, response.headers, response)

    @contextmanager
    def events(
        self, url: str, kind: type[EventT], *, last_event_id: str | None = None
    ) -> Iterator[Iterator[Batch[EventT]]]:
        try:
            with self._client.stream(
                "GET",
                url,
                headers={**self._headers, **_stream_headers(last_event_id)},
                auth=self._auth,
                timeout=self._stream_timeout(),
            ) as response:
                if response.status_code >= 400:
                    _check_stream(response, response.read())

                def iterate() -> Iterator[Batch[EventT]]:
                    _check_event_stream(response)
                    decoder = SseDecoder(kind)
                    try:
                        for text in response.iter_text():
                            events = decoder.feed(text)
                            if events:
                                yield events
                    except httpx.TransportError as exc:
                        raise _translate(exc) from None

                yield iterate()
        except httpx.TransportError as exc:
            raise _translate(exc) from None

    @contextmanager
    def download(self, url: str) -> Iterator[Iterator[bytes]]:
        try:
            with self._client.stream(
                "GET", url, headers=self._headers, auth=self._auth, follow_redirects=True
            ) as response:
                if response.status_code >= 400:
                    _check_stream(response, response.read())

                def iterate() -> Iterator[bytes]:
                    try:
                        yield from response.iter_bytes()
                    except httpx.TransportError as exc:
                        raise _translate(exc) from None

                yield iterate()
        except httpx.TransportError as exc:
            raise _translate(exc) from None

    def close(self) -> None:
        if self._owns_client:
            self._client.close()


class AsyncHTTPTransport(_Base):
    """Asyncio HTTP transport. Pass ``http_client`` to reuse your own ``httpx.AsyncClient``."""

    def __init__(
        self,
        config: ClientConfig,
        http_client: httpx.AsyncClient | None = None,
        httpx_options: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(config)
        self._owns_client = http_client is None
        if http_client is None:
            from replicate_kit._transport.aio import async_client

            http_client = async_client(config.timeout, httpx_options or {})
        self._client = http_client
        self._lean_setup(self._client, self._owns_client)

    async def _response(self, call: Call) -> httpx.Response:
        request = self._build(self._client, call)
        try:
            return await self._client.send(request, auth=self._auth)
        except httpx.TransportError as exc:
            raise _translate(exc) from None

    async def _lean_response(self, call: Call) -> httpx.Response | None:
        """Async :meth:`HTTPTransport._lean_response`."""
        client = self._client
        request = self._lean_start(client, call)
        if request is None:
            return None
        try:
            transport = client._transport_for_url(request.url)
            response = await transport.handle_async_request(request)
            response.request = request
            try:
                await response.aread()
            except BaseException:
                await response.aclose()
                raise
        except httpx.TransportError as exc:
            raise _translate(exc) from None
        return _lean_finish(client, request, response)

    async def send(self, call: Call) -> Any:
        response = await self._lean_response(call)
        if response is None:
            response = await self._response(call)
        return _decode(response, call.raw)

    async def send_received(self, call: Call) -> Received:
        response = await self._response(call)
        data = _decode(response, call.raw)
        return Received(data, response.status_code, response.headers, response)

    @asynccontextmanager
    async def events(
        self, url: str, kind: type[EventT], *, last_event_id: str | None = None
    ) -> AsyncIterator[AsyncIterator[Batch[EventT]]]:
        try:
            async with self._client.stream(
                "GET",
                url,
                headers={**self._headers, **_stream_headers(last_event_id)},
                auth=self._auth,
                timeout=self._stream_timeout(),
            ) as response:
                if response.status_code >= 400:
                    _check_stream(response, await response.aread())

                async def iterate() -> AsyncIterator[Batch[EventT]]:
                    _check_event_stream(response)
                    decoder = SseDecoder(kind)
                    try:
                        async for text in response.aiter_text():
                            events = decoder.feed(text)
                            if events:
                                yield events
                    except httpx.TransportError as exc:
                        raise _translate(exc) from None

                yield iterate()
        except httpx.TransportError as exc:
            raise _translate(exc) from None

    @asynccontextmanager
    async def download(self, url: str) -> AsyncIterator[AsyncIterator[bytes]]:
        try:
            async with self._client.stream(
                "GET", url, headers=self._headers, auth=self._auth, follow_redirects=True
            ) as response:
                if response.status_code >= 400:
                    _check_stream(response, await response.aread())

                async def iterate() -> AsyncIterator[bytes]:
                    try:
                        async for chunk in response.aiter_bytes():
                            yield chunk
                    except httpx.TransportError as exc:
                        raise _translate(exc) from None

                yield iterate()
        except httpx.TransportError as exc:
            raise _translate(exc) from None

    async def aclose(self) -> None:
        if self._owns_client:
            await self._client.aclose()
