"""Fixtures for CLI tests: run ``replicate-kit`` in-process against the mock."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from replicate_kit.cli import app


@dataclass
class Run:
    exit_code: int
    stdout: str
    stderr: str
    stdout_bytes: bytes = b""

    def json(self) -> Any:
        return json.loads(self.stdout)

    def json_lines(self) -> list[Any]:
        return [json.loads(line) for line in self.stdout.splitlines() if line.strip()]

    @property
    def error_line(self) -> str:
        """The single error line the CLI prints (asserting it is the only stderr line)."""
        lines = [line for line in self.stderr.splitlines() if line.strip()]
        assert len(lines) == 1, self.stderr
        return lines[0]


CliFn = Callable[..., Run]


@pytest.fixture
def cli(replicate_mock: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliFn:
    """``cli("run", "owner/name", "k=v", input=..., env=...)`` -> Run (token/base URL from the mock)."""
    monkeypatch.chdir(tmp_path)  # no stray .env; files land in tmp_path

    def invoke(
        *args: str, input: str | bytes | None = None, env: dict[str, str | None] | None = None
    ) -> Run:
        full_env: dict[str, str | None] = {
            "REPLICATE_API_TOKEN": replicate_mock.token,
            "REPLICATE_BASE_URL": replicate_mock.url,
            "REPLICATE_POLL_INTERVAL": "0",
            **(env or {}),
        }
        result = CliRunner().invoke(
            app, list(args), input=input, env=full_env, catch_exceptions=False
        )
        return Run(result.exit_code, result.stdout, result.stderr, result.stdout_bytes)

    return invoke
