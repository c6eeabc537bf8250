"""`ServedApp`: an ASGI app on uvicorn in a daemon thread, bound to a loopback port.

`MockServer.start` and the recording proxy both serve this way: bind first (port 0 picks a free
one), then return only once uvicorn accepts connections.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable
from typing import Any

import uvicorn


class ServedApp:
    def __init__(self, app: Any) -> None:
        self.app = app
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self.url = ""

    @property
    def running(self) -> bool:
        return self._server is not None

    def start(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        name: str = "replicate-served-app",
        **config: Any,
    ) -> None:
        """Serve; ``config`` goes to ``uvicorn.Config`` (e.g. ``date_header=False``)."""
        sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        server = uvicorn.Server(
            uvicorn.Config(
                self.app,
                log_level="warning",
                lifespan="off",
                http="h11",
                access_log=False,  # never shown at "warning"; uvicorn would still format it
                **config,
            )
        )
        thread = threading.Thread(
            target=server.run, kwargs={"sockets": [sock]}, name=name, daemon=True
        )
        thread.start()
        deadline = time.monotonic() + 10
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError(f"{name} failed to start")
            time.sleep(0.005)
        self._server, self._thread = server, thread
        shown = f"[{host}]" if ":" in host else host
        self.url = f"http://{shown}:{sock.getsockname()[1]}"

    def stop(self) -> None:
        server, thread = self._server, self._thread
        self._server = self._thread = None
        if server is not None:
            server.should_exit = True
        if thread is not None:
            thread.join(timeout=5)


def run_granian(app: Any, host: str, port: int, on_ready: Callable[[], None] | None = None) -> None:
    """Serve ``app`` on granian (a Rust HTTP server) in this thread until SIGINT or SIGTERM.

    ``replicate-mock serve --server granian``: granian's embedded server (experimental upstream)
    on uvloop, HTTP/1.1, no lifespan. Its Rust side parses requests and writes responses off the
    Python thread. ``on_ready`` runs once the port accepts connections (granian binds it itself,
    after its start-up hooks). Raises ModuleNotFoundError when granian is not installed.
    """
    import asyncio
    import signal

    import uvloop
    from granian.constants import HTTPModes, Interfaces
    from granian.server.embed import Server

    async def main() -> None:
        server = Server(
            app,
            address=host,
            port=port,
            interface=Interfaces.ASGINL,
            http=HTTPModes.http1,
            websockets=False,
            log_enabled=False,
        )
        stop: Callable[[], None] = server.stop  # untyped upstream
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, stop)
        serving = asyncio.ensure_future(server.serve())
        deadline = time.monotonic() + 10
        while on_ready is not None and not serving.done():
            try:
                _, writer = await asyncio.open_connection(host, port)
            except OSError:
                if time.monotonic() > deadline:
                    stop()  # never ready: stop rather than serve unannounced
                    break
                await asyncio.sleep(0.005)
                continue
            writer.close()
            on_ready()
            break
        await serving

    uvloop.run(main())
