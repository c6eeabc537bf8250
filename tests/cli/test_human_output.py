"""What people see on a terminal (stdout a tty): plain results, tables, saved files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.cli.conftest import CliFn


@pytest.fixture(autouse=True)
def stdout_is_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("replicate_kit.cli.render.stdout_is_tty", lambda: True)


def test_run_prints_the_output_only(cli: CliFn) -> None:
    result = cli("run", "replicate/hello-world", "text=Alice")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "hello Alice\n"


def test_json_flag_wins_on_a_terminal(cli: CliFn) -> None:
    assert cli("run", "mock/echo", "text=x", "--json").json()["output"] == "x"
    assert cli("--json", "run", "mock/echo", "text=x").json()["output"] == "x"


def test_file_outputs_saved_in_the_current_directory(cli: CliFn, tmp_path: Path) -> None:
    first = cli("run", "stability-ai/sdxl", "prompt=a cat", "num_outputs=2")
    assert first.exit_code == 0, first.stderr
    paths = [Path(line) for line in first.stdout.splitlines()]
    assert len(paths) == 2
    assert all(p.parent == tmp_path and p.read_bytes()[:4] == b"\x89PNG" for p in paths)
    again = cli("run", "stability-ai/sdxl", "prompt=a cat")
    (path,) = [Path(line) for line in again.stdout.splitlines()]
    assert path not in paths and path.exists()  # never overwrites


def test_streamed_text_is_printed(cli: CliFn) -> None:
    result = cli("stream", "meta/meta-llama-3-8b-instruct", "prompt=hi", "max_tokens=4")
    assert result.exit_code == 0, result.stderr
    text = result.stdout.strip()
    assert text and "{" not in text


def test_failure_shows_log_tail_then_one_error_line(cli: CliFn) -> None:
    result = cli("run", "mock/fail", "message=kaput")
    assert result.exit_code == 1
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert "RuntimeError: kaput" in "\n".join(lines[:-1])
    assert lines[-1].startswith("Error: prediction ") and lines[-1].endswith("failed: kaput")


def test_tables(cli: CliFn, replicate_mock: Any) -> None:
    model = cli("models", "get", "stability-ai/sdxl")
    assert model.exit_code == 0, model.stderr
    assert "inputs" in model.stdout
    assert "num_outputs" in model.stdout and "one of: DDIM" in model.stdout
    cli("run", "replicate/hello-world", "text=t")
    listed = cli("predictions", "list")
    assert listed.stdout.split()[:4] == ["id", "model", "status", "created_at"]
    assert "replicate/hello-world" in listed.stdout
    who = cli("whoami")
    assert who.stdout.startswith(replicate_mock.username)
