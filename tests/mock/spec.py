"""Look up response schemas in openapi/replicate.openapi.yaml and validate bodies against them."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft202012Validator

SPEC_PATH = Path(__file__).resolve().parents[2] / "openapi" / "replicate.openapi.yaml"
METHODS = ("get", "post", "put", "patch", "delete", "x-query")


@functools.cache
def spec() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(SPEC_PATH.read_text())
    return loaded


def _resolve(node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        target: Any = spec()
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part.replace("~1", "/").replace("~0", "~")]
        node = target
    return node


@functools.cache
def operation(operation_id: str) -> dict[str, Any]:
    for item in spec()["paths"].values():
        for method in METHODS:
            op = item.get(method)
            if isinstance(op, dict) and op.get("operationId") == operation_id:
                return op
    raise KeyError(operation_id)


def response_schema(operation_id: str, status: int, media_type: str) -> dict[str, Any] | None:
    """The documented schema, or None when the status is not documented for the operation."""
    responses = operation(operation_id)["responses"]
    entry = responses.get(str(status))
    if entry is None:
        return None
    content = _resolve(entry).get("content", {})
    media = content.get(media_type)
    if media is None:
        raise AssertionError(
            f"{operation_id} {status}: {media_type} not documented ({list(content)})"
        )
    schema: dict[str, Any] = media.get("schema", {})
    return schema


def validate(operation_id: str, status: int, media_type: str, body: Any) -> None:
    schema = response_schema(operation_id, status, media_type)
    if schema is None:
        raise AssertionError(f"{operation_id}: status {status} is not documented")
    validator = Draft202012Validator({**schema, "components": spec()["components"]})
    errors = sorted(validator.iter_errors(body), key=lambda e: list(e.absolute_path))
    if errors:
        details = "; ".join(f"{list(e.absolute_path)}: {e.message}" for e in errors[:5])
        raise AssertionError(f"{operation_id} {status} does not match the spec: {details}")
