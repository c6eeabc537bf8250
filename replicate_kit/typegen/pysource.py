"""Small helpers that spell Python source the way ``ruff format`` would leave it.

Anything that may not fit a line is written exploded with a trailing comma: ruff keeps such a
"magic trailing comma" split at any line length, so the output is stable under any config.
"""

from __future__ import annotations

from replicate_kit.typegen.naming import json_string

LINE = 88


def string(text: str) -> str:
    """A double-quoted literal (ruff's preferred quotes); any character is escaped safely."""
    return json_string(text)


def docstring(lines: list[str], indent: str) -> list[str]:
    """A triple-quoted docstring; text is escaped so any description is safe."""
    clean = [_doc_escape(line).rstrip() for line in lines if line.strip()]
    if not clean:
        return []
    if clean[-1].endswith('"'):
        clean[-1] = clean[-1][:-1] + '\\"'
    if len(clean) == 1:
        return [f'{indent}"""{clean[0]}"""']
    return [f'{indent}"""{clean[0]}', *(f"{indent}{line}" for line in clean[1:]), f'{indent}"""']


def _doc_escape(text: str) -> str:
    return printable(text).replace("\\", "\\\\").replace('"""', '\\"\\"\\"')


def printable(text: str) -> str:
    """Prose for a comment or docstring: control characters and lone surrogates dropped."""
    return "".join(c for c in text if c.isprintable() and not 0xD800 <= ord(c) <= 0xDFFF)


def bracketed(head: str, items: list[str], tail: str, indent: str = "") -> list[str]:
    """``head[a, b]tail`` on one line when it fits, else one item per line with a trailing comma."""
    one = f"{indent}{head}{', '.join(items)}{tail}"
    if len(one) <= LINE and "\n" not in one:
        return [one]
    return [f"{indent}{head}", *(f"{indent}    {item}," for item in items), f"{indent}{tail}"]


def wrap(text: str, width: int) -> list[str]:
    """Words of ``text`` in lines of at most ``width`` characters (a long word stays whole)."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        if current and len(current) + 1 + len(word) > width:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}" if current else word
    if current:
        lines.append(current)
    return lines


def import_from(module: str, names: list[str]) -> list[str]:
    """``from module import a, b``, parenthesised one per line when it does not fit."""
    one = f"from {module} import {', '.join(names)}"
    if len(one) <= LINE:
        return [one]
    return [f"from {module} import (", *(f"    {n}," for n in names), ")"]
