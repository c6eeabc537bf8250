"""Emit the operation table (`generated/python/replicate_api_table`) from the schemas.

One row per OpenAPI operation: method, path template, parameters, request body kind, success
statuses, response schema, pagination and retry class (`x-retry`), plus the RPC whose
`google.api.http` binding has the same method and path. The bindings are read from the
descriptors protoc compiles from proto/, so the proto annotation is the only place an RPC's
route is written. Everything above the stubs (HTTP transport, gRPC codec, the mock's gRPC
adapter) reads this table instead of restating routes.

The generator fails, with a message naming the operation, when the spec lacks something the table
needs (`x-retry`), when a binding matches no operation, or when an operation has two bindings.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml
from google.api import annotations_pb2, http_pb2  # type: ignore[import-untyped]
from google.protobuf import descriptor_pb2

PACKAGE = "replicate_api_table"
RETRY_CLASSES = ("idempotent", "never", "reconcile")
BODY_KINDS = {
    "application/json": "json",
    "multipart/form-data": "multipart",
    "text/plain": "text",
}
# OpenAPI before 3.2 has no QUERY method: the spec keeps that operation under this extension.
METHOD_KEYS = {
    "get": "GET",
    "put": "PUT",
    "post": "POST",
    "delete": "DELETE",
    "patch": "PATCH",
    "x-query": "QUERY",
}
_VARIABLE = re.compile(r"^\{(\w+)(?:=([^}]*))?\}$")


class GenError(SystemExit):
    def __init__(self, message: str) -> None:
        super().__init__(f"gen: {message}")


@dataclass(frozen=True)
class Binding:
    service: str
    method: str
    verb: str
    path: str
    body: str
    response_body: str


# ------------------------------------------------------------------------------ proto side
def http_bindings(proto_root: Path, proto_package_dir: Path) -> list[Binding]:
    """Every `google.api.http` binding (primary and additional) of the RPCs under proto_root."""
    protos = sorted(
        str(p.relative_to(proto_root)) for p in (proto_root / proto_package_dir).glob("*.proto")
    )
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "descriptors.pb"
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "grpc_tools.protoc",
                f"--proto_path={proto_root}",
                f"--descriptor_set_out={out}",
                *protos,
            ],
            cwd=proto_root,
            capture_output=True,
            text=True,
        )
        if result.returncode != 0:
            raise GenError(f"protoc failed:\n{result.stdout}{result.stderr}")
        files = descriptor_pb2.FileDescriptorSet.FromString(out.read_bytes()).file
    bindings: list[Binding] = []
    for file in files:
        for service in file.service:
            full = f"{file.package}.{service.name}"
            for method in service.method:
                rule = method.options.Extensions[annotations_pb2.http]
                rules = [rule, *rule.additional_bindings] if rule.WhichOneof("pattern") else []
                bindings.extend(_binding(full, method.name, r) for r in rules)
    return bindings


def _binding(service: str, method: str, rule: http_pb2.HttpRule) -> Binding:
    pattern = rule.WhichOneof("pattern")
    if pattern == "custom":
        verb, path = rule.custom.kind.upper(), rule.custom.path
    else:
        verb, path = pattern.upper(), getattr(rule, pattern)
    return Binding(service, method, verb, path, rule.body, rule.response_body)


def _rule_shape(path: str) -> tuple[list[str], list[tuple[str, int, int]]]:
    """Segments with `*` for variables, and (field, first segment, segment count) per variable."""
    segments: list[str] = []
    variables: list[tuple[str, int, int]] = []
    for token in _tokens(path):
        match = _VARIABLE.match(token)
        if match is None:
            segments.append(token)
            continue
        field, sub = match.group(1), match.group(2) or "*"
        parts = sub.split("/")
        if any(p != "*" for p in parts):
            raise GenError(f"{path}: only `*` segments are supported in variables")
        variables.append((field, len(segments), len(parts)))
        segments.extend(parts)
    return segments, variables


def _tokens(path: str) -> Iterator[str]:
    """Path segments, keeping a `{field=*/*}` variable whole."""
    depth, current = 0, ""
    for char in path.strip("/"):
        if char == "/" and depth == 0:
            yield current
            current = ""
            continue
        depth += {"{": 1, "}": -1}.get(char, 0)
        current += char
    yield current


# ---------------------------------------------------------------------------- OpenAPI side
def _resolve(spec: dict[str, Any], node: Any) -> Any:
    while isinstance(node, dict) and "$ref" in node:
        target: Any = spec
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        node = target
    return node


def _ref_name(node: Any) -> str | None:
    ref = node.get("$ref") if isinstance(node, dict) else None
    return ref.rsplit("/", 1)[-1] if isinstance(ref, str) else None


def _is_page(spec: dict[str, Any], schema: Any) -> bool:
    props = _resolve(spec, schema).get("properties", {})
    return set(props) == {"next", "previous", "results"}


def operations(spec: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for path, item in spec["paths"].items():
        shared = [_resolve(spec, p) for p in item.get("parameters", [])]
        for key, op in item.items():
            if key not in METHOD_KEYS or not isinstance(op, dict):
                continue
            op_id = op.get("operationId")
            if not op_id:
                raise GenError(f"{METHOD_KEYS[key]} {path} has no operationId")
            own = [_resolve(spec, p) for p in op.get("parameters", [])]
            # An operation's parameter overrides the path item's one of the same name and place.
            merged = {(p["name"], p["in"]): p for p in [*shared, *own]}
            yield _row(spec, op_id, METHOD_KEYS[key], path, op, list(merged.values()))


def _row(
    spec: dict[str, Any],
    op_id: str,
    method: str,
    path: str,
    op: dict[str, Any],
    params: list[dict[str, Any]],
) -> dict[str, Any]:
    retry = op.get("x-retry")
    if retry not in RETRY_CLASSES:
        raise GenError(f"{op_id}: x-retry must be one of {', '.join(RETRY_CLASSES)}, not {retry!r}")
    body = "none"
    if "requestBody" in op:
        media = list(_resolve(spec, op["requestBody"]).get("content", {}))
        kinds = {BODY_KINDS.get(m) for m in media}
        if len(kinds) != 1 or None in kinds:
            raise GenError(f"{op_id}: unsupported request body media types {media}")
        body = kinds.pop() or "none"
    success = sorted(int(code) for code in op["responses"] if str(code).startswith("2"))
    if not success:
        raise GenError(f"{op_id}: no 2xx response")
    content = _resolve(spec, op["responses"][str(success[0])]).get("content", {})
    media_type = next(iter(content), "")
    schema = content.get(media_type, {}).get("schema", {})
    response_schema = _ref_name(schema)
    if response_schema is None and schema.get("type") == "array":
        response_schema = _ref_name(schema.get("items", {}))
    return {
        "id": op_id,
        "method": method,
        "path": path,
        "parameters": tuple(
            (p["name"], p["in"], bool(p.get("required", False)))
            for p in params
            if p["in"] in ("path", "query", "header")
        ),
        "body": body,
        "success": tuple(success),
        "response_schema": response_schema,
        "response_media": media_type,
        "paginated": media_type == "application/json" and _is_page(spec, schema),
        "retry": retry,
    }


def _openapi_shape(path: str) -> tuple[list[str], list[str]]:
    segments: list[str] = []
    names: list[str] = []
    for token in path.strip("/").split("/"):
        match = _VARIABLE.match(token)
        segments.append("*" if match else token)
        names.append(match.group(1) if match else "")
    return segments, names


# ---------------------------------------------------------------------------------- join
def join(
    rows: list[dict[str, Any]], bindings: list[Binding], base_path: str
) -> list[dict[str, Any]]:
    """Attach to each row the one binding with its method and path (or None)."""
    by_route: dict[tuple[str, tuple[str, ...]], dict[str, Any]] = {}
    for row in rows:
        segments, _ = _openapi_shape(base_path + row["path"])
        by_route[(row["method"], tuple(segments))] = row
        row["rpc"] = None
    for binding in bindings:
        segments, variables = _rule_shape(binding.path)
        row = by_route.get((binding.verb, tuple(segments)))
        name = f"{binding.service}.{binding.method}"
        if row is None:
            raise GenError(f"{name}: {binding.verb} {binding.path} is no OpenAPI operation")
        if row["rpc"] is not None:
            raise GenError(f"{row['id']} has two RPC bindings: {row['rpc'][:2]} and {name}")
        _, names = _openapi_shape(base_path + row["path"])
        path_fields = tuple(
            (field, tuple(names[start : start + count])) for field, start, count in variables
        )
        row["rpc"] = (
            binding.service,
            binding.method,
            binding.path,
            binding.body,
            binding.response_body,
            path_fields,
        )
    return rows


# ---------------------------------------------------------------------------------- emit
HEADER = '''\
"""The operation table: one row per operation of the HTTP API and its RPC.

Generated by scripts/gen_table.py from openapi/replicate.openapi.yaml and the `google.api.http`
annotations in proto/. Do not edit: change the schemas and run `make gen`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Literal

#: `x-retry`: when a failed request may be sent again (see the spec's info.description).
RetryClass = Literal["idempotent", "never", "reconcile"]
BodyKind = Literal["json", "multipart", "text", "none"]
Location = Literal["path", "query", "header"]


@dataclass(frozen=True, slots=True)
class Parameter:
    name: str
    location: Location
    required: bool


@dataclass(frozen=True, slots=True)
class Rpc:
    """The RPC bound to an operation by its `google.api.http` rule."""

    #: Full service name, e.g. `replicate_kit.v1.PredictionService`.
    service: str
    method: str
    #: The rule's path template, e.g. `/v1/models/{model=*/*}/predictions`.
    template: str
    #: `*` (every field not in the path), one request field, or "" (no body).
    body: str
    #: The response field that is the whole HTTP body, or "" for the message itself.
    response_body: str
    #: Request field -> the HTTP path parameters it spans, joined with "/".
    path_fields: tuple[tuple[str, tuple[str, ...]], ...]

    @property
    def name(self) -> str:
        """`Service.Method`, the service without its package."""
        return f"{self.service.rsplit('.', 1)[-1]}.{self.method}"


@dataclass(frozen=True, slots=True)
class Operation:
    id: str
    #: Upper case; `QUERY` for the spec's `x-query` operation.
    method: str
    #: Path template relative to BASE_PATH, with `{parameter}` placeholders.
    path: str
    parameters: tuple[Parameter, ...]
    body: BodyKind
    success: tuple[int, ...]
    #: Component schema of the success body (of its items for a JSON array), if any.
    response_schema: str | None
    #: Media type of the success body; "" when it has none.
    response_media: str
    paginated: bool
    retry: RetryClass
    rpc: Rpc | None


'''


def emit(rows: list[dict[str, Any]], base_path: str) -> str:
    lines = [
        HEADER,
        f"BASE_PATH = {base_path!r}",
        "",
        "OPERATIONS: Mapping[str, Operation] = MappingProxyType({",
    ]
    for row in sorted(rows, key=lambda r: r["id"]):
        params = ", ".join(
            f"Parameter({n!r}, {loc!r}, {req!r})" for n, loc, req in row["parameters"]
        )
        rpc = "None"
        if row["rpc"] is not None:
            service, method, template, body, response_body, path_fields = row["rpc"]
            rpc = (
                f"Rpc({service!r}, {method!r}, {template!r}, {body!r}, {response_body!r}, "
                f"{path_fields!r})"
            )
        lines.append(
            f"    {row['id']!r}: Operation({row['id']!r}, {row['method']!r}, {row['path']!r}, "
            f"({params}{',' if len(row['parameters']) == 1 else ''}), {row['body']!r}, "
            f"{row['success']!r}, {row['response_schema']!r}, {row['response_media']!r}, "
            f"{row['paginated']!r}, {row['retry']!r}, {rpc}),"
        )
    lines.append("})")
    return "\n".join(lines) + "\n"


def generate(openapi: Path, proto_root: Path, proto_package_dir: Path) -> str:
    """The table module's source text."""
    spec = yaml.safe_load(openapi.read_text())
    base_path = urlsplit(spec["servers"][0]["url"]).path.rstrip("/")
    rows = join(list(operations(spec)), http_bindings(proto_root, proto_package_dir), base_path)
    return emit(rows, base_path)
