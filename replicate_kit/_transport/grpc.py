"""gRPC transport: calls become RPCs of ``replicate_kit.v1`` through the generated stubs.

Select it with ``Client(transport="grpc", grpc_target="127.0.0.1:50051")``. Everything above
the transport (retries, polling, pagination, objects, errors) is the HTTP client's, because
:mod:`~replicate_kit._transport.grpc_codec` returns the same JSON and raises the same errors.
Output files are plain URLs, so downloads go through the HTTP transport.

Loopback targets use a plaintext channel; any other host gets TLS so the token is never sent
in the clear.

``send_received`` (behind ``client.with_raw_response``) reports a successful RPC as status 200:
gRPC has one success code, so the HTTP API's 201/202/204 distinctions do not exist here. Its
headers are the RPC's initial and trailing metadata (``-bin`` values base64-encoded, as on the
wire).
"""

from __future__ import annotations

import asyncio
import base64
import functools
import ipaddress
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from typing import TYPE_CHECKING, Any

import grpc
import httpx
from replicate_kit_grpc.v1 import predictions_pb2, predictions_pb2_grpc

from replicate_kit._calls import Call
from replicate_kit._config import TOKEN_ENV, ClientConfig
from replicate_kit._retry import read_timeout_for_wait
from replicate_kit._transport import grpc_codec as codec
from replicate_kit._transport.base import Batch, EventT, Received
from replicate_kit.exceptions import AuthenticationError

if TYPE_CHECKING:
    from replicate_kit._transport.http import AsyncHTTPTransport, HTTPTransport

#: Whole files travel in CreateFile/DownloadFile (up to 100 MB): lift the 4 MB default.
MAX_MESSAGE_BYTES = 128 * 1024 * 1024


def _is_loopback(target: str) -> bool:
    host = target.rsplit(":", 1)[0].strip("[]") if ":" in target else target
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def stream_prediction_id(url: str) -> str:
    """The prediction id of a ``urls.stream`` link."""
    path, _ = codec.parse_page_url(codec.OPERATIONS["predictions.stream"], url)
    return path["prediction_id"]


def _stream_request(url: str, last_event_id: str | None) -> Any:
    # batch: several events per message when several are due; output_runs: a run of tokens as
    # columns (a server without either ignores the flag and sends one event per message;
    # codec.batch reads every form).
    return predictions_pb2.StreamPredictionRequest(
        prediction_id=stream_prediction_id(url),
        last_event_id=last_event_id or "",
        batch=True,
        output_runs=True,
    )


class _Base:
    def __init__(
        self, config: ClientConfig, target: str, http_factory: Callable[[], Any] | None = None
    ) -> None:
        if not target or not target.strip():
            raise ValueError("grpc_target ('host:port') is required with transport='grpc'")
        self._config = config
        self._target = target.strip()
        self._options: list[tuple[str, Any]] = [
            ("grpc.max_receive_message_length", MAX_MESSAGE_BYTES),
            ("grpc.max_send_message_length", MAX_MESSAGE_BYTES),
            ("grpc.primary_user_agent", config.user_agent),
        ]
        self._secure = not _is_loopback(self._target)
        self._http: Any = None
        # File downloads are plain HTTP: the client's own httpx client or settings serve them.
        self._http_factory = http_factory
        self._auth_metadata: tuple[tuple[str, str | bytes], ...] | None = None

    def _metadata(self) -> tuple[tuple[str, str | bytes], ...]:
        # Built once: the token and headers of a client's config do not change after creation.
        if self._auth_metadata is None:
            self._auth_metadata = self._build_metadata()
        return self._auth_metadata

    def _build_metadata(self) -> tuple[tuple[str, str | bytes], ...]:
        if self._config.api_token is None:
            raise AuthenticationError(
                None,
                "Missing API token",
                None,
                f"No API token: set the {TOKEN_ENV} environment variable "
                "or pass api_token= to the client",
            )
        extra = tuple((k.lower(), v) for k, v in self._config.headers.items())
        return (("authorization", f"Bearer {self._config.api_token}"), *extra)

    def _timeout(self, call: Call) -> float | None:
        if call.upload is not None:
            return None
        read = read_timeout_for_wait(call.wait, self._config.timeout.read)
        connect = self._config.timeout.connect or 0.0
        return None if read is None else read + connect

    def _result(
        self, call: Call, response: Any, path: dict[str, str], query: dict[str, Any]
    ) -> Any:
        return codec.response_json(
            call.op, response, base_url=self._config.base_url, path=path, query=query
        )


#: What ``send_received`` reports for an RPC that returned OK (see the module docstring).
OK_STATUS = 200


def metadata_headers(*metadata: Any) -> httpx.Headers:
    """Response metadata (sequences of key/value pairs, or None) as case-insensitive headers."""
    items: list[tuple[str, str]] = []
    for pairs in metadata:
        for key, value in pairs or ():
            text = base64.b64encode(value).decode() if isinstance(value, bytes) else str(value)
            items.append((str(key), text))
    return httpx.Headers(items)


def _translate(error: grpc.RpcError) -> Exception:
    code = error.code() if hasattr(error, "code") else grpc.StatusCode.UNKNOWN
    details = error.details() if hasattr(error, "details") else str(error)
    metadata = error.trailing_metadata() if hasattr(error, "trailing_metadata") else None
    return codec.rpc_error(code, details or "", metadata)


def _unary(channel: grpc.Channel | grpc.aio.Channel, op: codec.Operation) -> Any:
    """The unary callable of ``op`` on a sync or an aio channel."""
    request_cls, response_cls = codec.message_classes(op)
    return channel.unary_unary(
        op.path,
        request_serializer=request_cls.SerializeToString,
        response_deserializer=response_cls.FromString,
    )


class GRPCTransport(_Base):
    """Blocking gRPC transport."""

    def __init__(
        self,
        config: ClientConfig,
        target: str,
        http_factory: Callable[[], HTTPTransport] | None = None,
    ) -> None:
        super().__init__(config, target, http_factory)
        self._channel: grpc.Channel | None = None
        # One multi-callable per RPC on the current channel: creating one costs several µs.
        self._callables: dict[str, Any] = {}

    @property
    def channel(self) -> grpc.Channel:
        if self._channel is None:
            if self._secure:
                credentials = grpc.ssl_channel_credentials()
                self._channel = grpc.secure_channel(self._target, credentials, self._options)
            else:
                self._channel = grpc.insecure_channel(self._target, self._options)
            self._callables = {}
        return self._channel

    def _rpc(self, op: str) -> Any:
        channel = self.channel
        rpc = self._callables.get(op)
        if rpc is None:
            rpc = self._callables[op] = _unary(channel, codec.operation(op))
        return rpc

    def _invoke(self, call: Call) -> tuple[Any, Any]:
        """The decoded result and the finished RPC (its metadata, for ``send_received``)."""
        metadata = self._metadata()
        request, path, query = codec.build_request(call.op, call)
        rpc = self._rpc(call.op)
        try:
            response, rpc_call = rpc.with_call(
                request, metadata=metadata, timeout=self._timeout(call)
            )
        except grpc.RpcError as error:
            raise _translate(error) from None
        return self._result(call, response, path, query), rpc_call

    def send(self, call: Call) -> Any:
        return self._invoke(call)[0]

    def send_received(self, call: Call) -> Received:
        data, rpc_call = self._invoke(call)
        headers = metadata_headers(rpc_call.initial_metadata(), rpc_call.trailing_metadata())
        return Received(data, OK_STATUS, headers)

    @contextmanager
    def events(
        self, url: str, kind: type[EventT], *, last_event_id: str | None = None
    ) -> Iterator[Iterator[Batch[EventT]]]:
        metadata = self._metadata()
        request = _stream_request(url, last_event_id)
        stub = predictions_pb2_grpc.PredictionServiceStub(self.channel)
        responses = stub.StreamPrediction(request, metadata=metadata)

        def iterate() -> Iterator[Batch[EventT]]:
            try:
                for message in responses:
                    events = codec.batch(kind, message)
                    if events:
                        yield events
            except grpc.RpcError as error:
                raise _translate(error) from None

        try:
            yield iterate()
        finally:
            responses.cancel()

    @contextmanager
    def download(self, url: str) -> Iterator[Iterator[bytes]]:
        if self._http is None:
            from replicate_kit._transport.http import HTTPTransport

            self._http = (self._http_factory or functools.partial(HTTPTransport, self._config))()
        with self._http.download(url) as chunks:
            yield chunks

    def close(self) -> None:
        if self._channel is not None:
            self._channel.close()
            self._channel = None
            self._callables = {}
        if self._http is not None:
            self._http.close()
            self._http = None


class AsyncGRPCTransport(_Base):
    """Asyncio gRPC transport (one channel per event loop: aio channels are bound to theirs)."""

    def __init__(
        self,
        config: ClientConfig,
        target: str,
        http_factory: Callable[[], AsyncHTTPTransport] | None = None,
    ) -> None:
        super().__init__(config, target, http_factory)
        self._channels: dict[asyncio.AbstractEventLoop, grpc.aio.Channel] = {}
        # Multi-callables per channel and RPC (see GRPCTransport._callables).
        self._callables: dict[tuple[grpc.aio.Channel, str], Any] = {}

    @property
    def channel(self) -> grpc.aio.Channel:
        loop = asyncio.get_running_loop()
        channel = self._channels.get(loop)
        if channel is None:
            for old in [lp for lp in self._channels if lp.is_closed()]:
                gone = self._channels.pop(old)
                self._callables = {k: v for k, v in self._callables.items() if k[0] is not gone}
            if self._secure:
                credentials = grpc.ssl_channel_credentials()
                channel = grpc.aio.secure_channel(self._target, credentials, self._options)
            else:
                channel = grpc.aio.insecure_channel(self._target, self._options)
            self._channels[loop] = channel
        return channel

    async def _invoke(self, call: Call) -> tuple[Any, Any]:
        """The decoded result and the finished RPC (its metadata, for ``send_received``)."""
        metadata = self._metadata()
        request, path, query = codec.build_request(call.op, call)
        channel = self.channel
        rpc = self._callables.get((channel, call.op))
        if rpc is None:
            rpc = self._callables[(channel, call.op)] = _unary(channel, codec.operation(call.op))
        try:
            rpc_call = rpc(request, metadata=metadata, timeout=self._timeout(call))
            response = await rpc_call
        except grpc.RpcError as error:
            raise _translate(error) from None
        return self._result(call, response, path, query), rpc_call

    async def send(self, call: Call) -> Any:
        return (await self._invoke(call))[0]

    async def send_received(self, call: Call) -> Received:
        data, rpc_call = await self._invoke(call)
        headers = metadata_headers(
            await rpc_call.initial_metadata(), await rpc_call.trailing_metadata()
        )
        return Received(data, OK_STATUS, headers)

    @asynccontextmanager
    async def events(
        self, url: str, kind: type[EventT], *, last_event_id: str | None = None
    ) -> AsyncIterator[AsyncIterator[Batch[EventT]]]:
        metadata = self._metadata()
        request = _stream_request(url, last_event_id)
        stub = predictions_pb2_grpc.PredictionServiceStub(self.channel)
        responses = stub.StreamPrediction(request, metadata=metadata)

        async def iterate() -> AsyncIterator[Batch[EventT]]:
            try:
                async for message in responses:
                    events = codec.batch(kind, message)
                    if events:
                        yield events
            except grpc.RpcError as error:
                raise _translate(error) from None

        try:
            yield iterate()
        finally:
            responses.cancel()

    @asynccontextmanager
    async def download(self, url: str) -> AsyncIterator[AsyncIterator[bytes]]:
        if self._http is None:
            from replicate_kit._transport.http import AsyncHTTPTransport

            factory = self._http_factory or functools.partial(AsyncHTTPTransport, self._config)
            self._http = factory()
        async with self._http.download(url) as chunks:
            yield chunks

    async def aclose(self) -> None:
        channels, self._channels = self._channels, {}
        self._callables = {}
        loop = asyncio.get_running_loop()
        for channel_loop, channel in channels.items():
            if channel_loop is loop:
                await channel.close()
        if self._http is not None:
            await self._http.aclose()
            self._http = None

    def __del__(self) -> None:
        # Channels of loops that ended cannot be awaited any more; drop them quietly.
        self._channels.clear()
        self._callables.clear()
