"""Every key the spec requires is in what the mock returns, and nothing the spec leaves out is.

The spec's `required` lists name every key the real API sends (null when unset). Per operation,
each JSON success body of the tests/mock spec scenario is checked object by object: required keys
present, and no key outside `properties` where the schema lists them without allowing extras.
"""

from __future__ import annotations

import copy
import functools
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from tests.mock.spec import METHODS, operation, spec
from tests.mock.test_spec_conformance import exchanges


def _closed(node: Any) -> Any:
    """The schema with every listed-properties object closed to keys it does not list."""
    if isinstance(node, list):
        return [_closed(item) for item in node]
    if not isinstance(node, dict):
        return node
    closed = {key: _closed(value) for key, value in node.items()}
    if "properties" in node and "additionalProperties" not in node:
        closed["unevaluatedProperties"] = False
    return closed


@functools.cache
def _components() -> dict[str, Any]:
    components: dict[str, Any] = _closed(copy.deepcopy(spec()["components"]))
    return components


def _json_success_schema(operation_id: str, status: int) -> dict[str, Any] | None:
    entry = operation(operation_id)["responses"].get(str(status))
    while entry is not None and "$ref" in entry:
        entry = spec()["components"]["responses"][entry["$ref"].rsplit("/", 1)[-1]]
    media = (entry or {}).get("content", {}).get("application/json")
    return None if media is None else dict(media["schema"])


def _json_operations() -> list[str]:
    found = []
    for item in spec()["paths"].values():
        for method in METHODS:
            op = item.get(method)
            if not isinstance(op, dict):
                continue
            codes = [c for c in op["responses"] if c.startswith("2")]
            if any(_json_success_schema(op["operationId"], int(c)) for c in codes):
                found.append(op["operationId"])
    return sorted(found)


@pytest.mark.parametrize("operation_id", _json_operations())
def test_success_bodies_carry_exactly_the_documented_keys(operation_id: str) -> None:
    checked = 0
    for op, response in exchanges():
        if op != operation_id or not 200 <= response.status_code < 300:
            continue
        schema = _json_success_schema(operation_id, response.status_code)
        if schema is None or not response.content:
            continue
        validator = Draft202012Validator({**_closed(schema), "components": _components()})
        problems = [
            f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(response.json())
        ]
        assert not problems, f"{operation_id} {response.status_code}: {problems[:5]}"
        checked += 1
    assert checked, f"the scenario never got a JSON success from {operation_id}"


def test_the_keys_named_in_issue_13_are_required() -> None:
    schemas = spec()["components"]["schemas"]
    assert {"started_at", "completed_at", "metrics"} <= set(schemas["Training"]["required"])
    assert {"started_at", "completed_at"} <= set(schemas["Prediction"]["required"])
