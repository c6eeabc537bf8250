"""The exit-code table of README.md's "CLI" section, checked row by row against the mock.

Each row's codes must be the ones ``replicate_kit.cli.errors`` defines, and each backquoted
``replicate-kit ...`` example in the row must exit with the row's code. A leading ``NAME=value``
is an environment variable for that command. The ``130`` row is run as a real process and
interrupted once its prediction has been asked for.
"""

from __future__ import annotations

import os
import re
import shlex
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from mock_server import MockServer
from replicate_kit.cli import errors
from tests.cli.conftest import CliFn
from tests.readme_sections import readme_section

ROW = re.compile(r"^\| `(\d+)` \| (.*?) \| (.*?) \|$", re.M)
EXAMPLE = re.compile(r"`((?:[A-Z_]+=\S* )*replicate-kit [^`]*)`")
SCRIPT = Path(sys.executable).parent / "replicate-kit"


def _table() -> dict[int, list[str]]:
    rows = ROW.findall(readme_section("CLI"))
    return {int(code): EXAMPLE.findall(examples) for code, _, examples in rows}


def _cases() -> list[tuple[int, str]]:
    return [(code, example) for code, examples in _table().items() for example in examples]


def test_the_table_documents_every_exit_code_the_cli_uses() -> None:
    table = _table()
    defined = {errors.OK, errors.FAILED, errors.USAGE, errors.API, errors.INTERRUPTED}
    assert set(table) == defined
    assert all(table.values()), "every row needs an example"


def _split(example: str) -> tuple[dict[str, str | None], list[str]]:
    words = shlex.split(example)
    env: dict[str, str | None] = {}
    while "=" in words[0] and words[0] != "replicate-kit":
        name, _, value = words.pop(0).partition("=")
        env[name] = value
    assert words[0] == "replicate-kit", example
    return env, words[1:]


@pytest.mark.parametrize(
    ("code", "example"), [c for c in _cases() if c[0] != errors.INTERRUPTED], ids=str
)
def test_row(code: int, example: str, cli: CliFn) -> None:
    env, args = _split(example)
    result = cli(*args, env=env)
    assert result.exit_code == code, result.stdout + result.stderr
    if code != errors.OK:
        assert result.error_line.startswith("Error: ")
        assert "Traceback" not in result.stderr


@pytest.fixture(scope="module")
def real_clock_mock() -> Iterator[MockServer]:
    server = MockServer(seed=3, clock="real").start()
    try:
        yield server
    finally:
        server.stop()


@pytest.mark.parametrize(
    "example", [e for code, e in _cases() if code == errors.INTERRUPTED], ids=str
)
def test_interrupted_row(example: str, real_clock_mock: MockServer, tmp_path: Path) -> None:
    env, args = _split(example)
    before = real_clock_mock.control.create_count()
    child = subprocess.Popen(
        [str(SCRIPT), *args],
        cwd=tmp_path,
        env={
            **os.environ,
            "REPLICATE_API_TOKEN": "r8_exit_codes",
            "REPLICATE_BASE_URL": real_clock_mock.url,
            **{k: v for k, v in env.items() if v is not None},
        },
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        # Interrupt once the create arrived, so the CLI is waiting on the API, not starting up.
        deadline = time.monotonic() + 20
        while real_clock_mock.control.create_count() == before:
            assert child.poll() is None, child.communicate()
            assert time.monotonic() < deadline, "the CLI never created its prediction"
            time.sleep(0.02)
        child.send_signal(signal.SIGINT)
        _, stderr = child.communicate(timeout=20)
    finally:
        if child.poll() is None:
            child.kill()
            child.communicate()
    assert child.returncode == errors.INTERRUPTED, stderr
    assert stderr.splitlines()[-1] == "Error: interrupted", stderr
