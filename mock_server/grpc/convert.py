"""Pure translation between RPC messages and the HTTP operations they mirror.

Requests: a request message becomes method, path, query, headers and body of the HTTP
route (``routes.ROUTES``: the protos' ``google.api.http`` bindings). Responses: the HTTP JSON
body becomes the response message
(proto3 JSON with preserved field names *is* the HTTP body, except that the status enum
prints as ``PREDICTION_STATUS_<STATE>``). Errors: a problem+json response becomes a gRPC
status whose ``google.rpc.Status`` details carry our ``Problem`` (plus ``BadRequest`` field
violations for 422 and ``RetryInfo`` for 429).

Kept independent of the client's converter on purpose: the contract tests run the client
against this server, so a shared converter would hide its own mistakes.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, quote, urlsplit

import grpc
from google.protobuf import any_pb2, duration_pb2, json_format
from google.protobuf.message import Message
from google.rpc import error_details_pb2, status_pb2  # type: ignore[import-untyped]
from replicate_kit_grpc.v1 import errors_pb2

from mock_server.engine.errors import ApiError, invalid_fields
from mock_server.grpc import plans
from mock_server.grpc.routes import ROUTES, Route

STATUS_ENUM = "replicate_kit.v1.PredictionStatus"
STATUS_PREFIX = "PREDICTION_STATUS_"
DETAILS_KEY = "grpc-status-details-bin"

# Request fields that the HTTP operation carries somewhere other than the query or body.
_RENAMED_QUERY = {"page_token": "cursor"}
_INPUT_RPCS = ("PredictionService.CreatePrediction", "TrainingService.CreateTraining")


@dataclass(frozen=True)
class HttpRequest:
    method: str
    path: str
    query: list[tuple[str, str]] = field(default_factory=list)
    headers: list[tuple[str, str]] = field(default_factory=list)  # lists: read, never changed
    body: bytes = b""
    #: The operationId and its path parameters (what the operation layer is called with).
    operation: str = ""
    path_params: dict[str, str] = field(default_factory=dict)


# --------------------------------------------------------------------------- requests
def _violation(name: str, description: str, kind: str = "required") -> ApiError:
    return invalid_fields(
        "Invalid request", [{"type": kind, "field": name, "description": description}]
    )


def _route(routes: tuple[Route, ...], fields: dict[str, Any]) -> Route:
    """The binding the request names: the one whose path fields are all set, most first.

    ``CreatePrediction``'s target oneof sets ``model`` or ``deployment`` (a route with that path
    field) or ``version`` (the route without one). With none set, the first route answers, and its
    own validation reports what is missing.
    """
    if len(routes) == 1:
        return routes[0]
    named = [r for r in routes if all(field in fields for field, _ in r.fields)]
    return max(named, key=lambda r: len(r.fields)) if named else routes[0]


def _fill(route: Route, fields: dict[str, Any]) -> tuple[str, dict[str, str]]:
    values: dict[str, str] = {}
    for name, params in route.fields:
        value = fields.pop(name, "")
        if not isinstance(value, str) or not value:
            raise _violation(name, f"{name} is required")
        parts = value.split("/") if len(params) > 1 else [value]
        if len(parts) != len(params) or not all(parts):
            # model_owner, model_name -> "model must be 'owner/name'"
            shape = "/".join(p.removeprefix(f"{name}_") for p in params)
            raise _violation(name, f"{name} must be '{shape}'", "format")
        values.update(zip(params, parts, strict=True))
    path = route.path
    for param, value in values.items():
        quoted = value if _UNRESERVED.fullmatch(value) else quote(value, safe="")
        path = path.replace("{" + param + "}", quoted)
    return path, values


# What quote(..., safe="") leaves as it is: ids and names nearly always (a quarter of a
# GetPrediction's request translation went to quote).
_UNRESERVED = re.compile(r"[A-Za-z0-9_.~-]*")


def _headers(fields: dict[str, Any]) -> list[tuple[str, str]]:
    headers: list[tuple[str, str]] = []
    wait = fields.pop("wait_seconds", None)
    if wait is not None:
        headers.append(("prefer", f"wait={wait}"))
    cancel_after = fields.pop("cancel_after", None)
    if cancel_after is not None:
        # proto3 JSON prints a Duration as seconds with an "s" ("90s", "1.5s", "-5s"): the
        # header's own syntax, so it travels as is (no float formatting such as "1e+06s").
        headers.append(("cancel-after", str(cancel_after)))
    # How the RPC frames its messages, nothing the HTTP operation reads.
    fields.pop("batch", None)
    fields.pop("output_runs", None)
    last_event_id = fields.pop("last_event_id", None)
    if last_event_id:
        headers.append(("last-event-id", str(last_event_id)))
    return headers


def _query(fields: dict[str, Any]) -> list[tuple[str, str]]:
    query: list[tuple[str, str]] = []
    for name, value in fields.items():
        key = _RENAMED_QUERY.get(name, name)
        for item in value if isinstance(value, list) else [value]:
            text = item if isinstance(item, str) else json.dumps(item)
            if text != "":
                query.append((key, text))
    return query


def _multipart(fields: dict[str, Any], content: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    filename = str(fields.get("filename") or "file")
    content_type = str(fields.get("content_type") or "application/octet-stream")
    parts = [
        (f'form-data; name="content"; filename="{quote(filename)}"', content_type, content),
        ('form-data; name="filename"', "text/plain", filename.encode()),
        ('form-data; name="type"', "text/plain", content_type.encode()),
    ]
    if "metadata" in fields:
        parts.append(
            (
                'form-data; name="metadata"',
                "application/json",
                json.dumps(fields["metadata"]).encode(),
            )
        )
    body = b"".join(
        f"--{boundary}\r\nContent-Disposition: {disposition}\r\nContent-Type: {ctype}\r\n\r\n".encode()
        + data
        + b"\r\n"
        for disposition, ctype, data in parts
    )
    return body + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


def _json_numbers(value: Any) -> Any:
    """Struct numbers are doubles: give integral ones back their JSON integer form (3.0 -> 3),
    which is how an HTTP client would have written them."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    if isinstance(value, list):
        return [_json_numbers(item) for item in value]
    if isinstance(value, dict):
        return {key: _json_numbers(item) for key, item in value.items()}
    return value


def printed_fields(request: Message) -> dict[str, Any]:
    """The request as json_format prints it (what ``plans.request_reader`` reads faster)."""
    return json_format.MessageToDict(
        request, preserving_proto_field_name=True, always_print_fields_with_no_presence=True
    )


def _request_fields(request: Message) -> dict[str, Any]:
    """The set fields as JSON. Numbers and booleans without presence count even when zero
    (``min_instances: 0`` is a value); empty strings and lists mean "not given"."""
    read = plans.request_reader(request.DESCRIPTOR)
    printed = read(request) if read is not None else printed_fields(request)
    fields: dict[str, Any] = {}
    for name, value in printed.items():
        if value in ("", []) and not request.DESCRIPTOR.fields_by_name[name].has_presence:
            continue
        fields[name] = _json_numbers(value)
    return fields


def http_request(
    rpc: str, request: Message, metadata: Sequence[tuple[str, str]] = ()
) -> HttpRequest:
    """The HTTP request that performs ``rpc`` (``Service.Method``) with ``request`` (and the
    call's ``metadata`` as headers).

    Raises ApiError (rendered like any HTTP error) when the request cannot name a route.
    """
    fields = _request_fields(request)
    if rpc in _INPUT_RPCS:
        # An empty Struct is indistinguishable from an unset one on the wire: both mean {}.
        fields.setdefault("input", {})
    route = _route(ROUTES[rpc], fields)
    path, params = _fill(route, fields)
    headers = [*_headers(fields), *metadata]
    op, args = route.operation, params
    if route.body == "text":
        text = str(fields.pop(route.body_field, ""))
        headers.append(("content-type", "text/plain; charset=utf-8"))
        return HttpRequest(route.method, path, _query(fields), headers, text.encode(), op, args)
    if route.body == "multipart":
        fields.pop("content", None)
        content = getattr(request, "content", b"")
        body, ctype = _multipart(fields, content)
        headers.append(("content-type", ctype))
        return HttpRequest(route.method, path, [], headers, body, op, args)
    if route.method in ("GET", "DELETE"):
        return HttpRequest(route.method, path, _query(fields), headers, b"", op, args)
    query = _query({"page_token": fields.pop("page_token")}) if "page_token" in fields else []
    headers.append(("content-type", "application/json"))
    return HttpRequest(route.method, path, query, headers, json.dumps(fields).encode(), op, args)


# -------------------------------------------------------------------------- responses
def _to_proto_json(value: Any, descriptor: Any) -> Any:
    """The HTTP body shaped like ``descriptor`` rewritten as proto3 JSON (nulls dropped)."""
    if not isinstance(value, dict):
        return value
    out: dict[str, Any] = {}
    for key, item in value.items():
        fd = descriptor.fields_by_name.get(key)
        if fd is None:
            continue  # the HTTP body has more than the message: keep what the contract has
        message = fd.message_type
        is_value = message is not None and message.full_name == "google.protobuf.Value"
        if item is None and not is_value:
            continue
        if fd.enum_type is not None and fd.enum_type.full_name == STATUS_ENUM:
            out[key] = STATUS_PREFIX + str(item).upper()
        elif (
            message is not None
            and message.full_name.startswith("replicate_kit.")
            and not message.GetOptions().map_entry
        ):
            items = item if fd.is_repeated else [item]
            converted = [_to_proto_json(i, message) for i in items]
            out[key] = converted if fd.is_repeated else converted[0]
        else:
            out[key] = item
    return out


def json_to_message(data: Any, cls: type[Message]) -> Message:
    message = cls()
    try:
        plans.fill(message, data, plans.message_plan(message.DESCRIPTOR))
        return message
    except Exception:  # not covered by the plan (or invalid): json_format decides, as before
        return parsed_message(data, cls)


def parsed_message(data: Any, cls: type[Message]) -> Message:
    """The message as json_format parses the body (what the plans write faster)."""
    message = cls()
    json_format.ParseDict(
        _to_proto_json(data, message.DESCRIPTOR), message, ignore_unknown_fields=True
    )
    return message


def _cursor(url: Any) -> str:
    if not isinstance(url, str) or not url:
        return ""
    values = parse_qs(urlsplit(url).query).get("cursor")
    return values[0] if values else ""


def response_message(status: int, content_type: str, body: bytes, cls: type[Message]) -> Message:
    """The response message for a successful HTTP response of the mirrored operation."""
    message = cls()
    fields: list[Any] = list(message.DESCRIPTOR.fields)
    if not fields:
        return message
    content = message.DESCRIPTOR.fields_by_name.get("content")
    if content is not None and content.type == content.TYPE_BYTES:  # a download: raw bytes
        return cls(content=body, content_type=content_type.split(";")[0].strip())
    if not content_type.startswith(("application/json", "application/problem+json")):
        text_field = fields[0].name
        return json_to_message({text_field: body.decode("utf-8", errors="replace")}, cls)
    return data_message(json.loads(body) if body else None, cls)


def data_message(data: Any, cls: type[Message]) -> Message:
    """The response message for the JSON value a successful operation answered with."""
    message = cls()
    fields: list[Any] = list(message.DESCRIPTOR.fields)
    if not fields:
        return message
    repeated = [f for f in fields if f.is_repeated]
    if isinstance(data, list):
        return json_to_message({repeated[0].name: data}, cls)
    if isinstance(data, dict) and "results" in data and repeated:
        return json_to_message(
            {
                repeated[0].name: data.get("results") or [],
                "next_page_token": _cursor(data.get("next")),
                "previous_page_token": _cursor(data.get("previous")),
            },
            cls,
        )
    wraps = len(fields) == 1 and fields[0].message_type is not None and not repeated
    if wraps and not (isinstance(data, dict) and fields[0].name in data):
        return json_to_message({fields[0].name: data}, cls)
    return json_to_message(data, cls)


# ----------------------------------------------------------------------------- errors
_CODES: dict[int, grpc.StatusCode] = {
    400: grpc.StatusCode.INVALID_ARGUMENT,
    401: grpc.StatusCode.UNAUTHENTICATED,
    402: grpc.StatusCode.FAILED_PRECONDITION,
    403: grpc.StatusCode.PERMISSION_DENIED,
    404: grpc.StatusCode.NOT_FOUND,
    405: grpc.StatusCode.UNIMPLEMENTED,
    408: grpc.StatusCode.DEADLINE_EXCEEDED,
    409: grpc.StatusCode.ALREADY_EXISTS,
    # Not RESOURCE_EXHAUSTED: generic gRPC clients retry that, and a too-large body never fits.
    413: grpc.StatusCode.INVALID_ARGUMENT,
    415: grpc.StatusCode.INVALID_ARGUMENT,
    422: grpc.StatusCode.INVALID_ARGUMENT,
    429: grpc.StatusCode.RESOURCE_EXHAUSTED,
    500: grpc.StatusCode.INTERNAL,
    501: grpc.StatusCode.UNIMPLEMENTED,
    502: grpc.StatusCode.UNAVAILABLE,
    503: grpc.StatusCode.UNAVAILABLE,
    504: grpc.StatusCode.DEADLINE_EXCEEDED,
}


def code_for_status(status: int) -> grpc.StatusCode:
    if status in _CODES:
        return _CODES[status]
    return grpc.StatusCode.INTERNAL if status >= 500 else grpc.StatusCode.FAILED_PRECONDITION


@dataclass(frozen=True)
class RpcError:
    code: grpc.StatusCode
    message: str
    trailing_metadata: tuple[tuple[str, bytes], ...]


def _pack(message: Message) -> any_pb2.Any:
    packed = any_pb2.Any()
    packed.Pack(message)
    return packed


def rpc_error(status: int, headers: dict[str, str], body: bytes) -> RpcError:
    """The gRPC status of an HTTP error response (problem+json or anything else)."""
    try:
        data = json.loads(body) if body else {}
    except ValueError:
        data = {}
    if not isinstance(data, dict):
        data = {}
    detail = data.get("detail") if isinstance(data.get("detail"), str) else None
    title = data.get("title") if isinstance(data.get("title"), str) else None
    code = code_for_status(status)
    if status == 404 and (detail or "").startswith("No route matches"):
        code = grpc.StatusCode.UNIMPLEMENTED  # the mock does not serve this operation yet
    problem = errors_pb2.Problem(status=status)
    for key in ("type", "title", "detail", "instance"):
        if isinstance(data.get(key), str):
            setattr(problem, key, data[key])
    details = [_pack(problem)]
    invalid = data.get("invalid_fields")
    if isinstance(invalid, list):
        violations = []
        for item in invalid:
            if isinstance(item, dict):
                problem.invalid_fields.add(
                    type=str(item.get("type", "")),
                    field=str(item.get("field", "")),
                    description=str(item.get("description", "")),
                )
                violations.append(
                    error_details_pb2.BadRequest.FieldViolation(
                        field=str(item.get("field", "")),
                        description=str(item.get("description", "")),
                    )
                )
        details = [_pack(problem), _pack(error_details_pb2.BadRequest(field_violations=violations))]
    retry_after = headers.get("retry-after", "")
    if retry_after.isdigit():
        problem.retry_after = int(retry_after)
        details[0] = _pack(problem)
        delay = duration_pb2.Duration(seconds=int(retry_after))
        details.append(_pack(error_details_pb2.RetryInfo(retry_delay=delay)))
    message = detail or title or f"HTTP {status}"
    rich = status_pb2.Status(code=code.value[0], message=message, details=details)
    return RpcError(code, message, ((DETAILS_KEY, rich.SerializeToString()),))
