"""Reading a version's Cog output schema, and wrapping file outputs. Pure."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any


def output_schema(openapi_schema: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """``components.schemas.Output`` of a version's OpenAPI document (refs resolved)."""
    if not isinstance(openapi_schema, Mapping):
        return None
    schemas = openapi_schema.get("components", {}).get("schemas", {})
    output = schemas.get("Output") if isinstance(schemas, Mapping) else None
    if not isinstance(output, Mapping):
        return None
    resolved: dict[str, Any] = _resolve(dict(output), schemas, depth=0)
    return resolved


def _resolve(node: Any, schemas: Mapping[str, Any], depth: int) -> Any:
    if depth > 20:
        return node
    if isinstance(node, Mapping):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/components/schemas/"):
            target = schemas.get(ref.rsplit("/", 1)[1])
            if isinstance(target, Mapping):
                merged = {**target, **{k: v for k, v in node.items() if k != "$ref"}}
                return _resolve(merged, schemas, depth + 1)
        return {k: _resolve(v, schemas, depth + 1) for k, v in node.items()}
    if isinstance(node, list):
        return [_resolve(v, schemas, depth + 1) for v in node]
    return node


def is_iterator(schema: Mapping[str, Any] | None) -> bool:
    """True for ``Iterator[T]`` / ``ConcatenateIterator`` outputs."""
    return bool(
        schema and schema.get("type") == "array" and schema.get("x-cog-array-type") == "iterator"
    )


def looks_like_file(value: str) -> bool:
    """Fallback rule when no schema is known: ``https:`` and ``data:`` strings are files."""
    return value.startswith(("https:", "data:"))


def _is_uri(schema: Any) -> bool:
    return isinstance(schema, Mapping) and schema.get("format") == "uri"


def _sub(schema: Any, key: str) -> Any:
    return schema.get(key) if isinstance(schema, Mapping) else None


def _variants(schema: Any) -> list[Any]:
    if not isinstance(schema, Mapping):
        return []
    out: list[Any] = []
    for key in ("allOf", "anyOf", "oneOf"):
        options = schema.get(key)
        if isinstance(options, list):
            out.extend(options)
    return out


def transform(
    value: Any,
    schema: Mapping[str, Any] | None,
    wrap: Callable[[str], Any],
) -> Any:
    """Replace file URLs inside ``value`` with ``wrap(url)``.

    With a schema, strings typed ``format: uri`` are wrapped (so ``http://``
    URLs from a local server work too). Where the schema says nothing, the
    ``https:``/``data:`` prefix rule of the official client applies.
    """

    def walk(node: Any, sch: Any) -> Any:
        if sch is not None and not isinstance(sch, Mapping):
            sch = None
        if sch is not None and not _is_uri(sch) and any(_is_uri(v) for v in _variants(sch)):
            sch = {"format": "uri"}
        if isinstance(node, str):
            if sch is not None and (_is_uri(sch) or sch.get("type") == "string"):
                return wrap(node) if _is_uri(sch) else node
            return wrap(node) if looks_like_file(node) else node
        if isinstance(node, list):
            item_schema = _sub(sch, "items")
            return [walk(item, item_schema) for item in node]
        if isinstance(node, dict):
            props = _sub(sch, "properties")
            extra = _sub(sch, "additionalProperties")
            return {
                k: walk(v, props.get(k) if isinstance(props, Mapping) and k in props else extra)
                for k, v in node.items()
            }
        return node

    return walk(value, schema)


def item_schema(schema: Mapping[str, Any] | None) -> Mapping[str, Any] | None:
    """Schema of one element of an array output."""
    items = _sub(schema, "items")
    return items if isinstance(items, Mapping) else None
