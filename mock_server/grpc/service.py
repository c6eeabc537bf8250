"""Generic handlers for every RPC of ``replicate_kit.v1``: each runs its HTTP operation.

A unary RPC becomes one in-process HTTP request; ``StreamPrediction`` reads the SSE route and
sends one message per event (or, to a request with ``batch`` set, every due event in one message),
so both protocols emit exactly the same events and ids.
"""

from __future__ import annotations

import importlib
import json
import logging
import pkgutil
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any, NoReturn

import grpc
import replicate_kit_grpc.v1 as stubs_package
from google.protobuf import descriptor_pool, message_factory
from google.protobuf.descriptor import MethodDescriptor, ServiceDescriptor
from google.protobuf.message import Message
from starlette.types import ASGIApp

from mock_server.engine.errors import ApiError
from mock_server.grpc import bridge, convert, events
from mock_server.grpc.routes import PACKAGE, ROUTES

log = logging.getLogger("replicate_mock.grpc")
Context = grpc.aio.ServicerContext[Any, Any]

# Request metadata forwarded to the HTTP operation as headers.
_FORWARDED_METADATA = ("authorization", "user-agent", "x-request-id")
# HTTP response headers a client may act on, sent as the RPC's initial metadata.
RESPONSE_METADATA = (
    "preference-applied",
    "ratelimit-limit",
    "ratelimit-remaining",
    "ratelimit-reset",
)


def services() -> list[ServiceDescriptor]:
    """Every service of the contract, from the generated modules."""
    for module in pkgutil.iter_modules(stubs_package.__path__):
        if module.name.endswith("_pb2"):
            importlib.import_module(f"{stubs_package.__name__}.{module.name}")
    found: list[ServiceDescriptor] = []
    pool = descriptor_pool.Default()
    for module in sorted(pkgutil.iter_modules(stubs_package.__path__), key=lambda m: m.name):
        if not module.name.endswith("_pb2"):
            continue
        file = pool.FindFileByName(f"replicate_kit/v1/{module.name.removesuffix('_pb2')}.proto")
        found.extend(file.services_by_name.values())
    return [s for s in found if s.full_name.startswith(PACKAGE + ".")]


async def _abort(context: Context, error: convert.RpcError) -> NoReturn:
    await context.abort(error.code, error.message, error.trailing_metadata)
    raise AssertionError("abort returns only by raising")  # pragma: no cover


def _api_error(exc: ApiError) -> convert.RpcError:
    return convert.rpc_error(exc.status, dict(exc.headers), json.dumps(exc.body()).encode())


_DROPPED = convert.RpcError(grpc.StatusCode.UNAVAILABLE, "The connection was dropped", ())


class Gateway:
    """Builds the handlers; ``root`` gives the HTTP root that URLs in responses point at."""

    def __init__(self, app: ASGIApp, root: Callable[[], str]) -> None:
        self._app = app
        self._root = root

    def handlers(self) -> list[grpc.GenericRpcHandler]:
        out: list[grpc.GenericRpcHandler] = []
        for service in services():
            methods: dict[str, grpc.RpcMethodHandler[Any, Any]] = {}
            for method in service.methods:
                methods[method.name] = self._handler(service, method)
            out.append(grpc.method_handlers_generic_handler(service.full_name, methods))
        return out

    def _handler(
        self, service: ServiceDescriptor, method: MethodDescriptor
    ) -> grpc.RpcMethodHandler[Any, Any]:
        rpc = f"{service.name}.{method.name}"
        if rpc not in ROUTES:
            raise RuntimeError(f"{rpc} has no google.api.http binding to an HTTP operation")
        request_cls = message_factory.GetMessageClass(method.input_type)
        response_cls = message_factory.GetMessageClass(method.output_type)
        if method.server_streaming:
            return grpc.unary_stream_rpc_method_handler(
                self._streaming(rpc),
                request_deserializer=request_cls.FromString,
                response_serializer=response_cls.SerializeToString,
            )
        return grpc.unary_unary_rpc_method_handler(
            self._unary(rpc, response_cls),
            request_deserializer=request_cls.FromString,
            response_serializer=response_cls.SerializeToString,
        )

    def _http(self, rpc: str, request: Message, context: Context) -> convert.HttpRequest:
        http = convert.http_request(rpc, request)
        forwarded = [
            (key, value)
            for key, value in context.invocation_metadata() or ()
            if key in _FORWARDED_METADATA and isinstance(value, str)
        ]
        return convert.HttpRequest(
            http.method, http.path, http.query, [*http.headers, *forwarded], http.body
        )

    def _unary(
        self, rpc: str, response_cls: type[Message]
    ) -> Callable[[Message, Context], Awaitable[Message]]:
        async def handle(request: Message, context: Context) -> Message:
            try:
                http = self._http(rpc, request, context)
                start, body = await bridge.call_unary(self._app, http, self._root())
            except ApiError as exc:
                await _abort(context, _api_error(exc))
            except bridge.Dropped:
                await _abort(context, _DROPPED)
            if start.status >= 400:
                await _abort(context, convert.rpc_error(start.status, start.headers, body))
            content_type = start.headers.get("content-type", "")
            metadata = tuple((k, start.headers[k]) for k in RESPONSE_METADATA if k in start.headers)
            if metadata:
                await context.send_initial_metadata(metadata)
            try:
                return convert.response_message(start.status, content_type, body, response_cls)
            except Exception as exc:  # the HTTP body does not fit the contract: a mock bug
                log.exception("cannot convert the %s response", rpc)
                error = convert.RpcError(
                    grpc.StatusCode.INTERNAL, f"The mock failed: {type(exc).__name__}", ()
                )
                await _abort(context, error)

        return handle

    def _streaming(self, rpc: str) -> Callable[[Message, Context], AsyncIterator[Message]]:
        async def handle(request: Message, context: Context) -> AsyncIterator[Message]:
            batch = bool(getattr(request, "batch", False))
            try:
                http = self._http(rpc, request, context)
            except ApiError as exc:
                await _abort(context, _api_error(exc))
            parser = events.SseParser()
            failed: tuple[bridge.ResponseStart, list[bytes]] | None = None
            # Coalesced: every chunk the route wrote while the last message was being sent comes
            # as one, so a slow reader gets fewer, larger messages (when it asked for batches).
            response = bridge.call(self._app, http, self._root(), coalesce=batch)
            try:
                async for item in response:
                    if isinstance(item, bridge.ResponseStart):
                        if item.status >= 400:
                            failed = (item, [])
                        continue
                    if failed is not None:
                        failed[1].append(item)
                        continue
                    due = parser.feed(item)
                    done = next((i for i, event in enumerate(due) if event[0] == "done"), None)
                    if done is not None:
                        del due[done + 1 :]
                    if batch:
                        for message in events.batches(due):
                            yield message
                    else:
                        for name, event_id, data in due:
                            single = events.to_message(name, event_id, data)
                            if single is not None:
                                yield single
                    if done is not None:
                        return
            except bridge.Dropped:
                pass
            finally:
                await response.aclose()
            if failed is not None:
                start, chunks = failed
                await _abort(
                    context, convert.rpc_error(start.status, start.headers, b"".join(chunks))
                )
            # Like a closed HTTP connection: the client resumes with last_event_id.
            await _abort(
                context,
                convert.RpcError(
                    grpc.StatusCode.UNAVAILABLE, "The event stream ended before its done event", ()
                ),
            )

        return handle
