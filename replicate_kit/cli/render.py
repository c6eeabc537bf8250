"""Printing results: tables and plain text on a terminal, JSON otherwise.

Human output goes to stdout through rich; progress and notes go to stderr so stdout
stays the result. JSON mode (``--json`` or stdout not a terminal) prints one JSON
document per command, or JSON lines for streams.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table


def stdout_is_tty() -> bool:
    return sys.stdout.isatty()


def stderr_is_tty() -> bool:
    return sys.stderr.isatty()


def to_jsonable(value: Any) -> Any:
    """Result objects become their API JSON; FileOutputs their URL."""
    to_dict = getattr(value, "to_dict", None)
    if callable(to_dict):
        return to_jsonable(to_dict())
    if isinstance(value, Mapping):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_jsonable(v) for v in value]
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    url = getattr(value, "url", None)
    return url if isinstance(url, str) else str(value)


def pluck(data: Mapping[str, Any], path: str) -> Any:
    """``pluck(d, "a.b")`` is ``d["a"]["b"]`` or None."""
    node: Any = data
    for part in path.split("."):
        if not isinstance(node, Mapping):
            return None
        node = node.get(part)
    return node


def cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return str(value)
    return json.dumps(to_jsonable(value), ensure_ascii=False)


class Renderer:
    def __init__(self, json_mode: bool) -> None:
        self.human = not json_mode and stdout_is_tty()
        self.out = Console(highlight=False, soft_wrap=True)
        self.err = Console(stderr=True, highlight=False, soft_wrap=True)

    @property
    def json(self) -> bool:
        return not self.human

    # -- JSON ---------------------------------------------------------------------------------

    def json_value(self, value: Any) -> None:
        sys.stdout.write(json.dumps(to_jsonable(value), indent=2, ensure_ascii=False) + "\n")
        sys.stdout.flush()

    def json_line(self, value: Any) -> None:
        sys.stdout.write(json.dumps(to_jsonable(value), ensure_ascii=False) + "\n")
        sys.stdout.flush()

    # -- results ------------------------------------------------------------------------------

    def record(self, obj: Any, fields: Sequence[str] | None = None) -> None:
        """One object: JSON, or ``key  value`` lines (all top-level keys unless ``fields``)."""
        data = to_jsonable(obj)
        if self.json or not isinstance(data, Mapping):
            self.json_value(data)
            return
        grid = Table.grid(padding=(0, 2))
        grid.add_column(style="bold", no_wrap=True)
        grid.add_column(overflow="fold")  # ids and URLs stay whole, folded if they must
        for name in fields or list(data):
            value = pluck(data, name)
            if value is not None and value != "" and value != {} and value != []:
                grid.add_row(name, escape(cell(value)))
        self.out.print(grid)

    def records(self, items: Iterable[Any], columns: Sequence[str]) -> None:
        """A list: a JSON array, or a table with ``columns`` (dotted paths)."""
        rows = [to_jsonable(item) for item in items]
        if self.json:
            self.json_value(rows)
            return
        if not rows:
            self.note("(none)")
            return
        table = Table(box=None, header_style="bold", pad_edge=False)
        for name in columns:
            table.add_column(name.rsplit(".", 1)[-1])
        for row in rows:
            table.add_row(*(escape(cell(pluck(row, c))) for c in columns))
        self.out.print(table)

    def text(self, text: str) -> None:
        """Plain result text on stdout (no markup, no wrapping)."""
        self.out.print(text, markup=False, highlight=False)

    def note(self, text: str) -> None:
        """A remark for people (stderr), e.g. where a file was saved."""
        self.err.print(text, markup=False, highlight=False)
