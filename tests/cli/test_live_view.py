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
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 1
    transcript = ANSI.sub("", child.before or "")
    assert re.search(r"Error: prediction \w+ failed: gone wrong", transcript), transcript


def test_tokens_show_while_the_model_runs(real_clock_mock: MockServer, tmp_path: Path) -> None:
    real_clock_mock.control.register_model(
        {
            "model": "acme/slow-story",
            "output": [{"at": 0.1, "chunk": "Once"}, {"at": 1.6, "chunk": " upon a time"}],
        }
    )
    child = _spawn(["stream", "acme/slow-story"], real_clock_mock, tmp_path)
    child.expect("Once")
    frame = ANSI.sub("", (child.before or "") + str(child.after))
    assert "processing" in frame and "upon" not in frame  # shown live, before the rest exists
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert "Once upon a time" in ANSI.sub("", child.before or "")


def test_interrupt_leaves_the_prediction_running_and_says_how_to_cancel(
    real_clock_mock: MockServer, tmp_path: Path
) -> None:
    child = _spawn(["run", "mock/slow", "duration=60"], real_clock_mock, tmp_path)
    child.expect("│ tick 0")
    child.sendintr()
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    transcript = ANSI.sub("", child.before or "")
    assert re.search(r"replicate-kit predictions cancel \w+", transcript), transcript
