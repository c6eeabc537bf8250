"""A cassette recorded once per session from an upstream mock (loopback only, no network)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import replicate

from mock_server import MockServer
from mock_server.record.serving import RecordingProxy
from tests.record.session import BROKEN, STORY, TOKEN, run_session

SIGNED_WEBHOOK = "http://127.0.0.1:9/hook?X-Amz-Signature=deadbeefcafe&X-Amz-Expires=60"


@dataclass
class Recorded:
    folder: Path
    original: dict[str, Any]
    upstream: MockServer
    proxy: RecordingProxy


@pytest.fixture(scope="session")
def recorded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Recorded]:
    folder = tmp_path_factory.mktemp("cassette")
    # A real clock 20x fast: the upstream runs on its own, as the real API does.
    upstream = MockServer(seed=1, clock="real", speed=20).start()
    try:
        upstream.control.register_model(STORY)
        upstream.control.register_model(BROKEN)
        with RecordingProxy(upstream.url, folder, poll_interval=0.005) as proxy:
            client = replicate.Client(api_token=TOKEN, base_url=proxy.url)
            # A webhook secret read through the proxy must be redacted like the token.
            client.webhooks.default.secret()
            original = run_session(client, lambda: time.sleep(0.005))
            # A webhook URL with a signed query: recorded without its query.
            story = client.models.get("acme/story").latest_version.id
            hooked = client.predictions.create(
                version=story, input={"topic": "webhook"}, webhook=SIGNED_WEBHOOK
            )
            while hooked.status != "succeeded":
                time.sleep(0.005)
                hooked.reload()
        assert not proxy.recorder.errors, proxy.recorder.errors
        yield Recorded(folder, original, upstream, proxy)
    finally:
        upstream.stop()
