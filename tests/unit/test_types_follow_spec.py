"""The facade's objects follow the spec: every field of their component schema, typed to match.

Everything here is read from ``openapi/replicate.openapi.yaml`` when the tests run: a field
added to the spec fails these tests until the object carries it.
"""

from __future__ import annotations

import inspect
import types as pytypes
from collections.abc import Iterator, Mapping
from dataclasses import fields
from functools import cache
from pathlib import Path
from typing import Any, Literal, Union, get_args, get_origin, get_type_hints

import pytest
import yaml

from replicate_kit import types

SPEC_PATH = Path(__file__).resolve().parents[2] / "openapi" / "replicate.openapi.yaml"
REF_PREFIX = "#/components/schemas/"

OBJECTS: dict[str, type[types._Object]] = {
    schema: cls
    for cls in vars(types).values()
    if inspect.isclass(cls) and issubclass(cls, types._Object)
    for schema in cls._schemas
}


@cache
def _spec() -> dict[str, Any]:
    with SPEC_PATH.open() as handle:
        loaded: dict[str, Any] = yaml.safe_load(handle)
    return loaded


def _resolve(schema: Mapping[str, Any]) -> tuple[Mapping[str, Any], str | None]:
    """The schema a ``$ref`` points to (and its component name); others as they are."""
    ref = schema.get("$ref")
    if not isinstance(ref, str):
        return schema, None
    assert ref.startswith(REF_PREFIX), ref
    name = ref[len(REF_PREFIX) :]
    return _spec()["components"]["schemas"][name], name


def _collect(schema: Mapping[str, Any], found: set[str]) -> None:
    body, name = _resolve(schema)
    properties = body.get("properties") or {}
    if body.get("type") == "array":
        _collect(body["items"], found)
    elif "results" in properties and "next" in properties:  # a page envelope
        _collect(properties["results"]["items"], found)
    elif name is not None and properties:
        found.add(name)


def _returned_schemas() -> set[str]:
    """Component schemas the API answers with as JSON objects (pages and lists unwrapped)."""
    found: set[str] = set()
    components = _spec()["components"]
    for item in _spec()["paths"].values():
        for operation in item.values():
            if not isinstance(operation, Mapping) or "responses" not in operation:
                continue
            for status, response in operation["responses"].items():
                if not str(status).startswith("2"):
                    continue
                if "$ref" in response:
                    response = components["responses"][response["$ref"].rsplit("/", 1)[-1]]
                json_body = (response.get("content") or {}).get("application/json")
                if json_body is not None:
                    _collect(json_body["schema"], found)
    return found


def _options(hint: Any) -> tuple[Any, ...]:
    if get_origin(hint) in (Union, pytypes.UnionType):
        return get_args(hint)
    return (hint,)


def _accepts(hint: Any, schema: Mapping[str, Any]) -> bool:
    """Whether a field annotated ``hint`` holds every value ``schema`` allows."""
    if hint is Any:
        return True
    body, name = _resolve(schema)
    for combinator in ("oneOf", "anyOf"):
        if combinator in body:
            return all(_accepts(hint, member) for member in body[combinator])
    kinds = body.get("type")
    if kinds is None:  # no constraint: any JSON value
        return False
    if isinstance(kinds, list):
        return all(_accepts(hint, {**body, "type": kind}) for kind in kinds)
    return any(_matches(option, kinds, body, name) for option in _options(hint))


def _matches(option: Any, kind: str, body: Mapping[str, Any], name: str | None) -> bool:
    origin = get_origin(option) or option
    if option is Any:
        return True
    if kind == "null":
        return option is type(None)
    if kind == "string":
        return origin is str or (
            origin is Literal and all(isinstance(a, str) for a in get_args(option))
        )
    if kind == "integer":
        return origin is int
    if kind == "number":
        return origin in (int, float)
    if kind == "boolean":
        return origin is bool
    if kind == "object":
        if inspect.isclass(origin) and issubclass(origin, types._Object):
            return name in origin._schemas
        return origin in (dict, Mapping)
    if kind == "array":
        args = get_args(option)
        return origin is list and (not args or _accepts(args[0], body.get("items") or {}))
    return False


def _problems(cls: type[types._Object], name: str) -> Iterator[str]:
    schema, _ = _resolve({"$ref": REF_PREFIX + name})
    # Resolved in the module's names: the class's own `dict()` method is no annotation.
    hints = get_type_hints(cls, localns={})
    names = {f.name for f in fields(cls)}
    for prop, prop_schema in (schema.get("properties") or {}).items():
        if prop not in names:
            yield f"{cls.__name__} has no field {prop!r} ({name}.{prop})"
        elif not _accepts(hints[prop], prop_schema):
            yield f"{cls.__name__}.{prop}: {hints[prop]} does not hold {dict(prop_schema)}"


def test_every_object_the_api_returns_has_a_type() -> None:
    returned = _returned_schemas()
    assert {"Prediction", "Training", "Model", "FileObject"} <= returned  # the walk works
    assert sorted(returned - set(OBJECTS)) == []


@pytest.mark.parametrize("schema", sorted(OBJECTS))
def test_objects_carry_every_field_of_their_schema(schema: str) -> None:
    assert schema in _spec()["components"]["schemas"]
    assert list(_problems(OBJECTS[schema], schema)) == []


@pytest.mark.parametrize("schema", sorted(OBJECTS))
def test_fields_the_api_adds_later_are_kept(schema: str) -> None:
    obj = OBJECTS[schema].from_dict({"field_from_the_future": {"a": 1}})
    assert obj.to_dict()["field_from_the_future"] == {"a": 1}


def test_the_type_check_catches_a_mistyped_field() -> None:
    # The checker itself can fail: a count where the spec has a string, a missing null.
    assert not _accepts(int, {"type": "string"})
    assert not _accepts(str, {"type": ["string", "null"]})
    assert _accepts(str | None, {"type": ["string", "null"]})
    assert not _accepts(types.Model, {"$ref": REF_PREFIX + "Prediction"})
    default_example = _resolve({"$ref": REF_PREFIX + "Model"})[0]["properties"]["default_example"]
    assert _accepts(types.Prediction | None, default_example)
    assert not _accepts(types.Prediction, default_example)
