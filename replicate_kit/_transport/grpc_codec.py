"""Pure mapping between :class:`Call` s and RPCs of ``replicate_kit.v1``.

Calls are named by HTTP operation ids; each maps to the RPC whose ``google.api.http`` binding
has the operation's method and path (the generated ``replicate_api_table``). Requests are built from the call's path, query, body and
headers; responses become the same JSON the HTTP transport returns, so every layer above the
transport is shared:

- the status enum ``PREDICTION_STATUS_SUCCEEDED`` becomes ``"succeeded"``; int64 strings
  become ints; Struct numbers that are integral become ints again (3.0 -> 3);
- unset ``optional`` and message fields become ``None``;
- pages become ``{"results", "next", "previous"}`` whose links are URLs of the HTTP route with
  a ``cursor`` query parameter holding the page token, so pagination code never changes.

Errors: a ``google.rpc.Status`` detail carrying our ``Problem`` gives the same exception as
the HTTP error body would; without one, the gRPC code picks the nearest HTTP status.
"""

from __future__ import annotations

import base64
import functools
import importlib
import json
import pkgutil
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit

import grpc
import replicate_kit_grpc.v1 as _stubs
from google.protobuf import descriptor_pool, json_format, message_factory
from google.protobuf.message import Message
from google.protobuf.timestamp_pb2 import Timestamp
from google.rpc import error_details_pb2, status_pb2  # type: ignore[import-untyped]
from replicate_api_table import OPERATIONS as TABLE
from replicate_api_table import Rpc
from replicate_kit_grpc.v1 import errors_pb2, predictions_pb2

from replicate_kit._calls import Call
from replicate_kit._transport.base import Batch, EventT, RawEvent
from replicate_kit.exceptions import (
    APIConnectionError,
    APITimeoutError,
    BadRequestError,
    ReplicateException,
    UnprocessableEntityError,
    error_class_for_status,
)

PACKAGE = "replicate_kit.v1"
_STATUS_ENUM = f"{PACKAGE}.PredictionStatus"
_STATUS_PREFIX = "PREDICTION_STATUS_"
_DETAILS_KEY = "grpc-status-details-bin"
# Importing a generated module registers its messages and services in the default pool: import
# every one, so an RPC added to the protos needs no edit here.
for _module in pkgutil.iter_modules(_stubs.__path__):
    if _module.name.endswith("_pb2"):
        importlib.import_module(f"{_stubs.__name__}.{_module.name}")


@dataclass(frozen=True)
class Operation:
    """The RPC of one HTTP operation, and the HTTP route (relative to ``/v1``)."""

    service: str
    method: str
    route: str
    #: The operation's `google.api.http` binding: path fields, body and response body.
    rpc: Rpc

    @property
    def path(self) -> str:
        """The gRPC method path, ``/package.Service/Method``."""
        return f"/{PACKAGE}.{self.service}/{self.method}"


#: Every operation with an RPC, read from the operation table (the protos' `google.api.http`).
OPERATIONS: dict[str, Operation] = {
    op.id: Operation(op.rpc.service.rsplit(".", 1)[-1], op.rpc.method, op.path, op.rpc)
    for op in TABLE.values()
    if op.rpc is not None
}

#: Query parameters of signed download links: the RPC is authorized by the token instead.
_SIGNED_URL_PARAMS = frozenset({"owner", "expiry", "signature"})


@functools.cache
def message_classes(op: Operation) -> tuple[type[Message], type[Message]]:
    """(request class, response class) of an operation's RPC (looked up once per operation)."""
    service = descriptor_pool.Default().FindServiceByName(f"{PACKAGE}.{op.service}")
    method = service.methods_by_name[op.method]
    return (
        message_factory.GetMessageClass(method.input_type),
        message_factory.GetMessageClass(method.output_type),
    )


def operation(op: str) -> Operation:
    try:
        return OPERATIONS[op]
    except KeyError:
        raise ValueError(f"The gRPC transport has no RPC for the operation {op!r}") from None


# ------------------------------------------------------------------------------ requests
@functools.cache
def _route_pattern(route: str) -> re.Pattern[str]:
    pattern = re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>[^/]+)", re.escape(route))
    return re.compile(pattern + "$")


def parse_page_url(op: Operation, url: str) -> tuple[dict[str, str], dict[str, str]]:
    """(path parameters, query) of a page link made by :func:`page_url` (or by the HTTP API)."""
    parts = urlsplit(url)
    match = _route_pattern(op.route).search(parts.path.rstrip("/"))
    if match is None:
        raise ValueError(f"{url!r} is not a page of {op.route}")
    path = {key: unquote(value) for key, value in match.groupdict().items()}
    return path, dict(parse_qsl(parts.query, keep_blank_values=True))


def page_url(
    base_url: str, op: Operation, path: Mapping[str, str], query: Mapping[str, Any], token: str
) -> str:
    route = op.route
    for key, value in path.items():
        route = route.replace("{" + key + "}", quote(str(value), safe=""))
    params = [(k, str(v)) for k, v in query.items() if k != "cursor" and v is not None]
    return f"{base_url}{route}?{urlencode([*params, ('cursor', token)])}"


_DURATION = re.compile(r"(\d+(?:\.\d+)?)(ms|s|m|h)")
_UNITS = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0}


def _cancel_after_seconds(value: str) -> float:
    text = value.strip().lower()
    try:
        return float(text)
    except ValueError:
        pass
    matches = list(_DURATION.finditer(text))
    if not text or "".join(m.group(0) for m in matches) != text:
        raise BadRequestError(
            None,
            "Invalid Cancel-After header",
            400,
            "Cancel-After must be a duration such as 30s, 5m, 1h30m or a number of seconds",
        )
    return sum(float(m.group(1)) * _UNITS[m.group(2)] for m in matches)


def _wait_seconds(value: str) -> int | None:
    for token in value.split(","):
        name, _, argument = token.strip().partition("=")
        if name.strip().lower() == "wait":
            argument = argument.strip()
            return int(argument) if argument.isdigit() else 60
    return None


def _query_value(key: str, value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    return value


def request_fields(
    op_name: str, call: Call
) -> tuple[dict[str, Any], dict[str, str], dict[str, Any]]:
    """The request message as proto3 JSON, plus the path and query (for page links)."""
    op = operation(op_name)
    path: dict[str, str] = dict(call.path)
    query: dict[str, Any] = dict(call.query)
    if call.url is not None:
        path, query = parse_page_url(op, call.url)
    fields: dict[str, Any] = {}
    body = call.body
    # A binding variable may span several path parameters: `{model=*/*}` is owner/name.
    for name, params in op.rpc.path_fields:
        fields[name] = "/".join(str(path[param]) for param in params)
    if op.rpc.body not in ("", "*"):  # the whole (non-JSON) body is one request field
        fields[op.rpc.body] = "" if body is None else str(body)
        body = None
    for key, value in query.items():
        if op_name == "files.download" and key in _SIGNED_URL_PARAMS:
            continue
        if value is not None:
            fields["page_token" if key == "cursor" else key] = _query_value(key, value)
    if isinstance(body, Mapping):
        fields.update(body)
    elif body is not None:
        raise UnprocessableEntityError(
            None, "Invalid request", 422, "The request body must be a JSON object"
        )
    if call.upload is not None:
        upload = call.upload
        fields["filename"] = upload.filename
        fields["content_type"] = upload.content_type
        if upload.metadata is not None:
            fields["metadata"] = dict(upload.metadata)
    for key, value in call.headers.items():
        lowered = key.lower()
        if lowered == "prefer":
            wait = _wait_seconds(value)
            if wait is not None:
                fields["wait_seconds"] = wait
        elif lowered == "cancel-after":
            fields["cancel_after"] = f"{_cancel_after_seconds(value):g}s"
    return fields, path, {k: v for k, v in query.items() if v is not None}


def build_request(op_name: str, call: Call) -> tuple[Message, dict[str, str], dict[str, Any]]:
    """(request message, path parameters, query) for a call."""
    fields, path, query = request_fields(op_name, call)
    request_cls, _ = message_classes(operation(op_name))
    strings = _string_fields(request_cls.DESCRIPTOR)
    if all(key in strings and type(value) is str for key, value in fields.items()):
        # Ids and names only (every get, list and cancel): the constructor is what ParseDict
        # would end up doing, at a fraction of its cost.
        request = request_cls(**fields)
    else:
        request = request_cls()
        try:
            json_format.ParseDict(fields, request)
        except json_format.ParseError as exc:
            # The HTTP API answers such bodies with 422 too: keep the error the same.
            raise UnprocessableEntityError(None, "Invalid request", 422, str(exc)) from None
    if call.upload is not None:
        _set(request, "content", call.upload.content)
    return request, path, query


@functools.cache
def _string_fields(descriptor: Any) -> frozenset[str]:
    """Names of a message's singular string fields."""
    return frozenset(
        f.name for f in descriptor.fields if f.type == f.TYPE_STRING and not f.is_repeated
    )


def _get(message: Message, name: str) -> Any:
    return getattr(message, name)


def _set(message: Message, name: str, value: Any) -> None:
    setattr(message, name, value)


# ----------------------------------------------------------------------------- responses
_STRING_MESSAGES = frozenset({"google.protobuf.Timestamp", "google.protobuf.Duration"})


def _value(value: Any) -> Any:
    """A ``google.protobuf.Value`` as JSON; integral numbers as ints (Struct has doubles only)."""
    kind = value.WhichOneof("kind")
    if kind == "string_value":
        return value.string_value
    if kind == "number_value":
        number = value.number_value
        if number.is_integer() and abs(number) < 2**53:
            return int(number)
        return number
    if kind == "bool_value":
        return value.bool_value
    if kind == "struct_value":
        return _struct(value.struct_value)
    if kind == "list_value":
        return [_value(item) for item in value.list_value.values]
    return None  # null_value, or a Value with nothing set


def _timestamp_json(stamp: Any) -> str:
    return _instant(stamp.seconds, stamp.nanos)


@functools.lru_cache(maxsize=4096)
def _instant(seconds: int, nanos: int) -> str:
    # ToJsonString is pure Python (2 us); a prediction has three and polling reads them again.
    stamp = Timestamp(seconds=seconds, nanos=nanos)
    return stamp.ToJsonString()


def _struct(struct: Any) -> dict[str, Any]:
    return {key: _value(item) for key, item in struct.fields.items()}


def _converter(field: Any) -> Callable[[Any], Any] | None:
    """How one field's (non-repeated) value becomes JSON; None when it already is JSON."""
    message = field.message_type
    if field.enum_type is not None:
        # A number this build does not know (a newer server) stays a number, as in json_format.
        names = {number: value.name for number, value in field.enum_type.values_by_number.items()}
        if field.enum_type.full_name == _STATUS_ENUM:
            statuses = {n: name.removeprefix(_STATUS_PREFIX).lower() for n, name in names.items()}
            return lambda number: statuses.get(number, str(number))
        return lambda number: names.get(number, number)
    if field.type == field.TYPE_BYTES:
        return lambda data: base64.b64encode(data).decode()
    if message is None:
        return None
    name = message.full_name
    if name == "google.protobuf.Struct":
        return _struct
    if name == "google.protobuf.Value":
        return _value
    if name == "google.protobuf.Timestamp":
        return _timestamp_json
    if name in _STRING_MESSAGES:
        return lambda wkt: wkt.ToJsonString()
    if name.startswith(PACKAGE + "."):
        # The nested plan is looked up on first use (messages may nest themselves), then kept:
        # hashing a descriptor for the cache on every value cost more than converting it.
        nested: list[tuple[_Field, ...]] = []

        def convert(item: Any) -> Any:
            if not nested:
                nested.append(_plan(message))
            return _to_json(item, nested[0])

        return convert
    # Any other well-known type: what json_format prints, as it would inside a whole message.
    return lambda item: json_format.MessageToDict(item, preserving_proto_field_name=True)


@dataclass(frozen=True)
class _Field:
    name: str
    repeated: bool
    is_map: bool
    #: Printed even when unset (no presence): its default value then.
    always: bool
    convert: Callable[[Any], Any] | None


@functools.cache
def _plan(descriptor: Any) -> tuple[_Field, ...]:
    """Per message type, once: what the HTTP body of a message of this type is made of."""
    fields = []
    for field in descriptor.fields:
        message = field.message_type
        is_map = message is not None and message.GetOptions().map_entry
        value_field = message.fields_by_name["value"] if is_map else field
        fields.append(
            _Field(
                field.name,
                field.is_repeated and not is_map,
                is_map,
                not field.has_presence,
                _converter(value_field),
            )
        )
    return tuple(fields)


def _to_json(message: Any, plan: tuple[_Field, ...]) -> dict[str, Any]:
    """The message as the HTTP body: every field, unset ones with presence as None.

    The same JSON as proto3 JSON with preserved field names (``json_format``), reshaped for HTTP
    (status names, int64 as numbers, integral Struct numbers as ints), in one pass: going through
    ``json_format`` and reshaping cost most of a GetPrediction's client-side time.
    """
    out: dict[str, Any] = {}
    for field in plan:
        name = field.name
        convert = field.convert
        if field.repeated:
            items = getattr(message, name)
            out[name] = [convert(item) for item in items] if convert else list(items)
        elif field.is_map:
            entries = getattr(message, name)
            out[name] = {k: convert(v) if convert else v for k, v in entries.items()}
        elif field.always or message.HasField(name):
            value = getattr(message, name)
            out[name] = convert(value) if convert else value
        else:
            out[name] = None
    return out


def message_json(message: Message, base_url: str = "") -> dict[str, Any]:
    """A resource message as the HTTP API's JSON body."""
    shaped = _to_json(message, _plan(message.DESCRIPTOR))
    if message.DESCRIPTOR.full_name == f"{PACKAGE}.File" and base_url:
        # FileUrls has no signed link; the owner's token authorizes this one (DownloadFile).
        urls = shaped.get("urls") or {}
        urls["download"] = f"{base_url}/files/{quote(shaped['id'], safe='')}/download"
        shaped["urls"] = urls
    return shaped


def response_json(
    op_name: str,
    response: Message,
    *,
    base_url: str,
    path: Mapping[str, str],
    query: Mapping[str, Any],
) -> Any:
    """What the HTTP transport would have returned for this operation."""
    op = operation(op_name)
    descriptor = response.DESCRIPTOR
    fields: list[Any] = list(descriptor.fields)
    if not fields:
        return None
    if op.rpc.response_body:  # the HTTP body is one field: text or bytes
        value = _get(response, op.rpc.response_body)
        return bytes(value) if isinstance(value, bytes) else value
    repeated = [f for f in fields if f.is_repeated and f.message_type is not None]
    if "next_page_token" in descriptor.fields_by_name:

        def link(token: str) -> str | None:
            return page_url(base_url, op, path, query, token) if token else None

        return {
            "next": link(_get(response, "next_page_token")),
            "previous": link(_get(response, "previous_page_token")),
            "results": [message_json(item, base_url) for item in _get(response, repeated[0].name)],
        }
    if len(fields) == 1 and repeated:
        return [message_json(item, base_url) for item in _get(response, repeated[0].name)]
    if len(fields) == 1 and fields[0].message_type is not None:
        return message_json(_get(response, fields[0].name), base_url)
    return message_json(response, base_url)


def batch(kind: type[EventT], message: predictions_pb2.StreamPredictionResponse) -> Batch[EventT]:
    """The events of a stream message as ``kind``; an output run's columns are taken whole."""
    if message.HasField("output_run"):
        run = message.output_run
        return Batch(kind, ["output"] * len(run.outputs), list(run.outputs), _run_ids(run))
    return Batch.of(kind, raw_events(message))


def _run_ids(run: predictions_pb2.OutputRun) -> list[str | None]:
    return list(map("{}:{}".format, run.seconds, run.seqs))


def raw_events(message: predictions_pb2.StreamPredictionResponse) -> list[RawEvent]:
    """The SSE events a stream message stands for: its ``events`` (batched form), its
    ``output_run``, or itself."""
    if message.HasField("output_run"):
        run = message.output_run
        return list(map(RawEvent, ["output"] * len(run.outputs), run.outputs, _run_ids(run)))
    batch = message.events
    if not batch:
        event = raw_event(message)
        return [] if event is None else [event]
    out: list[RawEvent] = []
    for item in batch:
        # Outputs are nearly every event of a token stream: skip the general dispatch for them.
        if item.WhichOneof("event") == "output":
            out.append(RawEvent("output", item.output, item.id or None))
        else:
            event = raw_event(item)
            if event is not None:
                out.append(event)
    return out


def raw_event(message: predictions_pb2.StreamPredictionResponse) -> RawEvent | None:
    """The SSE event an RPC stream message stands for."""
    kind = message.WhichOneof("event")
    event_id = message.id or None
    if kind == "output":
        return RawEvent("output", message.output, event_id)
    if kind == "logs":
        return RawEvent("logs", message.logs, event_id)
    if kind == "error":
        data = json.dumps({"detail": message.error.detail}, separators=(",", ":"))
        return RawEvent("error", data, event_id)
    if kind == "done":
        done: dict[str, str] = {}
        if message.done.HasField("reason"):
            done["reason"] = message.done.reason
        return RawEvent("done", json.dumps(done, separators=(",", ":")), event_id)
    return None


# -------------------------------------------------------------------------------- errors
_STATUS_FOR_CODE: dict[grpc.StatusCode, int] = {
    grpc.StatusCode.INVALID_ARGUMENT: 400,
    grpc.StatusCode.FAILED_PRECONDITION: 400,
    grpc.StatusCode.OUT_OF_RANGE: 400,
    grpc.StatusCode.UNAUTHENTICATED: 401,
    grpc.StatusCode.PERMISSION_DENIED: 403,
    grpc.StatusCode.NOT_FOUND: 404,
    grpc.StatusCode.ALREADY_EXISTS: 409,
    grpc.StatusCode.ABORTED: 409,
    grpc.StatusCode.RESOURCE_EXHAUSTED: 429,
    grpc.StatusCode.UNIMPLEMENTED: 501,
    grpc.StatusCode.INTERNAL: 500,
    grpc.StatusCode.UNKNOWN: 500,
    grpc.StatusCode.DATA_LOSS: 500,
}
# What grpc-core reports when no connection could be made: nothing was sent.
_NOT_SENT = ("failed to connect to all addresses", "connection refused", "dns resolution failed")


def _details(metadata: Sequence[Any] | None) -> list[Any]:
    for key, value in metadata or ():
        if key == _DETAILS_KEY and isinstance(value, bytes):
            try:
                return list(status_pb2.Status.FromString(value).details)
            except Exception:  # a malformed detail must not hide the error itself
                return []
    return []


def _unpack(details: list[Any], cls: Any) -> Any:
    for packed in details:
        if packed.Is(cls.DESCRIPTOR):
            message = cls()
            packed.Unpack(message)
            return message
    return None


def rpc_error(
    code: grpc.StatusCode, message: str, metadata: Sequence[Any] | None
) -> ReplicateException:
    """The exception the HTTP transport would raise for the same failure."""
    details = _details(metadata)
    problem = _unpack(details, errors_pb2.Problem)
    retry = _unpack(details, error_details_pb2.RetryInfo)
    retry_after: float | None = None
    if retry is not None:
        retry_after = retry.retry_delay.seconds + retry.retry_delay.nanos / 1e9
    if problem is not None and problem.status:
        if problem.HasField("retry_after"):
            retry_after = float(problem.retry_after)
        invalid = [
            {"type": f.type, "field": f.field, "description": f.description}
            for f in problem.invalid_fields
        ]
        if not invalid:
            bad_request = _unpack(details, error_details_pb2.BadRequest)
            if bad_request is not None:
                invalid = [
                    {"type": "invalid", "field": v.field, "description": v.description}
                    for v in bad_request.field_violations
                ]
        return error_class_for_status(problem.status)(
            problem.type if problem.HasField("type") else None,
            problem.title if problem.HasField("title") else None,
            problem.status,
            problem.detail if problem.HasField("detail") else message or None,
            problem.instance if problem.HasField("instance") else None,
            invalid_fields=invalid or None,
            retry_after=retry_after,
        )
    if code == grpc.StatusCode.UNAVAILABLE:
        lowered = (message or "").lower()
        sent = not any(marker in lowered for marker in _NOT_SENT)
        return APIConnectionError(f"The gRPC API is unavailable: {message}", request_sent=sent)
    if code == grpc.StatusCode.DEADLINE_EXCEEDED:
        return APITimeoutError("The API did not answer in time (gRPC deadline exceeded)")
    if code == grpc.StatusCode.CANCELLED:
        return APIConnectionError(f"The gRPC call was cancelled: {message}")
    status = _STATUS_FOR_CODE.get(code, 500)
    title = code.name.replace("_", " ").capitalize()
    return error_class_for_status(status)(
        None, title, status, message or None, None, retry_after=retry_after
    )
