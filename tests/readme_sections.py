"""Sections of README.md and their Python code blocks, for the tests that run the README."""

from __future__ import annotations

import re
from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"
PYTHON_BLOCK = re.compile(r"```python\n(.*?)```", re.S)


def readme_section(title: str) -> str:
    """The text under README.md's ``## {title}`` heading, up to the next ``## `` heading."""
    pattern = rf"^## {re.escape(title)}\n(.*?)(?=^## |\Z)"
    match = re.search(pattern, README.read_text(), re.S | re.M)
    assert match, f"README.md needs a '## {title}' section"
    return match.group(1)


def python_blocks(text: str) -> list[str]:
    """The bodies of the ```python blocks in ``text``, in order."""
    return PYTHON_BLOCK.findall(text)
