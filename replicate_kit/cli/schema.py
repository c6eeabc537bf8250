"""Reading a version's Cog OpenAPI document: input fields and the output schema. Pure."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class ModelSchema:
    """What the CLI needs from a version: typed input fields and the output shape."""

    inputs: dict[str, dict[str, Any]]
    required: tuple[str, ...] = ()
    output: dict[str, Any] | None = None

    @classmethod
    def from_openapi(cls, document: Mapping[str, Any] | None) -> ModelSchema | None:
        if not isinstance(document, Mapping):
            return None
        components = document.get("components")
        schemas = components.get("schemas") if isinstance(components, Mapping) else None
        if not isinstance(schemas, Mapping):
            return None
        raw_input = schemas.get("Input")
        if not isinstance(raw_input, Mapping):
            return None
        resolved = resolve(raw_input, schemas)
        props = resolved.get("properties")
        inputs = {
            str(k): dict(v)
            for k, v in (props.items() if isinstance(props, Mapping) else ())
            if isinstance(v, Mapping)
        }
        required = resolved.get("required")
        raw_output = schemas.get("Output")
        output = resolve(raw_output, schemas) if isinstance(raw_output, Mapping) else None
        return cls(
            inputs=inputs,
            required=tuple(str(r) for r in required) if isinstance(required, list) else (),
            output=output,
        )

    def field(self, name: str) -> dict[str, Any] | None:
        return self.inputs.get(name)

    def ordered_inputs(self) -> list[tuple[str, dict[str, Any]]]:
        """Fields in Cog's declared order (``x-order``)."""
        return sorted(self.inputs.items(), key=lambda kv: (kv[1].get("x-order", 1 << 30), kv[0]))


def resolve(node: Mapping[str, Any], schemas: Mapping[str, Any], depth: int = 0) -> dict[str, Any]:
    """Inline ``$ref`` and single-entry ``allOf`` (Cog's enum encoding), recursively."""
    out: dict[str, Any] = {}
    if depth > 20:
        return dict(node)
    ref = node.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/components/schemas/"):
        target = schemas.get(ref.rsplit("/", 1)[1])
        if isinstance(target, Mapping):
            out.update(resolve(target, schemas, depth + 1))
    for key, value in node.items():
        if key == "$ref":
            continue
        if key == "allOf" and isinstance(value, list):
            for part in value:
                if isinstance(part, Mapping):
                    out.update(resolve(part, schemas, depth + 1))
            continue
        out[key] = _resolve_any(value, schemas, depth + 1)
    return out


def _resolve_any(value: Any, schemas: Mapping[str, Any], depth: int) -> Any:
    if isinstance(value, Mapping):
        return resolve(value, schemas, depth)
    if isinstance(value, list):
        return [_resolve_any(v, schemas, depth) for v in value]
    return value


def field_type(spec: Mapping[str, Any]) -> str | None:
    """The JSON type of a field (``anyOf`` with null counts as the non-null type)."""
    kind = spec.get("type")
    if isinstance(kind, str):
        return kind
    if isinstance(kind, list):
        kinds = [k for k in kind if k != "null"]
        return kinds[0] if len(kinds) == 1 and isinstance(kinds[0], str) else None
    for key in ("anyOf", "oneOf"):
        options = spec.get(key)
        if isinstance(options, list):
            kinds = [o.get("type") for o in options if isinstance(o, Mapping)]
            kinds = [k for k in kinds if k != "null"]
            if len(kinds) == 1 and isinstance(kinds[0], str):
                return kinds[0]
    return None


def is_file_field(spec: Mapping[str, Any]) -> bool:
    return spec.get("format") == "uri" and field_type(spec) in ("string", None)


def describe_type(spec: Mapping[str, Any]) -> str:
    """A short type label for help tables: ``integer``, ``file``, ``one of: a, b``."""
    choices = spec.get("enum")
    if isinstance(choices, list) and choices:
        return "one of: " + ", ".join(str(c) for c in choices)
    if is_file_field(spec):
        return "file"
    kind = field_type(spec) or "any"
    if kind == "array":
        items = spec.get("items")
        inner = describe_type(items) if isinstance(items, Mapping) else "any"
        return f"list of {inner}"
    return kind
