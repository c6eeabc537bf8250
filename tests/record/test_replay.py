"""Record a session against one mock, replay it on another: equal outputs, states and tokens
through the official client, replicate_kit over HTTP and replicate_kit over gRPC."""

from __future__ import annotations

import http.server
import json
import threading
import time
from collections.abc import Iterator

import httpx
import pytest
import replicate

import replicate_kit
from mock_server import MockServer
from mock_server.record.cassette import Cassette
from mock_server.record.replay import install
from tests.record.conftest import Recorded
from tests.record.session import run_session


@pytest.fixture(scope="module")
def replaying(recorded: Recorded) -> Iterator[MockServer]:
    # Another seed: ids, timestamps and any built-in randomness differ from the upstream's.
    server = MockServer(seed=2, clock="auto", grpc=True)
    install(server.engine, [recorded.folder])
    server.start()
    try:
        yield server
    finally:
        server.stop()


def _client(kind: str, mock: MockServer) -> object:
    token = f"r8_replay_{kind}"
    if kind == "official":
        return replicate.Client(api_token=token, base_url=mock.url)
    if kind == "kit-http":
        return replicate_kit.Client(token, base_url=mock.url)
    return replicate_kit.Client(
        token, base_url=mock.url, transport="grpc", grpc_target=mock.grpc_target
    )


@pytest.mark.parametrize("kind", ["official", "kit-http", "kit-grpc"])
def test_replay_gives_the_recorded_session(
    recorded: Recorded, replaying: MockServer, kind: str
) -> None:
    replayed = run_session(_client(kind, replaying), lambda: None)
    original = recorded.original
    states = [key for key in original if key.endswith("_states")]
    assert {k: v for k, v in replayed.items() if k not in states} == {
        k: v for k, v in original.items() if k not in states
    }
    assert "".join(original["tokens"]).strip() and len(original["images"]) == 2
    # Every state the upstream went through, each once, in order (the replay's auto clock
    # stops at each); the original client, polling a real clock, saw them or a subsequence.
    assert {key: replayed[key] for key in states} == {
        "story_states": ["starting", "processing", "succeeded"],
        "broken_states": ["starting", "processing", "failed"],
        "cancel_states": ["starting", "processing", "canceled"],
        "training_states": ["starting", "processing", "succeeded"],
    }
    for key in states:
        seen = iter(replayed[key])
        assert all(state in seen for state in original[key]), (key, original[key])


def test_replayed_ids_and_timestamps_are_the_mocks_own(
    recorded: Recorded, replaying: MockServer
) -> None:
    client = replicate.Client(api_token="r8_replay_ids", base_url=replaying.url)
    version = client.models.get("acme/story").latest_version.id
    first = client.predictions.create(version=version, input={"topic": "fox"})
    upstream_ids = {job for job in recorded.upstream.engine.jobs}
    assert first.id not in upstream_ids
    while first.status != "succeeded":
        first.reload()  # the auto clock jumps to each next state
    # Same relative times on the replay's clock: 0.4 s setup, then the recorded run time.
    with replaying.engine.lock:
        job = replaying.engine.jobs[first.id]
    # Timestamps are stored to the microsecond on both ends: a difference is exact to 1e-5 s.
    assert job.started_at is not None and job.completed_at is not None
    assert job.started_at - job.created_at == pytest.approx(0.4, abs=1e-5)
    assert job.completed_at - job.started_at == pytest.approx(0.55, abs=1e-5)


def test_prefer_wait_and_webhooks_work_on_a_replayed_prediction(replaying: MockServer) -> None:
    received: list[bytes] = []

    class Hook(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            received.append(self.rfile.read(int(self.headers.get("content-length", 0))))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    hook = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Hook)
    threading.Thread(target=hook.serve_forever, args=(0.01,), daemon=True).start()
    try:
        headers = {"Authorization": "Bearer r8_replay_hooks", "Prefer": "wait"}
        with httpx.Client(base_url=replaying.api_url, headers=headers, timeout=30) as api:
            version = api.get("/models/acme/story").json()["latest_version"]["id"]
            held = api.post(
                "/predictions",
                json={
                    "version": version,
                    "input": {"topic": "fox"},
                    "webhook": f"http://127.0.0.1:{hook.server_address[1]}/hook",
                    "webhook_events_filter": ["completed"],
                },
            )
        assert held.json()["status"] == "succeeded"
        assert held.json()["output"] == ["Once", " upon", " a time"]
        deadline = time.monotonic() + 5
        while not received and time.monotonic() < deadline:
            time.sleep(0.005)  # another thread's socket I/O, not the mock's clock
        (payload,) = [json.loads(body) for body in received]
        assert payload["id"] == held.json()["id"] and payload["status"] == "succeeded"
    finally:
        hook.shutdown()
        hook.server_close()


def test_a_recorded_cancel_ends_at_its_recorded_time_when_nobody_cancels(
    recorded: Recorded, replaying: MockServer
) -> None:
    entries = dict(Cassette.open(recorded.folder).entries())
    (entry,) = [e for e in entries.values() if e["status"] == "canceled"]
    client = replicate.Client(api_token="r8_replay_uncanceled", base_url=replaying.url)
    slow = client.predictions.create(
        version=client.models.get("mock/slow").latest_version.id, input={"duration": 30}
    )
    while slow.status not in ("succeeded", "failed", "canceled", "aborted"):
        slow.reload()
    assert slow.status == "canceled"
    with replaying.engine.lock:
        job = replaying.engine.jobs[slow.id]
    assert job.completed_at is not None
    assert job.completed_at - job.created_at == pytest.approx(entry["timing"]["total"], abs=1e-6)
