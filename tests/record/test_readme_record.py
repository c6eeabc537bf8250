"""README.md's "Record and replay" section: its flags exist (tests/docs runs its examples)."""

from __future__ import annotations

import re

from mock_server.cli import _parser
from tests.readme_sections import readme_section


def section() -> str:
    return readme_section("Record and replay")


def test_documented_flags_exist() -> None:
    flags = set(re.findall(r"(--[a-z][a-z-]+)", section()))
    assert {"--cassettes", "--match", "--record-missing", "--upstream", "--out"} <= flags
    parser = _parser()
    commands = next(a for a in parser._actions if a.dest == "command").choices  # type: ignore[union-attr]
    known = {
        flag for command in commands.values() for a in command._actions for flag in a.option_strings
    }
    # The pytest plugin's options, and replicate-kit's in the walk-through.
    others = {"--replicate-cassettes", "--replicate-match", "--output-dir"}
    assert flags - known <= others, flags - known - others
