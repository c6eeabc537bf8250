"""The fenced code blocks of the project's Markdown docs, with the docs-test markers next to them.

A marker is an HTML comment on the line right before a fence (blank lines between are allowed):

- ``<!-- docs-test: skip, REASON -->``: the docs test does not run the block, and says why.
- ``<!-- docs-test: mypy -->``: a ``python`` block is also type-checked with ``mypy --strict``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LANGUAGES = ("python", "sh", "ts")
FENCE = re.compile(r"^```(\S*)\s*$")
MARKER = re.compile(r"^<!--\s*docs-test:\s*(.*?)\s*-->\s*$")
HEADING = re.compile(r"^(#{1,6}) (.+?)\s*$")


def documents() -> list[Path]:
    """README.md, the TypeScript package's README and docs/ (if any), as paths under ROOT."""
    found = [ROOT / "README.md", ROOT / "ts" / "README.md", *sorted(ROOT.glob("docs/**/*.md"))]
    return [path for path in found if path.is_file()]


@dataclass(frozen=True)
class Block:
    """One fenced block: where it is, its language, its text and what its marker asks."""

    path: Path
    section: str
    line: int  # of the opening fence, 1-based
    language: str
    code: str
    skip: str | None = None  # the reason, when marked to skip
    mypy: bool = False

    @property
    def name(self) -> str:
        slug = re.sub(r"[^a-z0-9]+", "-", self.section.lower()).strip("-")
        return f"{self.path.relative_to(ROOT)}:{self.line}:{self.language}:{slug}"


class MarkerError(ValueError):
    """A docs-test marker that is malformed or not next to a fence."""


def parse(path: Path) -> list[Block]:
    """Every fenced block of ``path`` whose language is one the docs test runs."""
    lines = path.read_text().splitlines()
    blocks: list[Block] = []
    section = ""
    pending: list[str] = []  # markers waiting for their fence
    index = 0
    while index < len(lines):
        text = lines[index]
        fence = FENCE.match(text)
        if fence:
            end = index + 1
            while end < len(lines) and lines[end].rstrip() != "```":
                end += 1
            if end == len(lines):
                raise MarkerError(f"{path}:{index + 1}: a fence that is never closed")
            language = fence.group(1)
            if language in LANGUAGES:
                blocks.append(_block(path, section, index + 1, language, lines, end, pending))
            elif pending:
                raise MarkerError(f"{path}:{index + 1}: a docs-test marker on a {language!r} block")
            pending = []
            index = end + 1
            continue
        marker = MARKER.match(text)
        heading = HEADING.match(text)
        if marker:
            pending.append(marker.group(1))
        elif text.strip() and pending:
            raise MarkerError(
                f"{path}:{index + 1}: a docs-test marker must come right before a fence"
            )
        elif heading:
            section = heading.group(2)
        index += 1
    if pending:
        raise MarkerError(f"{path}: a docs-test marker at the end, with no fence after it")
    return blocks


def _block(
    path: Path,
    section: str,
    line: int,
    language: str,
    lines: list[str],
    end: int,
    markers: list[str],
) -> Block:
    skip: str | None = None
    mypy = False
    for marker in markers:
        kind, _, reason = marker.partition(",")
        if kind.strip() == "skip" and reason.strip():
            skip = reason.strip()
        elif marker.strip() == "mypy" and language == "python":
            mypy = True
        else:
            raise MarkerError(
                f"{path}:{line}: unknown docs-test marker {marker!r} "
                "(use 'skip, <reason>', or 'mypy' on a python block)"
            )
    code = "\n".join(lines[line:end]) + "\n"
    return Block(path, section, line, language, code, skip, mypy)


def all_blocks() -> list[Block]:
    """The blocks of every document, in document order."""
    return [block for path in documents() for block in parse(path)]
