"""README.md's "Typed models" section, run against the mock: its gen-types commands, then its
Python block importing what they wrote."""

from __future__ import annotations

import re
import shlex
import sys
from pathlib import Path

import pytest

from tests.readme_sections import python_blocks, readme_section

from .conftest import CliFn

SECTION = readme_section("Typed models")


def _commands() -> list[list[str]]:
    blocks = re.findall(r"```sh\n(.*?)```", SECTION, re.S)
    lines = [line for block in blocks for line in block.splitlines()]
    return [shlex.split(line)[1:] for line in lines if line.startswith("replicate-kit gen-types")]


def test_the_section_generates_and_uses_types_for_llama_and_sdxl(
    cli: CliFn, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, replicate_mock: object
) -> None:
    commands = _commands()
    assert len(commands) == 3 and all(
        "meta/meta-llama-3-8b-instruct" in c and "stability-ai/sdxl" in c for c in commands
    )
    for command in commands:  # the last is --check: it passes right after generating
        run = cli(*command)
        assert run.exit_code == 0, run.stderr
    assert (tmp_path / "src" / "replicate-models" / "index.ts").is_file()
    monkeypatch.setenv("REPLICATE_API_TOKEN", replicate_mock.token)  # type: ignore[attr-defined]
    monkeypatch.setenv("REPLICATE_BASE_URL", replicate_mock.url)  # type: ignore[attr-defined]
    monkeypatch.setenv("REPLICATE_POLL_INTERVAL", "0")
    monkeypatch.syspath_prepend(str(tmp_path))
    (block,) = python_blocks(SECTION)
    try:
        exec(compile(block, "README.md", "exec"), {"__name__": "__readme__"})
    finally:
        for name in [m for m in sys.modules if m.split(".")[0] == "replicate_models"]:
            del sys.modules[name]
