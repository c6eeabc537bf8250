"""The generated Python types and the mock's validator agree on every schema (property test).

Inputs the schema allows pass both the generated ``TypedDict`` (checked at run time by typeguard,
which follows the typing rules mypy applies) and the mock; each mistake a type can express (a
value of the wrong kind, a value outside an enum, None where null is not allowed, a required
key left out) fails both, the mock with a 422. Two gaps are known and left out on purpose:
numeric bounds, string lengths and patterns live only in docstrings (no Python type says
"1 to 4"), and Python's ``bool`` is an ``int``, so True passes an integer field's type.
Unknown keys are a type error but the mock (like Cog) ignores them; an untyped field is ``Any``.
"""

from __future__ import annotations

import importlib
import math
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typeguard import CollectionCheckStrategy, TypeCheckError, check_type

from mock_server.engine.errors import ApiError
from mock_server.engine.validation import InputValidator
from replicate_kit.typegen import generate, ir
from replicate_kit.typegen.python import model_names
from replicate_kit.typegen.sources import Fetched

from .conftest import PACKAGE, all_fetched

CASES = all_fetched()
JSON_SAMPLES: dict[str, Any] = {
    "string": "text",
    "integer": 7,
    "number": 2.5,
    "boolean": True,
    "array": ["a"],
    "object": {"k": 1},
    "null": None,
}


def _kinds(node: ir.TypeNode) -> set[str]:
    """JSON kinds a value of this type may have."""
    if isinstance(node, ir.Scalar):
        return {
            "str": {"string"},
            "int": {"integer"},
            "float": {"integer", "number"},
            "bool": {"boolean"},
        }[node.kind]
    if isinstance(node, ir.FileRef):
        return {"string"}
    if isinstance(node, ir.Enum):
        return {_kind(v) for v in node.values}
    if isinstance(node, (ir.ListOf, ir.IteratorOf)):
        return {"array"}
    if isinstance(node, (ir.MapOf, ir.ObjectOf)):
        return {"object"}
    if isinstance(node, ir.Nullable):
        return _kinds(node.inner) | {"null"}
    if isinstance(node, ir.Union):
        return set().union(*(_kinds(o) for o in node.options))
    return set(JSON_SAMPLES)


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    return {str: "string", int: "integer", float: "number"}.get(type(value), "object")


def _bounds(field: ir.FieldInfo) -> dict[str, Any]:
    return dict(field.constraints)


def _values(node: ir.TypeNode, c: dict[str, Any]) -> st.SearchStrategy[Any]:
    """Values the schema allows for ``node`` (``c``: the field's constraints)."""
    if isinstance(node, ir.Nullable):
        return st.none() | _values(node.inner, c)
    if isinstance(node, ir.Enum):
        return st.sampled_from(node.values)
    if isinstance(node, ir.FileRef):
        return st.sampled_from(["https://example.com/in.png", "data:text/plain;base64,aGk="])
    if isinstance(node, ir.Scalar):
        if node.kind == "bool":
            return st.booleans()
        if node.kind == "str":
            if "pattern" in c:
                base = st.from_regex(c["pattern"], fullmatch=True)
            else:
                base = st.text(max_size=c.get("maxLength", 12))
            low, high = c.get("minLength", 0), c.get("maxLength", 10**6)
            return base.filter(lambda s: low <= len(s) <= high)
        low = c.get("minimum", c.get("exclusiveMinimum"))
        high = c.get("maximum", c.get("exclusiveMaximum"))
        if node.kind == "int":
            lo = None if low is None else math.ceil(low) + ("exclusiveMinimum" in c)
            hi = None if high is None else math.floor(high) - ("exclusiveMaximum" in c)
            return st.integers(min_value=lo, max_value=hi)
        return st.floats(
            min_value=low,
            max_value=high,
            allow_nan=False,
            allow_infinity=False,
            exclude_min="exclusiveMinimum" in c,
            exclude_max="exclusiveMaximum" in c,
        )
    if isinstance(node, (ir.ListOf, ir.IteratorOf)):
        return st.lists(_values(node.item, {}), max_size=c.get("maxItems", 3))
    if isinstance(node, ir.Union):
        return st.one_of([_values(o, c) for o in node.options])
    if isinstance(node, (ir.MapOf, ir.ObjectOf)):
        return st.dictionaries(st.text(max_size=3), st.integers(), max_size=2)
    return st.sampled_from(list(JSON_SAMPLES.values()))


def _valid_input(model: ir.ModelTypes) -> st.SearchStrategy[dict[str, Any]]:
    required = {f.name: _values(f.type, _bounds(f)) for f in model.inputs if f.required}
    # An untyped field is Any: the types promise nothing about it, so it is left out here.
    optional = {
        f.name: _values(f.type, _bounds(f))
        for f in model.inputs
        if not f.required and not isinstance(f.type, ir.Untyped)
    }
    return st.fixed_dictionaries(required, optional=optional)


def _mistakes(model: ir.ModelTypes, value: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """Every mistake a type can express, made to a valid input one at a time."""
    out: list[tuple[str, dict[str, Any]]] = []
    for f in model.inputs:
        allowed = _kinds(f.type)
        # bool is an int to Python's type system: never use it against a number field.
        numeric = bool(allowed & {"integer", "number"})
        for kind, sample in JSON_SAMPLES.items():
            if kind not in allowed and not (kind == "boolean" and numeric):
                out.append((f"{f.name} as {kind}", {**value, f.name: sample}))
        bare = f.type.inner if isinstance(f.type, ir.Nullable) else f.type
        if isinstance(bare, ir.Enum):
            outsider = "not-a-choice" if isinstance(bare.values[0], str) else 987654
            out.append((f"{f.name} outside its enum", {**value, f.name: outsider}))
        if f.required and f.name in value:
            out.append((f"{f.name} left out", {k: v for k, v in value.items() if k != f.name}))
    return out


def _types_accept(value: dict[str, Any], typed_dict: Any) -> bool:
    try:
        check_type(value, typed_dict, collection_check_strategy=CollectionCheckStrategy.ALL_ITEMS)
    except TypeCheckError:
        return False
    return True


def _mock_accepts(value: dict[str, Any], validator: InputValidator) -> bool:
    try:
        validator.validate(value)
    except ApiError as error:
        assert error.status == 422
        return False
    return True


@pytest.mark.parametrize("fetched", CASES, ids=[f"{f.owner}/{f.name}" for f in CASES])
def test_generated_types_and_mock_validator_agree(fetched: Fetched, generated: Path) -> None:
    model = generate.read(fetched)
    module_name, input_name, _ = model_names(model)
    typed_dict = getattr(importlib.import_module(f"{PACKAGE}.{module_name}"), input_name)
    validator = InputValidator(fetched.openapi_schema)

    @settings(
        max_examples=25,
        deadline=None,
        derandomize=True,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )
    @given(_valid_input(model))
    def agree(value: dict[str, Any]) -> None:
        assert _types_accept(value, typed_dict), f"types reject a valid input {value!r}"
        assert _mock_accepts(value, validator), f"mock rejects a valid input {value!r}"
        for what, wrong in _mistakes(model, value):
            assert not _types_accept(wrong, typed_dict), f"types accept {what}: {wrong!r}"
            assert not _mock_accepts(wrong, validator), f"mock accepts {what}: {wrong!r}"

    agree()
