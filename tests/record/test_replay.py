"""Record a session against one mock, replay it on another: equal outputs, states and tokens
through the official client, replicate_kit over HTTP and replicate_kit over gRPC."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import replicate

import replicate_kit
from mock_server import MockServer
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
    assert replayed == recorded.original
    assert recorded.original["story_states"] == ["starting", "processing", "succeeded"]
    assert recorded.original["broken_states"][-1] == "failed"
    assert recorded.original["cancel_states"] == ["starting", "processing", "canceled"]
    assert recorded.original["training_states"][-1] == "succeeded"
    assert "".join(recorded.original["tokens"]).strip()


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
    assert job.started_at is not None and job.completed_at is not None
    assert job.started_at - job.created_at == pytest.approx(0.4, abs=1e-6)
    assert job.completed_at - job.started_at == pytest.approx(0.55, abs=1e-6)
