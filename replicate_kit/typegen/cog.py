"""Read a version's Cog OpenAPI document into :mod:`replicate_kit.typegen.ir` values.

Schemas come in the shapes Cog publishes: enums behind ``allOf: [{$ref}]``, properties ordered
by ``x-order``, files as ``format: uri``, token streams as ``x-cog-array-type: iterator``,
OpenAPI 3.0 ``nullable`` and 3.1 ``type: [..., "null"]``. Whatever cannot be typed becomes
``Untyped`` with the reason, never an exception: one odd field must not cost a model its types.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

from replicate_kit.typegen import ir

_SCALARS = {"string": "str", "integer": "int", "number": "float", "boolean": "bool"}
# Reported in docstrings, in this order.
_CONSTRAINTS = (
    "minimum",
    "exclusiveMinimum",
    "maximum",
    "exclusiveMaximum",
    "minLength",
    "maxLength",
    "pattern",
    "minItems",
    "maxItems",
)
_MAX_DEPTH = 32


class SchemaError(ValueError):
    """The document has no Cog ``Input`` schema to read."""


def schema_hash(document: Mapping[str, Any]) -> str:
    """sha256 of the document's canonical JSON: the same schema always gives the same hash."""
    canonical = json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def read_version(
    owner: str,
    name: str,
    version: str,
    document: Mapping[str, Any] | None,
    description: str | None = None,
) -> ir.ModelTypes:
    """The types of one version, from its ``openapi_schema``."""
    if not isinstance(document, Mapping):
        raise SchemaError(f"{owner}/{name}:{version} has no OpenAPI schema")
    schemas = document.get("components", {}).get("schemas")
    if not isinstance(schemas, Mapping) or not isinstance(schemas.get("Input"), Mapping):
        raise SchemaError(
            f"{owner}/{name}:{version}: the schema has no components.schemas.Input object"
        )
    reader = _Reader(schemas)
    inputs = reader.fields(schemas["Input"], ordered=True)
    output_schema = schemas.get("Output")
    output: ir.TypeNode
    if isinstance(output_schema, Mapping):
        output = reader.type_of(output_schema, "Output", top_output=True)
    else:
        output = ir.Untyped("the schema has no Output component")
    return ir.ModelTypes(
        owner=owner,
        name=name,
        version=version,
        schema_hash=schema_hash(document),
        inputs=inputs,
        output=output,
        description=description,
        enums=tuple(reader.enums.values()),
    )


class _Reader:
    def __init__(self, schemas: Mapping[str, Any]) -> None:
        self.schemas = schemas
        self.enums: dict[str, ir.Enum] = {}  # by component name, in order of first use
        self._depth = 0

    def resolve(self, node: Mapping[str, Any]) -> tuple[dict[str, Any], str | None]:
        """Inline ``$ref`` and single-entry ``allOf`` (Cog's enum wrapper); siblings win.

        Returns the merged schema and the component name it came from, if any.
        """
        merged = dict(node)
        ref_name: str | None = None
        for _ in range(_MAX_DEPTH):
            ref = merged.pop("$ref", None)
            all_of = merged.get("allOf")
            if isinstance(ref, str):
                target, ref_name = self._component(ref)
                merged = {**target, **merged}
            elif isinstance(all_of, list) and len(all_of) == 1 and isinstance(all_of[0], Mapping):
                del merged["allOf"]
                merged = {**dict(all_of[0]), **merged}
            else:
                return merged, ref_name
        return {"x-untyped": "references nest too deeply"}, ref_name

    def _component(self, ref: str) -> tuple[dict[str, Any], str | None]:
        prefix = "#/components/schemas/"
        target = self.schemas.get(ref[len(prefix) :]) if ref.startswith(prefix) else None
        if not isinstance(target, Mapping):
            return {"x-untyped": f"unresolvable reference {ref}"}, None
        return dict(target), ref[len(prefix) :]

    def fields(self, node: Mapping[str, Any], ordered: bool = False) -> tuple[ir.FieldInfo, ...]:
        properties = node.get("properties")
        if not isinstance(properties, Mapping):
            return ()
        required = node.get("required")
        required_names = (
            {r for r in required if isinstance(r, str)} if isinstance(required, list) else set()
        )
        items = [(str(k), v) for k, v in properties.items() if isinstance(v, Mapping)]
        if ordered:
            # Cog numbers parameters with x-order; unnumbered ones keep their place after them.
            position = {k: i for i, (k, _) in enumerate(items)}
            items.sort(key=lambda kv: (_order(kv[1]), position[kv[0]]))
        return tuple(self._field(key, prop, key in required_names) for key, prop in items)

    def _field(self, key: str, prop: Mapping[str, Any], required: bool) -> ir.FieldInfo:
        resolved, _ = self.resolve(prop)
        constraints = tuple((c, resolved[c]) for c in _CONSTRAINTS if c in resolved)
        description = prop.get("description", resolved.get("description"))
        if description == "An enumeration.":  # pydantic's text for every enum: says nothing
            description = None
        return ir.FieldInfo(
            name=key,
            type=self.type_of(prop, key),
            required=required,
            description=description if isinstance(description, str) else None,
            default=resolved.get("default"),
            has_default="default" in resolved,
            constraints=constraints,
            deprecated=bool(resolved.get("deprecated", False)),
        )

    def type_of(self, node: Mapping[str, Any], where: str, top_output: bool = False) -> ir.TypeNode:
        self._depth += 1
        try:
            if self._depth > _MAX_DEPTH:
                return ir.Untyped("the schema nests too deeply (recursive?)")
            return self._type_of(node, where, top_output)
        finally:
            self._depth -= 1

    def _type_of(self, node: Mapping[str, Any], where: str, top_output: bool) -> ir.TypeNode:
        schema, ref_name = self.resolve(node)
        if "x-untyped" in schema:
            return ir.Untyped(str(schema["x-untyped"]))
        nullable = schema.get("nullable") is True
        kind = schema.get("type")
        if isinstance(kind, list):
            nullable = nullable or "null" in kind
            kinds = [k for k in kind if k != "null"]
            if len(kinds) != 1:
                options = tuple(self._type_of({**schema, "type": k}, where, False) for k in kinds)
                return _nullable(
                    ir.Union(options) if options else ir.Untyped("type: null"), nullable
                )
            kind = kinds[0]
        if kind is not None and not isinstance(kind, str):
            return ir.Untyped(f"a type that is not a name: {kind!r}")
        result = self._plain(schema, kind, ref_name, where, top_output)
        return _nullable(result, nullable)

    def _plain(
        self, schema: dict[str, Any], kind: Any, ref_name: str | None, where: str, top_output: bool
    ) -> ir.TypeNode:
        if isinstance(schema.get("enum"), list):
            return self._enum(schema["enum"], ref_name)
        for combinator in ("anyOf", "oneOf"):
            options = schema.get(combinator)
            if isinstance(options, list):
                return self._union(options, where)
        if isinstance(schema.get("allOf"), list):
            return ir.Untyped("allOf of several schemas")
        if kind in _SCALARS:
            if kind == "string" and schema.get("format") == "uri":
                return ir.FileRef()
            return ir.Scalar(_SCALARS[kind])
        if kind == "array":
            items = schema.get("items")
            item = (
                self.type_of(items, where)
                if isinstance(items, Mapping)
                else ir.Untyped("array items are not described")
            )
            if top_output and schema.get("x-cog-array-type") == "iterator":
                concatenate = schema.get("x-cog-array-display") == "concatenate"
                return ir.IteratorOf(item, concatenate)
            return ir.ListOf(item)
        if kind == "object" or (kind is None and isinstance(schema.get("properties"), Mapping)):
            if not isinstance(schema.get("properties"), Mapping):
                return ir.MapOf()
            title = schema.get("title")
            name = title if isinstance(title, str) and title else (ref_name or where)
            return ir.ObjectOf(name, self.fields(schema))
        if kind is None:
            return ir.Untyped("the schema gives no type")
        return ir.Untyped(f"unsupported type {kind!r}")

    def _enum(self, values: list[Any], ref_name: str | None) -> ir.TypeNode:
        if not values or not all(
            v is None or isinstance(v, (str, int, float, bool)) for v in values
        ):
            return ir.Untyped("an enum of values that are not all scalars")
        if any(isinstance(v, float) for v in values):
            return ir.Untyped("an enum of fractional numbers (a Literal takes none)")
        enum = ir.Enum(tuple(values), ref_name)
        if ref_name is not None:
            known = self.enums.setdefault(ref_name, enum)
            if known != enum:
                return ir.Enum(tuple(values))  # same name, other values: inline it
        return enum

    def _union(self, options: list[Any], where: str) -> ir.TypeNode:
        nullable = False
        types: list[ir.TypeNode] = []
        for option in options:
            if not isinstance(option, Mapping):
                continue
            if option.get("type") == "null":
                nullable = True
                continue
            found = self.type_of(option, where)
            if found not in types:
                types.append(found)
        if not types:
            return ir.Untyped("an empty anyOf/oneOf")
        base = types[0] if len(types) == 1 else ir.Union(tuple(types))
        return _nullable(base, nullable)


def _nullable(node: ir.TypeNode, nullable: bool) -> ir.TypeNode:
    if not nullable or isinstance(node, (ir.Nullable, ir.Untyped)):
        return node
    return ir.Nullable(node)


def _order(prop: Mapping[str, Any]) -> float:
    order = prop.get("x-order")
    if isinstance(order, (int, float)) and not isinstance(order, bool):
        return float(order)
    return float("inf")
