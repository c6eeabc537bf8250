"""The shell examples of README.md's "CLI" section, run line by line against the mock.

A line is ``replicate-kit ...`` or ``echo TEXT | replicate-kit ...``; a trailing
``# exit N`` comment is the expected exit code (default 0). ``export`` lines are the
reader's setup: the test sets those variables itself. Files named in ``key=@file`` are
created first.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from tests.cli.conftest import CliFn

README = Path(__file__).parents[2] / "README.md"
BLOCK = re.compile(r"```sh\n(.*?)```", re.S)
EXIT = re.compile(r"#\s*exit (\d+)")


def _section() -> str:
    match = re.search(r"^## CLI\n(.*?)(?=^## |\Z)", README.read_text(), re.S | re.M)
    return match.group(1) if match else ""


def _examples() -> list[str]:
    lines = []
    for block in BLOCK.findall(_section()):
        for line in block.splitlines():
            stripped = line.strip()
            if stripped and not stripped.startswith(("#", "export ")):
                lines.append(stripped)
    return lines


def test_the_section_has_examples() -> None:
    assert len(_examples()) >= 10


@pytest.mark.parametrize("line", _examples())
def test_example(line: str, cli: CliFn, tmp_path: Path) -> None:
    expected = EXIT.search(line)
    stdin: str | None = None
    words = shlex.split(line, comments=True)
    if "|" in words:
        pipe = words.index("|")
        assert words[0] == "echo", line
        stdin = " ".join(words[1:pipe]) + "\n"
        words = words[pipe + 1 :]
    assert words[0] == "replicate-kit", line
    for word in words:
        _, _, value = word.partition("=")
        if value.startswith("@") and value not in ("@-",) and not value.startswith("@@"):
            (tmp_path / value[1:]).write_text("example file\n")
    result = cli(*words[1:], input=stdin)
    assert result.exit_code == (int(expected.group(1)) if expected else 0), (
        result.stdout + result.stderr
    )
    if expected:
        assert result.stderr.count("\n") == 1 and result.stderr.startswith("Error: ")
