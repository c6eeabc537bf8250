"""Token/base URL resolution, error reporting, exit codes, completion."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from mock_server import MockServer
from tests.cli.conftest import CliFn

GOOD = "r8_cli_strict_good_token_123"
SCRIPT = Path(sys.executable).parent / "replicate-kit"


@pytest.fixture(scope="module")
def strict_mock() -> Iterator[MockServer]:
    server = MockServer(seed=0, clock="auto", tokens=[GOOD]).start()
    try:
        yield server
    finally:
        server.stop()


def test_missing_token_exits_2(cli: CliFn) -> None:
    result = cli("whoami", env={"REPLICATE_API_TOKEN": None})
    assert result.exit_code == 2
    assert result.error_line == (
        "Error: no API token: set REPLICATE_API_TOKEN (environment or .env) or pass --token"
    )


def test_token_from_dotenv_and_option(cli: CliFn, replicate_mock: Any, tmp_path: Path) -> None:
    (tmp_path / ".env").write_text(f"REPLICATE_API_TOKEN={replicate_mock.token}\n")
    from_file = cli("whoami", env={"REPLICATE_API_TOKEN": None})
    assert from_file.exit_code == 0, from_file.stderr
    assert from_file.json()["username"] == replicate_mock.username
    (tmp_path / ".env").unlink()
    from_option = cli("--token", replicate_mock.token, "whoami", env={"REPLICATE_API_TOKEN": None})
    assert from_option.json()["username"] == replicate_mock.username


def test_base_url_option_wins_over_environment(cli: CliFn, replicate_mock: Any) -> None:
    result = cli(
        "--base-url", replicate_mock.url, "whoami", env={"REPLICATE_BASE_URL": "http://127.0.0.1:9"}
    )
    assert result.exit_code == 0, result.stderr
    bad = cli("--base-url", "ftp://nowhere", "whoami")
    assert bad.exit_code == 2
    assert "Invalid base URL" in bad.error_line


def test_wrong_token_exits_3_and_is_never_printed(cli: CliFn, strict_mock: MockServer) -> None:
    secret = "r8_this_token_must_not_leak_42"
    for extra in ([], ["--debug"]):
        result = cli(
            *extra,
            "--base-url",
            strict_mock.url,
            "run",
            "replicate/hello-world",
            "text=x",
            env={"REPLICATE_API_TOKEN": secret},
        )
        assert result.exit_code == 3
        assert result.stderr.splitlines()[-1].startswith("Error: HTTP 401")
        assert secret not in result.stdout + result.stderr


def test_debug_shows_a_traceback_without_the_token(cli: CliFn, replicate_mock: Any) -> None:
    plain = cli("models", "get", "nobody/nothing")
    assert plain.exit_code == 3
    assert "Traceback" not in plain.stderr
    debug = cli("--debug", "models", "get", "nobody/nothing")
    assert debug.exit_code == 3
    assert "Traceback (most recent call last)" in debug.stderr
    assert "NotFoundError" in debug.stderr
    assert debug.stderr.splitlines()[-1] == plain.error_line
    assert replicate_mock.token not in debug.stderr


def test_network_error_exits_3(cli: CliFn) -> None:
    result = cli("--max-retries", "0", "--base-url", "http://127.0.0.1:9", "whoami")
    assert result.exit_code == 3
    assert result.error_line.startswith("Error: cannot reach the API")


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (
            ["no-such-command"],
            "Error: No such command 'no-such-command'. (see: replicate-kit --help)",
        ),
        (["--bogus", "whoami"], "Error: No such option: --bogus (see: replicate-kit --help)"),
        (["run"], "Error: Missing argument 'ref'. (see: replicate-kit run --help)"),
        (
            ["models", "create", "a/b", "--hardware", "cpu", "--visibility", "secret"],
            "Error: Invalid value for --visibility: must be public or private "
            "(see: replicate-kit models create --help)",
        ),
    ],
)
def test_usage_errors_from_the_parser_are_one_line_exit_2(
    cli: CliFn, args: list[str], line: str
) -> None:
    result = cli(*args)
    assert result.exit_code == 2
    assert result.error_line == line


def test_version_and_help(cli: CliFn) -> None:
    from replicate_kit import __version__

    assert cli("--version").stdout.strip() == f"replicate-kit {__version__}"
    help_text = cli("--help").stdout
    for command in (
        "run",
        "predict",
        "stream",
        "predictions",
        "models",
        "trainings",
        "deployments",
        "files",
        "hardware",
        "collections",
        "webhooks",
        "whoami",
    ):
        assert command in help_text


def test_shell_completion_script_and_completions(cli: CliFn) -> None:
    script = cli("--show-completion", "bash")
    assert script.exit_code == 0
    assert "_REPLICATE_KIT_COMPLETE" in script.stdout
    env = {
        **os.environ,
        "_REPLICATE_KIT_COMPLETE": "complete_bash",
        "COMP_WORDS": "replicate-kit pred",
        "COMP_CWORD": "1",
    }
    done = subprocess.run([str(SCRIPT)], env=env, capture_output=True, text=True, timeout=30)
    assert done.returncode == 0, done.stderr
    assert set(done.stdout.split()) >= {"predict", "predictions"}
