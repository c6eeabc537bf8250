"""`RecordingProxy`: the recorder served on a loopback port from a background thread."""

from __future__ import annotations

from pathlib import Path
from types import TracebackType
from typing import Any

from mock_server.record.cassette import Cassette
from mock_server.record.recorder import Recorder
from mock_server.serving import ServedApp

__all__ = ["RecordingProxy", "ServedApp"]


class RecordingProxy:
    """``with RecordingProxy(upstream, folder) as proxy:`` point clients at ``proxy.url``;
    leaving the block waits for every followed prediction to be written."""

    def __init__(self, upstream: str, out: Path, **options: Any) -> None:
        self.recorder = Recorder(upstream, Cassette.create(out, upstream), **options)
        self._served = ServedApp(self.recorder.app)

    @property
    def url(self) -> str:
        return self._served.url

    def start(self, host: str = "127.0.0.1", port: int = 0) -> RecordingProxy:
        self._served.start(host, port, name="replicate-record")
        return self

    def drain(self, timeout: float = 30.0) -> bool:
        return self.recorder.drain(timeout)

    def stop(self, timeout: float = 30.0) -> None:
        self.drain(timeout)
        self._served.stop()

    def __enter__(self) -> RecordingProxy:
        if not self.url:
            self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
