"""``key=value`` arguments → a prediction input.

Values are typed by the model's input schema when it is known (``steps=10`` is an
integer because the schema says so; ``prompt=10`` stays the string ``"10"``). Without a
schema (or for keys it does not list) values are read "JSON-ish": numbers, ``true``/
``false``/``null`` and JSON objects/arrays are parsed, anything else is a string.

``key=@path`` uploads a local file, ``key=@-`` reads standard input (a file for file
fields, text otherwise) and ``key=@@text`` is the literal ``@text``. Array fields may be
given several times (``-i image=@a.png -i image=@b.png``) or as a JSON array.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from replicate_kit.cli.errors import UsageError
from replicate_kit.cli.schema import ModelSchema, field_type, is_file_field

_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]*$")
_INT = re.compile(r"^[+-]?\d+$")
_FLOAT = re.compile(r"^[+-]?(\d+\.\d*|\.\d+|\d+)([eE][+-]?\d+)?$")
_TRUE = frozenset({"true", "yes", "on", "1"})
_FALSE = frozenset({"false", "no", "off", "0"})


@dataclass(frozen=True)
class Assignment:
    key: str
    raw: str


def parse_assignment(text: str) -> Assignment:
    key, sep, raw = text.partition("=")
    key = key.strip()
    if not sep or not _KEY.match(key):
        raise UsageError(f"malformed input {text!r}: expected key=value (e.g. prompt=hello)")
    return Assignment(key, raw)


def jsonish(raw: str) -> Any:
    """Best guess for a value without a schema."""
    text = raw.strip()
    if text in ("true", "false"):
        return text == "true"
    if text == "null":
        return None
    if _INT.match(text):
        return int(text)
    if _FLOAT.match(text):
        return float(text)
    if text[:1] in ("{", "[", '"'):
        try:
            return json.loads(text)
        except ValueError:
            return raw
    return raw


def coerce(key: str, raw: str, spec: Mapping[str, Any] | None) -> Any:
    """``raw`` typed by the field's schema (``spec``), or JSON-ish without one."""
    if spec is None:
        return jsonish(raw)
    kind = field_type(spec)
    value: Any
    text = raw.strip()
    if kind == "string":
        value = raw
    elif kind == "integer":
        if not _INT.match(text):
            raise UsageError(f"input {key!r} must be an integer, got {raw!r}")
        value = int(text)
    elif kind == "number":
        if not _FLOAT.match(text):
            raise UsageError(f"input {key!r} must be a number, got {raw!r}")
        value = int(text) if _INT.match(text) else float(text)
    elif kind == "boolean":
        if text.lower() in _TRUE:
            value = True
        elif text.lower() in _FALSE:
            value = False
        else:
            raise UsageError(f"input {key!r} must be true or false, got {raw!r}")
    elif kind in ("object", "array"):
        try:
            value = json.loads(text)
        except ValueError:
            raise UsageError(f"input {key!r} must be JSON ({kind}), got {raw!r}") from None
        expected = dict if kind == "object" else list
        if not isinstance(value, expected):
            raise UsageError(f"input {key!r} must be a JSON {kind}, got {raw!r}")
    else:
        value = jsonish(raw)
    choices = spec.get("enum")
    if isinstance(choices, list) and choices and value not in choices:
        shown = ", ".join(str(c) for c in choices)
        raise UsageError(f"input {key!r} must be one of: {shown} (got {raw!r})")
    return value


class StdinOnce:
    """Standard input may feed one ``@-`` value only."""

    def __init__(self, read: Callable[[], bytes]) -> None:
        self._read = read
        self._used_by: str | None = None

    def take(self, key: str) -> bytes:
        if self._used_by is not None:
            raise UsageError(f"standard input is already used by {self._used_by!r}")
        self._used_by = key
        return self._read()


def _value(assignment: Assignment, spec: Mapping[str, Any] | None, stdin: StdinOnce) -> Any:
    key, raw = assignment.key, assignment.raw
    is_file = spec is not None and is_file_field(spec)
    if raw.startswith("@@"):
        return coerce(key, raw[1:], spec)
    if raw == "@-":
        data = stdin.take(key)
        if is_file:
            stream = io.BytesIO(data)
            stream.name = "stdin"
            return stream
        text = data.decode("utf-8", errors="replace")
        return coerce(key, text.removesuffix("\n"), spec)
    if raw.startswith("@"):
        path = Path(raw[1:]).expanduser()
        if not raw[1:] or not path.is_file():
            raise UsageError(f"input {key!r}: no such file {raw[1:]!r}")
        return path
    return coerce(key, raw, spec)


def build_input(
    assignments: Iterable[Assignment],
    schema: ModelSchema | None,
    read_stdin: Callable[[], bytes],
) -> dict[str, Any]:
    """The input object for ``assignments`` (later values of a list field append)."""
    stdin = StdinOnce(read_stdin)
    out: dict[str, Any] = {}
    for assignment in assignments:
        spec = schema.field(assignment.key) if schema is not None else None
        if spec is not None and field_type(spec) == "array":
            items = spec.get("items")
            item_spec = items if isinstance(items, Mapping) else None
            raw = assignment.raw.strip()
            if raw.startswith("["):
                value = coerce(assignment.key, raw, spec)
                out.setdefault(assignment.key, []).extend(value)
            else:
                item = _value(Assignment(assignment.key, assignment.raw), item_spec, stdin)
                out.setdefault(assignment.key, []).append(item)
            continue
        if assignment.key in out:
            raise UsageError(f"input {assignment.key!r} is given more than once")
        out[assignment.key] = _value(assignment, spec, stdin)
    return out
