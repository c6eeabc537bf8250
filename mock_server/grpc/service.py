"""Generic handlers for every RPC of ``replicate_kit.v1``: each runs its API operation.

A unary RPC calls its operation's handler through the operation layer (``http.operation``), the
one the HTTP routes use, with the request message translated to a ``Call`` and the JSON result to
the response message. ``StreamPrediction`` reads the source the SSE route reads
(``routes_streams.stream_events``) and sends one message per event (or, to a request with
``batch`` set, every due event in one message, and with ``output_runs`` set, a run of tokens as
columns), so both protocols emit the same events and ids.
"""

from __future__ import annotations

import asyncio
import functools
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
from starlette.applications import Starlette
from starlette.types import ASGIApp

from mock_server.engine.core import Engine
from mock_server.engine.errors import ApiError
from mock_server.engine.faults import Fault
from mock_server.engine.jobs import Job
from mock_server.engine.webhooks import ORIGIN
from mock_server.grpc import convert, events
from mock_server.grpc.routes import PACKAGE, ROUTES
from mock_server.http.app import api_handlers
from mock_server.http.operation import (
    Call,
    Handler,
    Operation,
    Result,
    fault_error,
    internal_error,
    match_fault,
    query_string,
    record,
)
from mock_server.http.routes_streams import find_job, parse_last_event_id, stream_events

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
    headers = {name.lower(): value for name, value in exc.headers.items()}
    return convert.rpc_error(exc.status, headers, json.dumps(exc.body()).encode())


_DROPPED = convert.RpcError(grpc.StatusCode.UNAVAILABLE, "The connection was dropped", ())
_ENDED = convert.RpcError(
    grpc.StatusCode.UNAVAILABLE, "The event stream ended before its done event", ()
)
_UNIMPLEMENTED = convert.RpcError(
    grpc.StatusCode.UNIMPLEMENTED, "The mock does not serve this operation over gRPC", ()
)


async def _outcome(
    rpc: str, handler: Handler, call: Call, fault: Fault | None
) -> Result | ApiError:
    """What the operation answers, an error included (faults come first, as over HTTP)."""
    if fault is not None and fault.latency > 0:
        await asyncio.sleep(fault.latency)
    if fault is not None and fault.status is not None:
        return fault_error(fault)
    try:
        return await handler(call)
    except ApiError as exc:
        return exc
    except Exception as exc:
        log.exception("the %s operation failed", rpc)
        return internal_error(exc)


async def _no_body() -> bytes:
    return b""


def _no_cursor(cursor: str) -> str:
    raise AssertionError("a stream has no pages")


#: RPCs whose every binding is a GET: their HTTP request is a function of the request message
#: and the forwarded metadata alone (no body, no multipart boundary), and a client polling one
#: sends the same bytes again and again. Translating one cost a fifth of a GetPrediction's
#: servicer time, three times that with the caches as cold as they are between RPCs.
_READS = frozenset(rpc for rpc, routes in ROUTES.items() if all(r.method == "GET" for r in routes))
#: The translations, by (rpc, serialized request, forwarded metadata); shared, so read only.
_TRANSLATED: dict[tuple[str, bytes, tuple[tuple[str, str], ...]], convert.HttpRequest] = {}
MAX_TRANSLATED = 4096
_MAX_READ_KEY = 1024


def _serialize(response: Message | bytes) -> bytes:
    return response if isinstance(response, bytes) else response.SerializeToString()


#: Response bytes of bodies that came with their encoding (``Result.raw``), by the body's
#: identity. The operation layer hands out the same two objects for a finished prediction on
#: every poll (``http.rendered``) and they never change, so its message is filled and
#: serialized once (16 of a GetPrediction's 37 us in the servicer). An entry holds its body,
#: so the id it is found by cannot be reused while it exists.
_ENCODED: dict[tuple[int, type[Message]], tuple[Any, bytes, bytes]] = {}
MAX_ENCODED = 4096


def _encoded(result: Result, response_cls: type[Message]) -> bytes:
    key = (id(result.body), response_cls)
    hit = _ENCODED.get(key)
    if hit is not None and hit[0] is result.body and hit[1] is result.raw:
        return hit[2]
    data = convert.data_message(result.body, response_cls).SerializeToString()
    if len(_ENCODED) >= MAX_ENCODED:
        _ENCODED.clear()  # bounded; the next polls refill what is still read
    assert result.raw is not None
    _ENCODED[key] = (result.body, result.raw, data)
    return data


class Gateway:
    """Builds the handlers; ``root`` gives the HTTP root that URLs in responses point at.

    Every unary RPC's operation has a transport-neutral handler (tests/grpc checks it), called
    through the operation layer; ``StreamPrediction`` reads the engine's stream events.
    """

    def __init__(self, app: ASGIApp, root: Callable[[], str]) -> None:
        self._app = app
        self._root = root
        if not isinstance(app, Starlette):
            raise TypeError("the gRPC gateway serves the mock's own Starlette app")
        self._engine: Engine = app.state.engine
        self._operations = {
            op_id: handler.handler
            for op_id, handler in api_handlers().items()
            if isinstance(handler, Operation)
        }

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
            # The stream's messages come serialized (``events``): no response serializer.
            return grpc.unary_stream_rpc_method_handler(
                self._streaming(rpc), request_deserializer=request_cls.FromString
            )
        return grpc.unary_unary_rpc_method_handler(
            self._unary(rpc, response_cls),
            request_deserializer=request_cls.FromString,
            response_serializer=_serialize,
        )

    def _http(self, rpc: str, request: Message, context: Context) -> convert.HttpRequest:
        forwarded = tuple(
            (key, value)
            for key, value in context.invocation_metadata() or ()
            if key in _FORWARDED_METADATA and isinstance(value, str)
        )
        if rpc not in _READS:
            return convert.http_request(rpc, request, forwarded)
        raw = request.SerializeToString()
        if len(raw) > _MAX_READ_KEY:
            return convert.http_request(rpc, request, forwarded)
        key = (rpc, raw, forwarded)
        http = _TRANSLATED.get(key)
        if http is None:
            http = convert.http_request(rpc, request, forwarded)
            if len(_TRANSLATED) >= MAX_TRANSLATED:
                _TRANSLATED.clear()  # bounded; the next polls refill what is still read
            _TRANSLATED[key] = http
        return http

    def _unary(
        self, rpc: str, response_cls: type[Message]
    ) -> Callable[[Message, Context], Awaitable[Message | bytes]]:
        async def handle(request: Message, context: Context) -> Message | bytes:
            try:
                http = self._http(rpc, request, context)
            except ApiError as exc:
                await _abort(context, _api_error(exc))
            handler = self._operations.get(http.operation)
            if handler is None:  # every unary operation is neutral (tests/grpc checks it)
                await _abort(context, _UNIMPLEMENTED)
            return await self._perform(rpc, handler, http, context, response_cls)

        return handle

    async def _perform(
        self,
        rpc: str,
        handler: Handler,
        http: convert.HttpRequest,
        context: Context,
        response_cls: type[Message],
    ) -> Message | bytes:
        """Run the operation with what the HTTP route would have: faults, journal, headers."""
        engine = self._engine
        fault = match_fault(engine, http.method, http.path)
        state: dict[str, Any] = {}

        async def body() -> bytes:
            return http.body

        def with_cursor(cursor: str) -> str:
            query = [(k, v) for k, v in http.query if k != "cursor"] + [("cursor", cursor)]
            return f"{root}{http.path}?{query_string(query)}"

        root = self._root()
        headers = dict(http.headers)
        if http.body:
            headers["content-length"] = str(len(http.body))
        call = Call(
            engine,
            http.method,
            http.path,
            dict(http.path_params),  # the translation may be shared (``_TRANSLATED``)
            http.query,
            headers,
            root,
            state,
            body,
            with_cursor,
        )
        # Webhook payloads of jobs this call creates point at the HTTP root, as over HTTP.
        origin = ORIGIN.set(root)
        try:
            outcome = await _outcome(rpc, handler, call, fault)
        except BaseException:  # cancelled: the caller went away, as a broken HTTP response
            self._record(http, 500, state)
            raise
        finally:
            ORIGIN.reset(origin)
        # Recorded before the caller can see the answer, so a client that has its response
        # always finds its call in the journal.
        self._record(http, outcome.status, state)
        if isinstance(outcome, ApiError):
            await _abort(context, _api_error(outcome))
        if fault is not None and fault.drop:
            await _abort(context, _DROPPED)
        result = outcome
        headers = {
            k.lower(): v for k, v in {**state.get("extra_headers", {}), **result.headers}.items()
        }
        metadata = tuple((k, headers[k]) for k in RESPONSE_METADATA if k in headers)
        if metadata:
            await context.send_initial_metadata(metadata)
        try:
            if result.body is None and result.raw is not None:  # text and downloads
                return convert.response_message(
                    result.status, result.media_type, result.raw, response_cls
                )
            if result.raw is not None:  # a body that comes encoded: one that is read again
                return _encoded(result, response_cls)
            return convert.data_message(result.body, response_cls)
        except Exception as exc:  # the body does not fit the contract: a mock bug
            log.exception("cannot convert the %s response", rpc)
            error = convert.RpcError(
                grpc.StatusCode.INTERNAL, f"The mock failed: {type(exc).__name__}", ()
            )
            await _abort(context, error)

    def _record(self, http: convert.HttpRequest, status: int, state: dict[str, Any]) -> None:
        query = query_string(http.query) if http.query else ""
        record(self._engine, http.method, http.path, query, status, state.get("account"))

    def _streaming(self, rpc: str) -> Callable[[Message, Context], AsyncIterator[bytes]]:
        async def handle(request: Message, context: Context) -> AsyncIterator[bytes]:
            try:
                http = self._http(rpc, request, context)
            except ApiError as exc:
                await _abort(context, _api_error(exc))
            engine, root = self._engine, self._root()
            fault = match_fault(engine, http.method, http.path)
            opened = await self._open_stream(rpc, http, root, fault)
            if isinstance(opened, convert.RpcError):
                await _abort(context, opened)
            job, state = opened
            # Recorded when the stream starts, as the HTTP route's response start is.
            self._record(http, 200, state)
            if fault is not None and fault.drop:
                await _abort(context, _ENDED)
            drop_after = None if fault is None else fault.drop_stream_after
            after = parse_last_event_id(dict(http.headers).get("last-event-id"))
            render = events.batches if getattr(request, "batch", False) else events.singles
            if getattr(request, "output_runs", False):
                render = functools.partial(events.runs, others=render)
            due = stream_events(engine, job, root, after, drop_after)
            done = False
            try:
                async for batch in due:
                    if not batch:
                        continue  # a keep-alive: nothing to send over gRPC
                    done = batch[-1].event == "done"
                    for message in render(batch, root):
                        yield message
            except Exception:  # a mock bug: the stream breaks off, as its HTTP response would
                log.exception("the %s stream failed", rpc)
                done = False
            finally:
                await due.aclose()
            if not done:
                # Like a closed HTTP connection: the client resumes with last_event_id.
                await _abort(context, _ENDED)

        return handle

    async def _open_stream(
        self, rpc: str, http: convert.HttpRequest, root: str, fault: Fault | None
    ) -> tuple[Job, dict[str, Any]] | convert.RpcError:
        """The job a stream request names, or the error the stream ends with at once."""
        state: dict[str, Any] = {}
        if fault is not None and fault.latency > 0:
            await asyncio.sleep(fault.latency)
        if fault is not None and fault.status is not None:
            error: ApiError = fault_error(fault)
        else:
            call = Call(
                self._engine,
                http.method,
                http.path,
                dict(http.path_params),
                http.query,
                dict(http.headers),
                root,
                state,
                _no_body,
                _no_cursor,
            )
            origin = ORIGIN.set(root)
            try:
                return find_job(call), state
            except ApiError as exc:
                error = exc
            except Exception as exc:
                log.exception("the %s operation failed", rpc)
                error = internal_error(exc)
            finally:
                ORIGIN.reset(origin)
        self._record(http, error.status, state)
        return _api_error(error)
