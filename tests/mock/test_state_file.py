"""`replicate-mock serve --state FILE`: the engine's state survives a restart, even `kill -9`."""

from __future__ import annotations

import json
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from mock_server import MockServer, cli
from mock_server.engine import deployments, model_admin, persistence, trainings
from mock_server.engine.state_file import StateError

SERVE = (sys.executable, "-m", "mock_server", "serve", "--port", "0")
TOKEN = "r8_state_token"
HEADERS = {"Authorization": f"Bearer {TOKEN}"}
SCRIPT = {"model": "acme/runtime", "output": "from a runtime model", "setup_time": 0.0}


@contextmanager
def _serving(state: Path, *extra: str) -> Iterator[tuple[subprocess.Popen[str], httpx.Client]]:
    process = subprocess.Popen(
        [*SERVE, "--clock", "auto", "--state", str(state), "--state-interval", "0.2", *extra],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        match = re.search(r"REPLICATE_BASE_URL=(\S+)", line)
        assert match, line + (process.stderr.read() if process.stderr else "")
        with httpx.Client(base_url=match[1], headers=HEADERS, timeout=10) as client:
            yield process, client
    finally:
        if process.poll() is None:
            process.kill()
        process.communicate(timeout=10)


def _create(client: httpx.Client, count: int) -> list[str]:
    ids = []
    for i in range(count):
        response = client.post(
            "/v1/models/replicate/hello-world/predictions", json={"input": {"text": f"n{i}"}}
        )
        assert response.status_code == 201, response.text
        ids.append(response.json()["id"])
    return ids


def _saved_ids(state: Path) -> set[str]:
    try:
        document = json.loads(state.read_text())
    except (OSError, ValueError):  # not written yet
        return set()
    return {job["id"] for job in document["jobs"]} | {f["id"] for f in document["files"]["items"]}


def _wait_until_saved(state: Path, ids: set[str]) -> None:
    deadline = time.monotonic() + 10
    while not ids <= _saved_ids(state):
        assert time.monotonic() < deadline, "the state was not saved in time"
        time.sleep(0.05)


def _all_prediction_ids(client: httpx.Client) -> list[str]:
    ids: list[str] = []
    url: str | None = "/v1/predictions"
    while url is not None:
        page = client.get(url).json()
        ids += [p["id"] for p in page["results"]]
        url = page["next"]
    return ids


def test_kill_9_after_a_save_loses_nothing_saved_and_never_repeats_an_id(tmp_path: Path) -> None:
    state = tmp_path / "state.json"
    with _serving(state) as (process, client):
        kept = _create(client, 5)
        upload = client.post("/v1/files", files={"content": ("a.txt", b"kept bytes", "text/plain")})
        kept_file = upload.json()["id"]
        _wait_until_saved(state, {*kept, kept_file})
        # Handed out after the save: maybe lost, but their ids must never come back.
        maybe_lost = _create(client, 3)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)
    with _serving(state) as (_, client):
        listed = _all_prediction_ids(client)
        assert set(kept) <= set(listed)
        for prediction_id in kept:
            assert client.get(f"/v1/predictions/{prediction_id}").status_code == 200
        assert client.get(f"/v1/files/{kept_file}").json()["size"] == len(b"kept bytes")
        fresh = _create(client, 5)
        handed_out = [*kept, *maybe_lost, kept_file]
        assert not set(fresh) & set(handed_out)
        assert len(set(fresh)) == len(fresh)


def test_a_clean_shutdown_keeps_everything(tmp_path: Path) -> None:
    state = tmp_path / "state.json"
    with _serving(state, "--state-interval", "3600") as (process, client):
        created = _create(client, 3)
        registered = client.post("/_mock/models", json=SCRIPT)
        assert registered.status_code in (200, 201), registered.text
        done = client.post(
            "/v1/models/acme/runtime/predictions", json={"input": {}}, headers={"Prefer": "wait"}
        ).json()
        assert done["output"] == "from a runtime model"
        before = {p: client.get(f"/v1/predictions/{p}").json() for p in [*created, done["id"]]}
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=10) == 0
    assert _saved_ids(state) >= set(before)
    with _serving(state) as (_, client):
        for prediction_id, body in before.items():
            again = client.get(f"/v1/predictions/{prediction_id}").json()
            assert again["status"] == body["status"] or body["status"] in ("starting", "processing")
            assert again["input"] == body["input"] and again["created_at"] == body["created_at"]
        rerun = client.post(
            "/v1/models/acme/runtime/predictions", json={"input": {}}, headers={"Prefer": "wait"}
        ).json()
        assert rerun["output"] == "from a runtime model"
        assert rerun["id"] not in before


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"{not json", "not valid JSON"),
        (b'{"format": "something-else"}', "not a replicate-mock-state document"),
        (b'{"format": "replicate-mock-state", "version": 99}', "version 99 is not supported"),
        (b'{"format": "replicate-mock-state", "version": 1, "seed": 0}', "malformed state"),
    ],
)
def test_an_unusable_state_file_is_a_one_line_error(
    tmp_path: Path, content: bytes, reason: str, capsys: pytest.CaptureFixture[str]
) -> None:
    state = tmp_path / "state.json"
    state.write_bytes(content)
    # In process: `serve` refuses the file before it binds a socket.
    assert cli.main(["serve", "--port", "0", "--state", str(state)]) == 2
    err = capsys.readouterr().err
    assert reason in err
    assert len(err.strip().splitlines()) == 1, err
    assert "Traceback" not in err


# ------------------------------------------------------------- in process (no subprocess)
def test_the_whole_engine_state_round_trips(tmp_path: Path) -> None:
    """Trainings, deployments, runtime and trained versions, running jobs and the clock."""
    state = tmp_path / "state.json"
    first = MockServer(seed=3, clock="virtual")
    engine = first.engine
    first.control.register_model(SCRIPT)
    account = engine.authenticate(TOKEN)
    assert account is not None
    model_admin.create_model(
        engine,
        account,
        {"owner": account.username, "name": "dest", "visibility": "private", "hardware": "cpu"},
    )
    trainer = engine.get_model("mock", "trainer", account.username)
    assert trainer.latest_version is not None
    training = trainings.create_training(
        engine,
        account,
        "mock",
        "trainer",
        trainer.latest_version.id,
        trainings.TrainingRequest(f"{account.username}/dest", {}),
    )
    engine.advance(3600)
    trained = engine.get_model(account.username, "dest", account.username).latest_version
    assert trained is not None and training.status == "succeeded"
    runtime = engine.get_model("acme", "runtime", None)
    assert runtime.latest_version is not None
    deployment = deployments.create_deployment(
        engine,
        account,
        {
            "name": "dep",
            "model": f"{account.username}/dest",
            "version": trained.id,
            "hardware": "cpu",
            "min_instances": 0,
            "max_instances": 1,
        },
    )
    running = engine.create_prediction(account, runtime, runtime.latest_version, {}, route="test")
    dest, version = engine.resolve_version(
        f"{account.username}/dest:{trained.id}", account.username
    )
    from_trained = engine.create_prediction(account, dest, version, {}, route="test")
    assert not running.terminal
    persistence.save_file(engine, state)

    second = MockServer(seed=3, clock="virtual")
    assert persistence.load_file(second.engine, state)
    restored = second.engine
    assert restored.now() == engine.now()
    assert restored.authenticate(TOKEN) is not None
    assert restored.accounts.peek(TOKEN) == engine.accounts.peek(TOKEN)
    got = restored.get_job(account, training.id, "training")
    assert got.output == training.output and got.status == "succeeded"
    assert restored.deployments.get(account.username, "dep") is not None
    assert deployment.current.version == trained.id
    # Running jobs carry on where they were on the restored clock.
    restored.advance(3600)
    for job in (running, from_trained):
        again = restored.get_job(account, job.id)
        assert again.status == "succeeded", again.error
    assert restored.get_job(account, running.id).output == "from a runtime model"
    # A restored engine's ids come from a new stream.
    assert restored.ids.object_id() != engine.ids.object_id()


def test_a_state_saved_with_another_seed_is_refused(tmp_path: Path) -> None:
    state = tmp_path / "state.json"
    persistence.save_file(MockServer(seed=1).engine, state)
    with pytest.raises(StateError, match="--seed 1"):
        persistence.load_file(MockServer(seed=2).engine, state)


def test_no_state_file_yet_is_a_first_start(tmp_path: Path) -> None:
    assert persistence.load_file(MockServer().engine, tmp_path / "absent.json") is False
