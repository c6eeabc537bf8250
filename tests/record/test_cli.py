"""``replicate-mock record`` and ``serve --cassettes`` as commands."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from mock_server.cli import main
from tests.record.conftest import Recorded
from tests.record.session import TOKEN

HEADERS = {"Authorization": f"Bearer {TOKEN}", "Prefer": "wait"}


def _start(*args: str) -> tuple[subprocess.Popen[str], str]:
    process = subprocess.Popen(
        [sys.executable, "-m", "mock_server", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    assert process.stdout is not None
    line = process.stdout.readline()
    found = re.search(r"REPLICATE_BASE_URL=(\S+)", line)
    if found is None:
        process.kill()
        raise AssertionError(f"no URL in {line!r}: {process.communicate(timeout=5)}")
    return process, found.group(1)


def _stop(process: subprocess.Popen[str]) -> tuple[str, str]:
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=20)
    assert process.returncode == 0, err
    return out, err


def test_record_then_serve_the_cassette(recorded: Recorded, tmp_path: Path) -> None:
    folder = tmp_path / "cli-cassette"
    version = httpx.get(recorded.upstream.api_url + "/models/acme/story", headers=HEADERS).json()[
        "latest_version"
    ]["id"]
    body = {"version": version, "input": {"topic": "cli"}}

    process, url = _start(
        "record", "--upstream", recorded.upstream.url, "--out", str(folder), "--port", "0"
    )
    try:
        created = httpx.post(url + "/v1/predictions", json=body, headers=HEADERS, timeout=30)
        assert created.status_code == 201
    finally:
        out, err = _stop(process)
    assert "recorded 1 job(s)" in out and "Traceback" not in err
    assert TOKEN not in "".join(p.read_text() for p in folder.rglob("*.yaml"))

    process, url = _start("serve", "--port", "0", "--clock", "auto", "--cassettes", str(folder))
    try:
        replayed = httpx.post(url + "/v1/predictions", json=body, headers=HEADERS, timeout=30)
        assert replayed.status_code == 201
        assert replayed.json()["output"] == ["Once", " upon", " a time"]
        missed = httpx.post(
            url + "/v1/predictions", json={**body, "input": {"topic": "dog"}}, headers=HEADERS
        )
        assert missed.status_code == 422 and missed.json()["closest_recording"].endswith(
            "acme-story.yaml"
        )
    finally:
        process.send_signal(signal.SIGTERM)
        process.communicate(timeout=20)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--cassettes", "{missing}"], "is not a cassette"),
        (["--cassettes", "{folder}", "--match", "fuzzy"], "matching must be"),
        (["--cassettes", "{folder}", "--record-missing"], "needs --upstream"),
        (["--record-missing"], "need --cassettes"),
        (["--cassettes", "{broken}"], "0001-prediction-acme-story.yaml: not a valid recording"),
    ],
)
def test_bad_replay_options_are_one_line_errors(
    recorded: Recorded,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    message: str,
) -> None:
    broken = tmp_path / "broken"
    shutil.copytree(recorded.folder, broken)
    entry = broken / "entries" / "0001-prediction-acme-story.yaml"
    entry.write_text(entry.read_text().replace("timing:", "timing: {setup: soon}\nx_timing:"))
    filled = [
        a.format(missing=tmp_path / "nope", folder=recorded.folder, broken=broken) for a in args
    ]
    assert main(["serve", "--port", "0", *filled]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err and len(err.strip().splitlines()) == 1
