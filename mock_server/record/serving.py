"""`RecordingProxy`: the recorder served on a loopback port from a background thread."""

from __future__ import annotations

import socket
import threading
import time
from pathlib import Path
from types import TracebackType
from typing import Any

import uvicorn

from mock_server.record.cassette import Cassette
from mock_server.record.recorder import Recorder


class ServedApp:
    """An ASGI app on uvicorn in a daemon thread (what `MockServer.start` does for the mock)."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self.url = ""

    def start(self, host: str = "127.0.0.1", port: int = 0) -> None:
        sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        config = uvicorn.Config(self.app, log_level="warning", lifespan="off", http="h11")
        server = uvicorn.Server(config)
        thread = threading.Thread(
            target=server.run, kwargs={"sockets": [sock]}, name="replicate-record", daemon=True
        )
        thread.start()
        deadline = time.monotonic() + 10
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the recording proxy failed to start")
            time.sleep(0.005)
        self._server, self._thread = server, thread
        shown = f"[{host}]" if ":" in host else host
        self.url = f"http://{shown}:{sock.getsockname()[1]}"

    def stop(self) -> None:
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._server = self._thread = None


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
        self._served.start(host, port)
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
