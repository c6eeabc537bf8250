"""The live view in a real pseudo-terminal: spinner line with status and elapsed time,
last log lines, streamed tokens, then the result (the view itself is cleared)."""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Iterator
from pathlib import Path

import pexpect
import pytest

from mock_server import MockServer

SCRIPT = str(Path(sys.executable).parent / "replicate-kit")
TOKEN = "r8_live_view_token_should_not_show"
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


@pytest.fixture(scope="module")
def real_clock_mock() -> Iterator[MockServer]:
    # Real time at double speed: a 2 s model takes 1 s, long enough to watch.
    server = MockServer(seed=0, clock="real", speed=2.0).start()
    try:
        yield server
    finally:
        server.stop()


def _spawn(args: list[str], mock: MockServer, cwd: Path) -> pexpect.spawn:
    env = {
        **os.environ,
        "REPLICATE_API_TOKEN": TOKEN,
        "REPLICATE_BASE_URL": mock.url,
        "REPLICATE_POLL_INTERVAL": "0.05",
        "TERM": "xterm-256color",
        "COLUMNS": "100",
        "LINES": "30",
    }
    env.pop("NO_COLOR", None)
    return pexpect.spawn(
        SCRIPT, args, env=env, cwd=str(cwd), timeout=20, dimensions=(30, 100), encoding="utf-8"
    )


def test_live_view_while_polling(real_clock_mock: MockServer, tmp_path: Path) -> None:
    child = _spawn(["run", "mock/slow", "duration=2"], real_clock_mock, tmp_path)
    child.expect("processing")
    child.expect("mock/slow")
    child.expect(r"\d+\.\ds")  # elapsed time
    child.expect("│ tick 1")  # a log line
    child.expect("slept 2s")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    transcript = ANSI.sub("", child.before or "")
    assert TOKEN not in transcript


def test_live_view_streams_tokens(real_clock_mock: MockServer, tmp_path: Path) -> None:
    child = _spawn(
        ["stream", "meta/meta-llama-3-8b-instruct", "prompt=tell me a story", "max_tokens=12"],
        real_clock_mock,
        tmp_path,
    )
    child.expect("processing")
    child.expect("Prompt tokens: 4")  # the logs event, shown under the status line
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    screen = [line.strip() for line in ANSI.sub("", child.before or "").splitlines()]
    final = [line for line in screen if line and "processing" not in line and "│" not in line]
    assert final and len(final[-1].split()) >= 3  # the streamed text remains as the result


def test_failure_in_a_terminal(real_clock_mock: MockServer, tmp_path: Path) -> None:
    child = _spawn(["run", "mock/fail", "message=gone wrong"], real_clock_mock, tmp_path)
    child.expect("Error: prediction \\w+ failed: gone wrong")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 1
