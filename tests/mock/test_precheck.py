"""The quick input check only ever says "valid" when jsonschema finds no error.

Every built-in model's input schema, plus schemas exercising each supported keyword, meets
generated inputs (values of every JSON type, bounds, enum members, missing and extra keys); the
validator's answer (defaults or the 422 with its fields) is the same with and without the check.
"""

from __future__ import annotations

import gc
import random
from typing import Any

import pytest

from mock_server.engine.core import Engine
from mock_server.engine.errors import ApiError
from mock_server.engine.precheck import compile_check
from mock_server.engine.validation import InputValidator

_SCALARS: list[Any] = [
    None,
    True,
    False,
    0,
    1,
    -1,
    2,
    7,
    20,
    21,
    1.0,
    1.5,
    7.5,
    -0.0,
    1e300,
    "",
    "a",
    "hello",
    "x" * 300,
    "ünï",
    "512",
    "768",
    "png",
    "jpg",
    "dpmsolver++",
    "K_EULER",
]


def _values(rng: random.Random, depth: int = 0) -> Any:
    roll = rng.random()
    if depth < 2 and roll < 0.15:
        return [_values(rng, depth + 1) for _ in range(rng.randrange(4))]
    if depth < 2 and roll < 0.25:
        return {rng.choice(["a", "b", "text"]): _values(rng, depth + 1) for _ in range(2)}
    return rng.choice(_SCALARS)


def _inputs(schema: dict[str, Any], rng: random.Random, count: int) -> list[Any]:
    properties = list(schema.get("properties", {}))
    enums = [v for p in schema.get("properties", {}).values() for v in p.get("enum", [])]
    found: list[Any] = [{}, [], "text", None]
    for _ in range(count):
        value: dict[str, Any] = {}
        for name in properties:
            if rng.random() < 0.7:
                value[name] = rng.choice(enums) if enums and rng.random() < 0.3 else _values(rng)
        if rng.random() < 0.2:
            value["not_a_field"] = _values(rng)
        found.append(value)
    return found


def _builtin_validators() -> list[InputValidator]:
    Engine()  # installs the built-in models
    return [o for o in gc.get_objects() if isinstance(o, InputValidator)]


def _answer(validator: InputValidator, value: Any) -> Any:
    try:
        return ("ok", validator.validate(value))
    except ApiError as error:
        return ("error", error.status, error.body())


def test_every_builtin_schema_has_a_quick_check() -> None:
    validators = _builtin_validators()
    assert validators and all(v._quick is not None for v in validators)


def test_quick_valid_implies_no_jsonschema_error_on_builtin_schemas() -> None:
    rng = random.Random(16)
    for validator in _builtin_validators():
        quick = validator._quick
        assert quick is not None
        accepted = 0
        for value in _inputs(validator.input_schema, rng, 400):
            if quick(value):
                accepted += 1
                assert list(validator._validator.iter_errors(value)) == [], value
            with_check = _answer(validator, value)
            validator._quick = None
            try:
                assert _answer(validator, value) == with_check, value
            finally:
                validator._quick = quick
        assert accepted, validator.input_schema  # the quick path is really taken


SCHEMAS: list[dict[str, Any]] = [
    {"type": ["integer", "null"], "minimum": 1, "exclusiveMaximum": 20},
    {"type": "number", "maximum": 7.5, "exclusiveMinimum": 0},
    {"type": "string", "minLength": 1, "maxLength": 5, "pattern": "^[a-z]+$"},
    {"type": "array", "items": {"type": "integer"}, "minItems": 1, "maxItems": 2},
    {"enum": ["a", "hello"]},
    {"enum": [0, 1, 2]},
    {"anyOf": [{"type": "string"}, {"type": "null"}]},
    {"allOf": [{"type": "integer"}, {"minimum": 0}]},
    {
        "type": "object",
        "properties": {"a": {"type": "boolean"}},
        "required": ["a"],
        "additionalProperties": False,
    },
    {"type": "object", "additionalProperties": {"type": "string"}},
    {"$ref": "#/components/schemas/Level", "components": {"schemas": {"Level": {"enum": [1, 2]}}}},
]


@pytest.mark.parametrize("schema", SCHEMAS)
def test_quick_valid_implies_no_jsonschema_error_per_keyword(schema: dict[str, Any]) -> None:
    from jsonschema import Draft202012Validator

    quick = compile_check(schema)
    assert quick is not None
    reference = Draft202012Validator(schema)
    rng = random.Random(repr(schema))
    values = [*_SCALARS, *(_values(rng) for _ in range(500))]
    values += [{"a": True}, {"a": True, "b": 1}, {"a": "x"}, {"b": "x"}, [1], [1, 2, 3], [True]]
    accepted = 0
    for value in values:
        if quick(value):
            accepted += 1
            assert list(reference.iter_errors(value)) == [], (schema, value)
    assert accepted


@pytest.mark.parametrize(
    "schema",
    [
        {"type": "tensor"},
        {"patternProperties": {"^a": {}}},
        {"$ref": "#/components/schemas/Missing"},
        {
            "$ref": "#/components/schemas/A",
            "components": {"schemas": {"A": {"$ref": "#/components/schemas/A"}}},
        },
        {"enum": [1, "a"]},
        {"prefixItems": [{}]},
        {"not": {}},
    ],
)
def test_what_the_quick_check_does_not_know_goes_to_jsonschema(schema: dict[str, Any]) -> None:
    assert compile_check(schema) is None
