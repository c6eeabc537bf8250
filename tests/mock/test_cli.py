"""`replicate-mock serve` as a subprocess: startup line, fixtures, graceful shutdown."""

from __future__ import annotations

import re
import signal
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

FIXTURES = """
models:
  - model: acme/fixture
    output: from fixtures
accounts:
  - token: r8_fixture_token
    username: fixture-user
"""


def _serve(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "mock_server", "serve", "--port", "0", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM])
def test_serve_prints_url_and_token_then_stops_gracefully(tmp_path: Path, stop: int) -> None:
    fixtures = tmp_path / "fixtures.yaml"
    fixtures.write_text(FIXTURES)
    process = _serve(
        "--clock", "auto", "--seed", "5", "--fixtures", str(fixtures), "--token", "r8_fixture_token"
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        match = re.search(r"REPLICATE_BASE_URL=(\S+) REPLICATE_API_TOKEN=(\S+)", line)
        assert match, line
        base, token = match.groups()
        assert "clock auto" in line and "seed 5" in line
        headers = {"Authorization": f"Bearer {token}"}
        with httpx.Client(base_url=base + "/v1", headers=headers, timeout=10) as client:
            assert client.get("/account").json()["username"] == "fixture-user"
            created = client.post(
                "/models/acme/fixture/predictions", json={"input": {}}, headers={"Prefer": "wait"}
            )
            assert created.json()["output"] == "from fixtures"
            assert (
                client.get("/account", headers={"Authorization": "Bearer other"}).status_code == 401
            )
    finally:
        process.send_signal(stop)
        out, err = process.communicate(timeout=10)
    assert process.returncode == 0, err
    assert "stopped" in out


def test_serve_rejects_a_broken_fixtures_file(tmp_path: Path) -> None:
    fixtures = tmp_path / "broken.yaml"
    fixtures.write_text("models: [{owner: x}]\n")
    process = _serve("--fixtures", str(fixtures))
    _, err = process.communicate(timeout=10)
    assert process.returncode == 2
    assert "invalid fixtures" in err


def test_serve_a_cog_predictor_from_the_command_line() -> None:
    predictor = Path(__file__).parent / "predictors" / "captioner.py"
    process = _serve("--clock", "auto", "--predictor", f"acme/loud={predictor}:shout")
    try:
        assert process.stdout is not None
        match = re.search(
            r"REPLICATE_BASE_URL=(\S+) REPLICATE_API_TOKEN=(\S+)", process.stdout.readline()
        )
        assert match
        base, token = match.groups()
        with httpx.Client(base_url=base + "/v1", timeout=10) as client:
            created = client.post(
                "/models/acme/loud/predictions",
                json={"input": {"text": "cli"}},
                headers={"Prefer": "wait", "Authorization": f"Bearer {token}"},
            )
        assert created.json()["output"] == "CLI!"
    finally:
        process.send_signal(signal.SIGINT)
        process.communicate(timeout=10)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("acme/loud", "--predictor takes OWNER/NAME=REF"),
        ("loud=predict.py:Predictor", "--predictor takes OWNER/NAME=REF"),
        ("acme/loud=nowhere.py:Predictor", "predictor file not found"),
    ],
)
def test_serve_rejects_a_bad_predictor_flag(value: str, message: str) -> None:
    process = _serve("--predictor", value)
    _, err = process.communicate(timeout=10)
    assert process.returncode == 2
    assert message in err and "Traceback" not in err


def test_serve_on_granian_keeps_the_mock_clock_faults_and_shutdown() -> None:
    pytest.importorskip("granian")
    process = _serve("--clock", "virtual", "--server", "granian")
    try:
        assert process.stdout is not None
        line = process.stdout.readline()  # printed once granian accepts connections
        match = re.search(r"REPLICATE_BASE_URL=(\S+) REPLICATE_API_TOKEN=(\S+)", line)
        assert match, line
        base, token = match.groups()
        headers = {"Authorization": f"Bearer {token}"}
        with httpx.Client(base_url=base, headers=headers, timeout=10) as client:
            account = client.get("/v1/account")
            assert account.status_code == 200
            # One Date, the mock's virtual clock's (granian adds none of its own).
            assert account.headers.get_list("date") == ["Wed, 01 Jan 2025 00:00:00 GMT"]
            client.post(
                "/_mock/faults", json={"method": "GET", "path": "/v1/hardware", "drop": True}
            )
            with pytest.raises(httpx.RemoteProtocolError):  # the headers came, then nothing
                client.get("/v1/hardware")
            assert (
                client.get("/_mock/journal", params={"path": "/v1/hardware"}).json()[-1]["status"]
                == 200
            )
    finally:
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=10)
    assert process.returncode == 0, err
    assert "stopped" in out
