"""A quick "valid" for inputs that plainly satisfy a simple input schema.

jsonschema's ``iter_errors`` was a fifth of a prediction create (about 7 us for a one-field
schema), spent mostly on its own machinery rather than on the checks. ``compile_check`` turns a
schema made only of the keywords below into nested closures that answer True when the value
certainly has no error. Anything else (False, or a schema using another keyword) goes to
jsonschema, which stays the one source of errors and of the final verdict. So the contract is
one-way: True implies jsonschema finds no error; False promises nothing. ``tests/mock`` checks it
against jsonschema on every built-in schema with generated inputs.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

Check = Callable[[Any], bool]

# Keywords that assert nothing (annotations), so a check may ignore them.
_ANNOTATIONS = frozenset(
    {
        "title",
        "description",
        "default",
        "examples",
        "example",
        "x-order",
        "deprecated",
        "readOnly",
        "writeOnly",
        "$comment",
        # Draft 2020-12 validators assert ``format`` only with a format checker; ours has none.
        "format",
    }
)
_ASSERTIONS = frozenset(
    {
        "$ref",
        "type",
        "properties",
        "required",
        "additionalProperties",
        "enum",
        "minimum",
        "maximum",
        "exclusiveMinimum",
        "exclusiveMaximum",
        "minLength",
        "maxLength",
        "pattern",
        "items",
        "minItems",
        "maxItems",
        "anyOf",
        "allOf",
    }
)


def _is_number(value: Any) -> bool:
    return (type(value) is int or type(value) is float) and value == value  # NaN: let jsonschema


# jsonschema's draft 2020-12 type checker, for the values a JSON parser produces.
_TYPES: dict[str, Check] = {
    "string": lambda v: type(v) is str,
    "boolean": lambda v: type(v) is bool,
    "null": lambda v: v is None,
    "object": lambda v: type(v) is dict,
    "array": lambda v: type(v) is list,
    "number": _is_number,
    "integer": lambda v: type(v) is int or (type(v) is float and v.is_integer()),
}


_REF_PREFIX = "#/components/schemas/"


def compile_check(schema: Any) -> Check | None:
    """The quick check of ``schema``, or None when it uses something the check does not know.

    ``$ref`` is followed only to ``#/components/schemas/NAME`` of this root (where Cog puts its
    enums), and not into a cycle.
    """
    components = schema.get("components", {}) if isinstance(schema, dict) else {}
    targets = components.get("schemas", {}) if isinstance(components, dict) else {}
    return _Compiler(targets if isinstance(targets, dict) else {}).schema(schema, root=True)


class _Compiler:
    def __init__(self, targets: dict[str, Any]) -> None:
        self._targets = targets
        self._following: set[str] = set()

    def schema(self, schema: Any, *, root: bool = False) -> Check | None:
        if schema is True or schema == {}:
            return _always
        if not isinstance(schema, dict):
            return None
        keys = set(schema)
        if root:
            keys.discard("components")
        return self._compile(schema, keys)

    def ref(self, reference: Any) -> Check | None:
        if not isinstance(reference, str) or not reference.startswith(_REF_PREFIX):
            return None
        name = reference.removeprefix(_REF_PREFIX)
        if name not in self._targets or "/" in name or "~" in name or name in self._following:
            return None
        self._following.add(name)
        try:
            return self.schema(self._targets[name])
        finally:
            self._following.discard(name)

    def _compile(self, schema: dict[str, Any], keys: set[str]) -> Check | None:
        # ``x-...`` keys are extensions (Cog's ``x-order``, ...): jsonschema ignores them.
        if not {k for k in keys if not k.startswith("x-")} <= _ANNOTATIONS | _ASSERTIONS:
            return None
        checks: list[Check] = []
        for keyword in sorted(keys & _ASSERTIONS):
            check = _keyword(self, keyword, schema[keyword], schema)
            if check is None:
                return None
            if check is not _always:
                checks.append(check)
        if not checks:
            return _always
        if len(checks) == 1:
            return checks[0]
        return _every(checks)


def _always(value: Any) -> bool:
    return True


def _every(checks: list[Check]) -> Check:
    def every(value: Any) -> bool:
        for check in checks:  # noqa: SIM110 - all(genexpr) costs a generator per create
            if not check(value):
                return False
        return True

    return every


def _keyword(
    compiler: _Compiler, keyword: str, argument: Any, schema: dict[str, Any]
) -> Check | None:
    if keyword == "$ref":
        return compiler.ref(argument)
    if keyword == "type":
        names = [argument] if isinstance(argument, str) else argument
        if not isinstance(names, list) or not all(n in _TYPES for n in names):
            return None
        kinds = [_TYPES[n] for n in names]
        if len(kinds) == 1:
            return kinds[0]
        return lambda value: any(kind(value) for kind in kinds)
    if keyword == "properties":
        return _properties(compiler, argument)
    if keyword == "required":
        if not isinstance(argument, list) or not all(isinstance(n, str) for n in argument):
            return None
        names = tuple(argument)
        return lambda value: type(value) is not dict or all(n in value for n in names)
    if keyword == "additionalProperties":
        return _additional(compiler, argument, schema)
    if keyword == "enum":
        # Only all-string or all-integer lists, matched by a value of that very type:
        # jsonschema's equality tells 1, 1.0 and True apart in ways `in` does not.
        if not isinstance(argument, list) or not argument:
            return None
        kind = type(argument[0])
        if kind not in (str, int) or not all(type(v) is kind for v in argument):
            return None
        allowed = frozenset(argument)
        return lambda value: type(value) is kind and value in allowed
    if keyword in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        return _bound(keyword, argument)
    if keyword in ("minLength", "maxLength", "minItems", "maxItems"):
        return _length(keyword, argument)
    if keyword == "pattern":
        if not isinstance(argument, str):
            return None
        try:
            search = re.compile(argument).search
        except re.error:
            return None
        return lambda value: type(value) is not str or search(value) is not None
    if keyword == "items":
        inner = compiler.schema(argument)
        if inner is None:
            return None
        return lambda value: type(value) is not list or all(inner(v) for v in value)
    if keyword in ("anyOf", "allOf"):
        if not isinstance(argument, list) or not argument:
            return None
        branches = [compiler.schema(branch) for branch in argument]
        if any(branch is None for branch in branches):
            return None
        known = [branch for branch in branches if branch is not None]
        if keyword == "anyOf":
            return lambda value: any(branch(value) for branch in known)
        return lambda value: all(branch(value) for branch in known)
    return None


def _properties(compiler: _Compiler, argument: Any) -> Check | None:
    if not isinstance(argument, dict):
        return None
    compiled: list[tuple[str, Check]] = []
    for name, subschema in argument.items():
        check = compiler.schema(subschema)
        if check is None:
            return None
        if check is not _always:
            compiled.append((name, check))

    def properties(value: Any) -> bool:
        if type(value) is not dict:
            return True
        return all(check(value[name]) for name, check in compiled if name in value)

    return properties


def _additional(compiler: _Compiler, argument: Any, schema: dict[str, Any]) -> Check | None:
    if argument is True:
        return _always
    properties = schema.get("properties", {})
    if not isinstance(properties, dict):
        return None
    known = frozenset(properties)
    if argument is False:
        return lambda value: type(value) is not dict or all(k in known for k in value)
    extra = compiler.schema(argument)
    if extra is None:
        return None
    return lambda value: (
        type(value) is not dict or all(extra(v) for k, v in value.items() if k not in known)
    )


def _bound(keyword: str, limit: Any) -> Check | None:
    if not _is_number(limit):
        return None
    if keyword == "minimum":
        return lambda value: not _is_number(value) or value >= limit
    if keyword == "maximum":
        return lambda value: not _is_number(value) or value <= limit
    if keyword == "exclusiveMinimum":
        return lambda value: not _is_number(value) or value > limit
    return lambda value: not _is_number(value) or value < limit


def _length(keyword: str, limit: Any) -> Check | None:
    if type(limit) is not int:
        return None
    kind = str if keyword.endswith("Length") else list
    if keyword.startswith("min"):
        return lambda value: type(value) is not kind or len(value) >= limit
    return lambda value: type(value) is not kind or len(value) <= limit
