"""The prose both writers put beside a field: description, default, range. Pure."""

from __future__ import annotations

import json
from typing import Any

from replicate_kit.typegen import ir

_BOUNDS = {
    "minimum": ">=",
    "exclusiveMinimum": ">",
    "maximum": "<=",
    "exclusiveMaximum": "<",
}


def field_lines(field: ir.FieldInfo) -> list[str]:
    """Sentences about one field, in a fixed order."""
    lines: list[str] = []
    if field.description:
        text = " ".join(field.description.split())
        lines.append(text if text.endswith((".", "!", "?", ":")) else f"{text}.")
    facts: list[str] = []
    if field.has_default:
        facts.append(f"Default: {literal(field.default)}.")
    elif not field.required:
        facts.append("Optional.")
    constraints = dict(field.constraints)
    bounds = [
        f"{op} {literal(constraints[key])}" for key, op in _BOUNDS.items() if key in constraints
    ]
    if bounds:
        facts.append(f"Range: {', '.join(bounds)}.")
    lengths = [
        f"{word} {constraints[key]}"
        for key, word in (("minLength", "min"), ("maxLength", "max"))
        if key in constraints
    ]
    if lengths:
        facts.append(f"Length: {', '.join(lengths)}.")
    items = [
        f"{word} {constraints[key]}"
        for key, word in (("minItems", "min"), ("maxItems", "max"))
        if key in constraints
    ]
    if items:
        facts.append(f"Items: {', '.join(items)}.")
    if "pattern" in constraints:
        facts.append(f"Pattern: {constraints['pattern']}.")
    if field.deprecated:
        facts.append("Deprecated.")
    if facts:
        lines.append(" ".join(facts))
    return lines


def literal(value: Any) -> str:
    """A value as JSON: what the API receives, the same in both languages."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True)
