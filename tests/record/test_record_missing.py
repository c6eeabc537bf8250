"""``--record-missing``: an unmatched request goes upstream once, then replays."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import replicate

from mock_server import MockServer
from mock_server.record.cassette import Cassette
from mock_server.record.missing import RecordMissing
from mock_server.record.replay import install
from mock_server.record.serving import ServedApp
from tests.record.conftest import Recorded


def test_unmatched_requests_are_recorded_upstream_then_replayed(
    recorded: Recorded, tmp_path: Path
) -> None:
    folder = tmp_path / "cassette"
    shutil.copytree(recorded.folder, folder)
    before = len(Cassette.open(folder).entries())
    mock = MockServer(seed=4, clock="auto")
    replay = install(mock.engine, [folder])
    app = RecordMissing(mock.app, mock.engine, replay, recorded.upstream.url)
    served = ServedApp(app)
    served.start()
    try:
        client = replicate.Client(api_token="r8_missing_token_0123456789", base_url=served.url)
        version = client.models.get("acme/story").latest_version.id
        upstream_creates = recorded.upstream.control.create_count()

        first = client.predictions.create(version=version, input={"topic": "owl"})
        while first.status != "succeeded":
            time.sleep(0.005)
            first.reload()  # followed through the proxy: the id is the upstream's
        assert recorded.upstream.control.create_count() == upstream_creates + 1
        assert first.id not in mock.engine.jobs
        assert app.recorder.drain(10)
        entries = Cassette.open(folder).entries()
        assert len(entries) == before + 1
        assert entries[-1][1]["input"] == {"topic": "owl"}

        again = client.predictions.create(version=version, input={"topic": "owl"})
        while again.status != "succeeded":
            again.reload()
        assert recorded.upstream.control.create_count() == upstream_creates + 1
        assert again.id in mock.engine.jobs
        assert again.output == first.output == ["Once", " upon", " a time"]
    finally:
        served.stop()
