"""Validate prediction inputs against a version's Cog ``Input`` schema."""

from __future__ import annotations

import copy
import logging
from collections.abc import Callable, Iterator
from typing import Any

from jsonschema import Draft202012Validator, validators
from jsonschema.exceptions import UndefinedTypeCheck, ValidationError

from mock_server.engine.errors import ApiError, invalid_fields
from mock_server.engine.precheck import compile_check

_TYPE_NAMES = {
    dict: "object",
    list: "array",
    str: "string",
    bool: "boolean",
    int: "integer",
    float: "number",
    type(None): "null",
}


log = logging.getLogger("replicate_mock.validation")

# Keywords whose values are data, not schemas: a ``type`` key inside them is not a type.
_DATA_KEYWORDS = frozenset({"default", "enum", "const", "example", "examples", "x-order"})


def _declared_types(node: Any) -> Iterator[str]:
    if isinstance(node, list):
        for item in node:
            yield from _declared_types(item)
    elif isinstance(node, dict):
        for key, value in node.items():
            if key in _DATA_KEYWORDS:
                continue
            if key == "type" and isinstance(value, str):
                yield value
            elif key == "type" and isinstance(value, list):
                yield from (v for v in value if isinstance(v, str))
            else:
                yield from _declared_types(value)


def _validator_class(schema: dict[str, Any]) -> type[Any]:
    """Draft 2020-12, where a ``type`` JSON Schema does not define (Cog schemas may carry one,
    e.g. ``tensor``) accepts any value: jsonschema would raise ``UnknownType`` on every
    validation, and the real service does not refuse such a model. Logged once per version."""
    checker = Draft202012Validator.TYPE_CHECKER
    unknown = sorted({t for t in _declared_types(schema) if not _known(t)})
    if not unknown:
        return Draft202012Validator
    log.warning(
        "input schema declares type(s) JSON Schema does not know (%s): any value is accepted",
        ", ".join(unknown),
    )
    lenient = checker.redefine_many({name: lambda _checker, _instance: True for name in unknown})
    extend: Callable[..., type[Any]] = validators.extend  # untyped in jsonschema
    return extend(Draft202012Validator, type_checker=lenient)


def _known(name: str) -> bool:
    try:
        Draft202012Validator.TYPE_CHECKER.is_type(None, name)
    except UndefinedTypeCheck:
        return False
    return True


def _json_type(value: Any) -> str:
    return _TYPE_NAMES.get(type(value), type(value).__name__)


def _openapi_to_jsonschema(node: Any) -> Any:
    """OpenAPI 3.0 ``nullable`` is not JSON Schema: turn it into an explicit null branch."""
    if isinstance(node, list):
        return [_openapi_to_jsonschema(item) for item in node]
    if not isinstance(node, dict):
        return node
    converted = {key: _openapi_to_jsonschema(value) for key, value in node.items()}
    if converted.pop("nullable", False):
        return {"anyOf": [converted, {"type": "null"}]}
    return converted


class InputValidator:
    def __init__(self, openapi_schema: dict[str, Any] | None, component: str = "Input") -> None:
        schemas = {}
        if openapi_schema:
            schemas = openapi_schema.get("components", {}).get("schemas", {})
        self.input_schema: dict[str, Any] = copy.deepcopy(
            schemas.get(component, {"type": "object", "properties": {}})
        )
        converted = _openapi_to_jsonschema(schemas)
        # The component sits at the root (beside the others, so its internal
        # ``#/components/schemas/...`` refs still resolve) rather than behind a root ``$ref``:
        # resolving that ref on every request made validation 2.4x slower. Errors are the same.
        root = {**converted.get(component, {}), "components": {"schemas": converted}}
        if component not in schemas:
            root = {"type": "object"}
        self._validator = _validator_class(root)(root)
        #: True for an input that certainly has no error (None: every input goes to jsonschema).
        self._quick = compile_check(root)

    def validate(self, value: Any) -> dict[str, Any]:
        """Return the input with schema defaults applied, or raise a 422 ApiError."""
        if not isinstance(value, dict):
            raise invalid_fields(
                "Input validation failed",
                [
                    {
                        "type": "invalid_type",
                        "field": "input",
                        "description": f"Invalid type. Expected: object, given: {_json_type(value)}",
                    }
                ],
            )
        if self._quick is not None and self._quick(value):
            return self.with_defaults(value)
        errors = sorted(self._validator.iter_errors(value), key=_error_key)
        if errors:
            raise invalid_fields("Input validation failed", [_describe(e) for e in errors])
        return self.with_defaults(value)

    def with_defaults(self, value: dict[str, Any]) -> dict[str, Any]:
        result = dict(value)
        for name, prop in self.input_schema.get("properties", {}).items():
            if name not in result and isinstance(prop, dict) and "default" in prop:
                result[name] = copy.deepcopy(prop["default"])
        return result


def _error_key(error: ValidationError) -> tuple[str, str]:
    return (".".join(str(p) for p in error.absolute_path), str(error.validator))


def _leaf(error: ValidationError) -> ValidationError:
    # anyOf wrappers (from ``nullable``) hide the useful message in their context.
    if error.context:
        useful = [
            e for e in error.context if not (e.validator == "type" and e.validator_value == "null")
        ]
        if useful:
            return _leaf(useful[0])
    return error


def _describe(error: ValidationError) -> dict[str, str]:
    path = [str(p) for p in error.absolute_path]
    field = ".".join(["input", *path])
    if error.validator == "required":
        missing = str(error.message).split("'")[1] if "'" in error.message else error.message
        return {"type": "required", "field": field, "description": f"{missing} is required"}
    leaf = _leaf(error)
    kind = str(leaf.validator)
    instance = leaf.instance
    if kind == "type":
        expected = leaf.validator_value
        return {
            "type": "invalid_type",
            "field": field,
            "description": f"Invalid type. Expected: {expected}, given: {_json_type(instance)}",
        }
    if kind == "enum":
        allowed: Any = leaf.validator_value
        options = ", ".join(str(v) for v in allowed)
        return {
            "type": "enum",
            "field": field,
            "description": f"{path[-1] if path else 'value'} must be one of: {options}",
        }
    descriptions = {
        "minimum": "Must be greater than or equal to {}",
        "maximum": "Must be less than or equal to {}",
        "exclusiveMinimum": "Must be greater than {}",
        "exclusiveMaximum": "Must be less than {}",
        "minLength": "String length must be greater than or equal to {}",
        "maxLength": "String length must be less than or equal to {}",
        "pattern": "Does not match pattern {}",
    }
    template = descriptions.get(kind)
    description = template.format(leaf.validator_value) if template else leaf.message
    return {"type": kind, "field": field, "description": description}


def check(condition: bool, field: str, description: str, kind: str = "invalid") -> None:
    if not condition:
        raise invalid_fields(
            "Invalid request", [{"type": kind, "field": field, "description": description}]
        )


__all__ = ["ApiError", "InputValidator", "check"]
