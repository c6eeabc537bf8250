"""HTTP <-> gRPC parity: every HTTP operation has exactly one RPC whose `google.api.http` binding
has the same method and path, every binding is an HTTP operation, and the messages carry the same
fields, with the same names and compatible types, as the JSON bodies.

The bindings are read here from the generated descriptors with our own small template parser,
independently of scripts/gen_table.py, whose table is then checked against them.

Everything that is deliberately different is listed below with the reason; anything else that
drifts apart (a new operation, a renamed or new field on either side) fails here.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from google.api import annotations_pb2  # type: ignore[import-untyped]
from google.protobuf import descriptor_pool
from google.protobuf.descriptor import Descriptor, FieldDescriptor, MethodDescriptor
from replicate_api_table import OPERATIONS as TABLE

ROOT = Path(__file__).resolve().parents[2]
OPENAPI = ROOT / "openapi" / "replicate.openapi.yaml"
PROTO_DIR = ROOT / "proto" / "replicate_kit" / "v1"
PACKAGE = "replicate_kit.v1"

# RPCs with no HTTP operation, and why. (None today: the two APIs are the same surface.)
RPCS_WITHOUT_HTTP: dict[str, str] = {}

# HTTP parameters and the request field that carries them, where the names differ.
PARAMETER_ALIASES: dict[str, str] = {
    "cursor": "page_token",  # the opaque cursor of the page URLs
    "Prefer": "wait_seconds",  # `wait` / `wait=N`
    "Cancel-After": "cancel_after",  # duration string -> google.protobuf.Duration
    "Last-Event-ID": "last_event_id",
}
# Per-operation parameter mapping: the path's owner/name pair is the `owner/name` target string.
OPERATION_PARAMETER_FIELDS: dict[tuple[str, str], str] = {
    ("deployments.predictions.create", "deployment_owner"): "deployment",
    ("deployments.predictions.create", "deployment_name"): "deployment",
    ("models.predictions.create", "model_owner"): "model",
    ("models.predictions.create", "model_name"): "model",
}
PARAMETERS_WITHOUT_FIELD: dict[tuple[str, str], str] = {
    # The HTTP download route is a signed URL usable without a token; the RPC is authorized by the
    # caller's credentials like every other RPC, so the signature triple has no counterpart.
    ("files.download", "owner"): "signed-URL detail",
    ("files.download", "expiry"): "signed-URL detail",
    ("files.download", "signature"): "signed-URL detail",
}
# The server stream's field that every message carries (text/event-stream: one message per event).
STREAM_FIELD = "id"

# OpenAPI component schemas and the message with the same fields.
SCHEMA_TO_MESSAGE: dict[str, str] = {
    "Prediction": "Prediction",
    "PredictionUrls": "PredictionUrls",
    "Training": "Training",
    "TrainingUrls": "TrainingUrls",
    "Model": "Model",
    "ModelVersion": "Version",
    "Account": "Account",
    "Deployment": "Deployment",
    "DeploymentRelease": "DeploymentRelease",
    "DeploymentConfiguration": "DeploymentConfiguration",
    "FileObject": "File",
    "FileUrls": "FileUrls",
    "Hardware": "Hardware",
    "Collection": "Collection",
    "CollectionSummary": "Collection",
    "SearchResults": "SearchResponse",
    "SearchModelHit": "SearchModelResult",
    "SearchModelMetadata": "SearchModelMetadata",
    "SearchCollectionHit": "SearchCollection",
    "SearchPageHit": "SearchPage",
    "WebhookSigningSecret": "GetDefaultWebhookSecretResponse",
    "StreamErrorData": "StreamError",
    "StreamDoneData": "StreamDone",
    "Problem": "Problem",
    "InvalidField": "InvalidField",
    # Request bodies: the RPC request also carries the path parameters and headers.
    "VersionPredictionRequest": "CreatePredictionRequest",
    "PredictionRequest": "CreatePredictionRequest",
    "TrainingRequest": "CreateTrainingRequest",
    "ModelCreateRequest": "CreateModelRequest",
    "ModelUpdateRequest": "UpdateModelRequest",
    "DeploymentCreateRequest": "CreateDeploymentRequest",
    "DeploymentUpdateRequest": "UpdateDeploymentRequest",
    "FileUploadForm": "CreateFileRequest",
}
# Schemas of responses: their messages must not carry fields the HTTP body lacks.
RESPONSE_SCHEMAS = {
    name
    for name in SCHEMA_TO_MESSAGE
    if not name.endswith(("Request", "Form")) and name != "CollectionSummary"
}
# Schemas that are carried by a well-known type instead of a message of their own.
SCHEMA_AS_WELL_KNOWN: dict[str, str] = {
    # Models record metrics of their own besides predict_time/total_time.
    "PredictionMetrics": "google.protobuf.Struct",
    # Whatever train() returned (usually {version, weights}).
    "TrainingOutput": "google.protobuf.Value",
    # Digests keyed by algorithm name.
    "FileChecksums": "map<string, string>",
    # A whole OpenAPI document written by Cog: free-form JSON.
    "CogOpenApiDocument": "google.protobuf.Struct",
}
# String enums that stay strings on the wire; PredictionStatus is a proto enum (see below).
STRING_ENUMS = {"PredictionSource", "WebhookEventType", "Visibility"}
STATUS_ENUM = ("PredictionStatus", "PredictionStatus", "PREDICTION_STATUS_")

# (schema, property) -> proto field name where the names differ.
FIELD_ALIASES: dict[tuple[str, str], str] = {
    # The multipart field is `type`; the RPC uses the File resource's name for the same thing.
    ("FileUploadForm", "type"): "content_type",
}
# Proto fields with no JSON property in the corresponding response body.
PROTO_ONLY_FIELDS: dict[tuple[str, str], str] = {
    # HTTP sends it as the Retry-After header; gRPC has no headers on errors, so the Problem has it.
    ("Problem", "retry_after"): "Retry-After header",
}

SCALAR_TYPES: dict[str, set[int]] = {
    "string": {FieldDescriptor.TYPE_STRING},
    "integer": {FieldDescriptor.TYPE_INT32, FieldDescriptor.TYPE_INT64},
    "number": {FieldDescriptor.TYPE_DOUBLE, FieldDescriptor.TYPE_FLOAT},
    "boolean": {FieldDescriptor.TYPE_BOOL},
}


def _load_generated() -> None:
    for path in sorted(PROTO_DIR.glob("*.proto")):
        name = f"replicate_kit_grpc.v1.{path.stem}_pb2"
        try:
            importlib.import_module(name)
        except ModuleNotFoundError as exc:
            pytest.fail(f"{name} is not generated ({exc}); run `make gen`")


_load_generated()
POOL = descriptor_pool.Default()
SPEC: dict[str, Any] = yaml.safe_load(OPENAPI.read_text())
SCHEMAS: dict[str, Any] = SPEC["components"]["schemas"]


def _resolve(node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        target: Any = SPEC
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        node = target
    return node


def _ref_name(node: dict[str, Any]) -> str | None:
    ref = node.get("$ref")
    return ref.rsplit("/", 1)[-1] if isinstance(ref, str) else None


def _operations() -> Iterator[tuple[str, str, dict[str, Any], list[dict[str, Any]]]]:
    for path, item in SPEC["paths"].items():
        shared = [_resolve(p) for p in item.get("parameters", [])]
        for method, operation in item.items():
            if isinstance(operation, dict) and "operationId" in operation:
                own = [_resolve(p) for p in operation.get("parameters", [])]
                yield operation["operationId"], f"{method.upper()} {path}", operation, shared + own


OPERATIONS = {op_id: (route, op, params) for op_id, route, op, params in _operations()}
BASE_PATH = "/" + SPEC["servers"][0]["url"].split("://", 1)[-1].split("/", 1)[1].strip("/")


def _shape(path: str) -> tuple[str, ...]:
    """Path segments with every variable as `*`: `{a}` is one segment, `{a=*/*}` two."""
    out: list[str] = []
    for segment in re.sub(r"\{\w+=([^}]*)\}", r"\1", path).strip("/").split("/"):
        out.append("*" if segment.startswith("{") else segment)
    return tuple(out)


def _bindings() -> Iterator[tuple[str, str, str, Any]]:
    """(RPC, method, path, rule) of every `google.api.http` binding in the descriptors."""
    for path in sorted(PROTO_DIR.glob("*.proto")):
        file = POOL.FindFileByName(f"replicate_kit/v1/{path.name}")
        for service in file.services_by_name.values():
            for method in service.methods:
                rule = method.GetOptions().Extensions[annotations_pb2.http]
                for binding in [rule, *rule.additional_bindings]:
                    pattern = binding.WhichOneof("pattern")
                    if pattern is None:
                        continue
                    if pattern == "custom":
                        verb, template = binding.custom.kind, binding.custom.path
                    else:
                        verb, template = pattern.upper(), getattr(binding, pattern)
                    yield f"{service.name}.{method.name}", verb, template, binding


def _operation_routes() -> dict[tuple[str, tuple[str, ...]], str]:
    routes: dict[tuple[str, tuple[str, ...]], str] = {}
    for op_id, (route, _, _) in OPERATIONS.items():
        method, path = route.split(" ", 1)
        verb = "QUERY" if method == "X-QUERY" else method
        routes[(verb, _shape(BASE_PATH + path))] = op_id
    return routes


BINDINGS = list(_bindings())
ROUTE_TO_OPERATION = _operation_routes()
# Every HTTP operationId and the RPC bound to its method and path.
OPERATION_TO_RPC: dict[str, str] = {
    ROUTE_TO_OPERATION[(verb, _shape(path))]: rpc
    for rpc, verb, path, _ in BINDINGS
    if (verb, _shape(path)) in ROUTE_TO_OPERATION
}
# The binding's `body` and `response_body`: "*" / "" or the one field that is the whole body.
OPERATION_RULE: dict[str, Any] = {
    ROUTE_TO_OPERATION[(verb, _shape(path))]: rule
    for _, verb, path, rule in BINDINGS
    if (verb, _shape(path)) in ROUTE_TO_OPERATION
}


def _method(rpc: str) -> MethodDescriptor:
    service, method = rpc.split(".")
    return POOL.FindServiceByName(f"{PACKAGE}.{service}").methods_by_name[method]


def _message(name: str) -> Descriptor:
    return POOL.FindMessageTypeByName(f"{PACKAGE}.{name}")


def _all_rpcs() -> set[str]:
    rpcs: set[str] = set()
    for path in sorted(PROTO_DIR.glob("*.proto")):
        file = POOL.FindFileByName(f"replicate_kit/v1/{path.name}")
        for service in file.services_by_name.values():
            rpcs.update(f"{service.name}.{method}" for method in service.methods_by_name)
    return rpcs


def _unwrap(node: dict[str, Any]) -> tuple[dict[str, Any], bool]:
    """The schema without its null alternative, and whether null was allowed."""
    variants = node.get("oneOf") or node.get("anyOf")
    if variants:
        others = [v for v in variants if v.get("type") != "null"]
        if len(others) == 1 and len(others) < len(variants):
            return others[0], True
    kind = node.get("type")
    if isinstance(kind, list) and "null" in kind:
        rest = [k for k in kind if k != "null"]
        return {**node, "type": rest[0] if len(rest) == 1 else rest}, True
    return node, False


def _type_problem(
    schema: dict[str, Any], field: FieldDescriptor, *, item: bool = False
) -> str | None:
    """Why `field` cannot carry values of `schema`, or None when it can."""
    node, nullable = _unwrap(schema)
    if nullable and not item and not (field.has_presence or field.is_repeated):
        return "nullable in JSON but the field has no presence (use `optional` or a message)"
    ref = _ref_name(node)
    message = field.message_type
    is_map = message is not None and message.GetOptions().map_entry
    if field.is_repeated and not item and not is_map:
        if node.get("type") != "array":
            return "repeated field for a non-array property"
        return _type_problem(node["items"], field, item=True)
    if ref in SCHEMA_TO_MESSAGE:
        expected = f"{PACKAGE}.{SCHEMA_TO_MESSAGE[ref]}"
        actual = message.full_name if message else field.type
        return None if actual == expected else f"expected {expected}, got {actual}"
    if ref == STATUS_ENUM[0]:
        enum = field.enum_type
        ok = enum is not None and enum.full_name == f"{PACKAGE}.{STATUS_ENUM[1]}"
        return None if ok else "expected the PredictionStatus enum"
    if ref in STRING_ENUMS or (ref is not None and _is_constrained_string(SCHEMAS[ref])):
        return None if field.type == FieldDescriptor.TYPE_STRING else "expected a string"
    if ref == "FileChecksums":
        if message is None or not is_map:
            return "expected map<string, string>"
        ok = all(f.type == FieldDescriptor.TYPE_STRING for f in message.fields)
        return None if ok else "expected map<string, string>"
    if ref in SCHEMA_AS_WELL_KNOWN:
        expected = SCHEMA_AS_WELL_KNOWN[ref]
        return None if message and message.full_name == expected else f"expected {expected}"
    if ref is not None:
        return f"schema {ref} has no mapping in this test"
    kind = node.get("type")
    if kind is None:  # any JSON value
        ok = message is not None and message.full_name == "google.protobuf.Value"
        return None if ok else "expected google.protobuf.Value"
    if kind == "array":
        return "array property but the field is not repeated"
    if kind == "object":
        ok = message is not None and message.full_name == "google.protobuf.Struct"
        return None if ok else "expected google.protobuf.Struct"
    if kind == "string" and node.get("format") == "date-time":
        ok = message is not None and message.full_name == "google.protobuf.Timestamp"
        return None if ok else "expected google.protobuf.Timestamp"
    if kind == "string" and node.get("format") == "binary":
        return None if field.type == FieldDescriptor.TYPE_BYTES else "expected bytes"
    if kind in SCALAR_TYPES:
        return None if field.type in SCALAR_TYPES[kind] else f"expected a {kind} field"
    return f"unhandled schema {node}"


# --- operations ------------------------------------------------------------------------------


def test_every_http_operation_has_exactly_one_rpc_binding() -> None:
    bound: dict[str, list[str]] = {}
    for rpc, verb, path, _ in BINDINGS:
        op_id = ROUTE_TO_OPERATION.get((verb, _shape(path)))
        assert op_id is not None, f"{rpc}: {verb} {path} is no OpenAPI operation"
        bound.setdefault(op_id, []).append(rpc)
    missing = sorted(set(OPERATIONS) - set(bound))
    assert not missing, f"HTTP operations without a google.api.http binding: {missing}"
    twice = {op_id: rpcs for op_id, rpcs in bound.items() if len(rpcs) > 1}
    assert not twice, f"operations bound by several RPCs: {twice}"


def test_generated_table_agrees_with_the_descriptors() -> None:
    table = {op.id: op.rpc.name for op in TABLE.values() if op.rpc is not None}
    assert table == OPERATION_TO_RPC
    for op_id, (route, _, _) in OPERATIONS.items():
        method, path = route.split(" ", 1)
        assert (TABLE[op_id].method, TABLE[op_id].path) == (method.replace("X-", ""), path)


def test_every_rpc_maps_to_an_http_operation() -> None:
    mapped = set(OPERATION_TO_RPC.values()) | set(RPCS_WITHOUT_HTTP)
    assert not sorted(_all_rpcs() - mapped), "RPCs without an HTTP operation"
    assert not sorted(mapped - _all_rpcs()), "RPCS_WITHOUT_HTTP lists RPCs the proto lacks"


@pytest.mark.parametrize("op_id", sorted(OPERATION_TO_RPC))
def test_parameters_map_to_request_fields(op_id: str) -> None:
    _, _, params = OPERATIONS[op_id]
    request = _method(OPERATION_TO_RPC[op_id]).input_type
    for param in params:
        key = (op_id, param["name"])
        if param["in"] == "header" and param["name"].lower() == "authorization":
            continue
        if key in PARAMETERS_WITHOUT_FIELD:
            continue
        field = OPERATION_PARAMETER_FIELDS.get(key) or PARAMETER_ALIASES.get(param["name"])
        field = field or param["name"]
        assert field in request.fields_by_name, (
            f"{op_id}: {param['name']} -> {request.name}.{field}"
        )


@pytest.mark.parametrize("op_id", sorted(OPERATION_TO_RPC))
def test_request_body_maps_to_the_request_message(op_id: str) -> None:
    _, operation, _ = OPERATIONS[op_id]
    request = _method(OPERATION_TO_RPC[op_id]).input_type
    body = operation.get("requestBody")
    rule = OPERATION_RULE[op_id]
    if body is None:
        assert rule.body in ("", "*"), f"{op_id}: no HTTP body, but the binding names one"
        return
    for media_type, content in _resolve(body)["content"].items():
        ref = _ref_name(content["schema"])
        if ref is None:
            assert media_type == "text/plain", f"{op_id}: inline {media_type} body"
            assert rule.body in request.fields_by_name, f"{op_id}: binding body {rule.body!r}"
        else:
            assert rule.body == "*", f"{op_id}: a JSON or form body binds every field"
            assert SCHEMA_TO_MESSAGE[ref] == request.name, f"{op_id}: {ref} vs {request.name}"


def _success_responses(operation: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {
        code: _resolve(response)
        for code, response in operation["responses"].items()
        if str(code).startswith("2")
    }


@pytest.mark.parametrize("op_id", sorted(OPERATION_TO_RPC))
def test_response_body_maps_to_the_response_message(op_id: str) -> None:
    _, operation, _ = OPERATIONS[op_id]
    method = _method(OPERATION_TO_RPC[op_id])
    response = method.output_type
    for code, success in _success_responses(operation).items():
        content = success.get("content", {})
        if not content:
            assert not response.fields, f"{op_id} {code} has no body but {response.name} has fields"
            continue
        for media_type, media in content.items():
            if media_type != "application/json":
                streaming = media_type == "text/event-stream"
                assert method.server_streaming == streaming, op_id
                field = STREAM_FIELD if streaming else OPERATION_RULE[op_id].response_body
                assert field in response.fields_by_name, f"{op_id}: response field {field!r}"
                continue
            schema = media["schema"]
            ref = _ref_name(schema)
            resolved = _resolve(schema)
            if ref in SCHEMA_TO_MESSAGE and SCHEMA_TO_MESSAGE[ref] == response.name:
                continue  # the response message is the body itself
            props = resolved.get("properties", {})
            if resolved.get("type") == "array" or set(props) == {"next", "previous", "results"}:
                items = (
                    resolved["items"]
                    if resolved.get("type") == "array"
                    else props["results"]["items"]
                )
                item_message = f"{PACKAGE}.{SCHEMA_TO_MESSAGE[_ref_name(items) or '']}"
                repeated = [
                    f
                    for f in response.fields
                    if f.is_repeated and f.message_type and f.message_type.full_name == item_message
                ]
                assert len(repeated) == 1, f"{op_id}: {response.name} lacks repeated {item_message}"
                if props:
                    tokens = {"next_page_token", "previous_page_token"}
                    assert tokens <= set(response.fields_by_name), f"{op_id}: page tokens"
                continue
            assert ref in SCHEMA_TO_MESSAGE, f"{op_id}: unmapped response schema {ref}"
            expected = f"{PACKAGE}.{SCHEMA_TO_MESSAGE[ref]}"
            fields = [f.message_type.full_name if f.message_type else None for f in response.fields]
            assert fields == [expected], f"{op_id}: {response.name} should wrap one {expected}"


def test_sse_events_are_the_stream_response_oneof() -> None:
    _, operation, _ = OPERATIONS["predictions.stream"]
    stream = _resolve(operation["responses"]["200"])["content"]["text/event-stream"]["schema"]
    events = {
        _resolve(v)["properties"]["event"]["const"]: _resolve(v)["properties"]["data"]
        for v in _resolve(stream)["oneOf"]
    }
    response = _method(OPERATION_TO_RPC["predictions.stream"]).output_type
    oneof = response.oneofs_by_name["event"]
    assert {f.name for f in oneof.fields} == set(events)
    for name, data in events.items():
        field = response.fields_by_name[name]
        if "contentSchema" not in data:
            assert field.type == FieldDescriptor.TYPE_STRING, name
        else:
            expected = f"{PACKAGE}.{SCHEMA_TO_MESSAGE[_ref_name(data['contentSchema']) or '']}"
            assert field.message_type is not None, name
            assert field.message_type.full_name == expected, name
    assert response.fields_by_name["id"].type == FieldDescriptor.TYPE_STRING


# --- schemas ---------------------------------------------------------------------------------


def _is_sse_frame(name: str) -> bool:
    """An SSE event of the stream (StreamEvent and its variants): one oneof branch of the RPC's
    response message each, checked by test_sse_events_are_the_stream_response_oneof."""
    return name.startswith("Stream") and name.endswith("Event")


def _is_constrained_string(schema: dict[str, Any]) -> bool:
    """A named string format (a URL, a name, an id): a string field, no message of its own."""
    return schema.get("type") == "string" and "enum" not in schema


def _is_page(schema: dict[str, Any]) -> bool:
    return set(schema.get("properties", {})) == {"next", "previous", "results"}


def test_every_component_schema_is_accounted_for() -> None:
    unaccounted = [
        name
        for name, schema in SCHEMAS.items()
        if name not in SCHEMA_TO_MESSAGE
        and name not in SCHEMA_AS_WELL_KNOWN
        and name not in STRING_ENUMS
        and name != STATUS_ENUM[0]
        and not _is_page(schema)
        and not _is_constrained_string(schema)
        and not _is_sse_frame(name)
    ]
    assert not unaccounted, f"map these schemas to messages (or document why not): {unaccounted}"


@pytest.mark.parametrize("schema_name", sorted(SCHEMA_TO_MESSAGE))
def test_schema_properties_have_same_named_fields_of_compatible_types(schema_name: str) -> None:
    schema = SCHEMAS[schema_name]
    message = _message(SCHEMA_TO_MESSAGE[schema_name])
    problems = []
    for prop, prop_schema in schema["properties"].items():
        field_name = FIELD_ALIASES.get((schema_name, prop), prop)
        field = message.fields_by_name.get(field_name)
        if field is None:
            problems.append(f"{prop}: no field {message.name}.{field_name}")
            continue
        problem = _type_problem(prop_schema, field)
        if problem:
            problems.append(f"{prop}: {problem}")
    assert not problems, f"{schema_name} vs {message.name}: {problems}"


@pytest.mark.parametrize("schema_name", sorted(RESPONSE_SCHEMAS))
def test_response_messages_carry_no_fields_the_http_body_lacks(schema_name: str) -> None:
    schema = SCHEMAS[schema_name]
    message = _message(SCHEMA_TO_MESSAGE[schema_name])
    extra = {
        field.name
        for field in message.fields
        if field.name not in schema["properties"]
        and (schema_name, field.name) not in PROTO_ONLY_FIELDS
    }
    assert not extra, f"{message.name} has fields {schema_name} lacks: {sorted(extra)}"


def test_status_enum_values_match_the_http_strings() -> None:
    http_values = SCHEMAS[STATUS_ENUM[0]]["enum"]
    enum = POOL.FindEnumTypeByName(f"{PACKAGE}.{STATUS_ENUM[1]}")
    proto_values = [v.name for v in enum.values if v.number != 0]
    assert proto_values == [STATUS_ENUM[2] + value.upper() for value in http_values]


def test_documented_exceptions_refer_to_real_things() -> None:
    for op_id, param in PARAMETERS_WITHOUT_FIELD:
        assert param in {p["name"] for p in OPERATIONS[op_id][2]}, (op_id, param)
    for (schema_name, prop), field in FIELD_ALIASES.items():
        assert prop in SCHEMAS[schema_name]["properties"], (schema_name, prop)
        assert field in _message(SCHEMA_TO_MESSAGE[schema_name]).fields_by_name
    for schema_name, field in PROTO_ONLY_FIELDS:
        assert field in _message(SCHEMA_TO_MESSAGE[schema_name]).fields_by_name
    for name in SCHEMA_AS_WELL_KNOWN:
        assert name in SCHEMAS
