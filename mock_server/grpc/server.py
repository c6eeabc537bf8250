"""The gRPC twin of the mock: a grpc.aio server (own thread and event loop) on the same app.

Health checking (``grpc.health.v1.Health``) and server reflection are on.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Callable

import grpc
from grpc_health.v1 import health, health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection
from starlette.types import ASGIApp

from mock_server.grpc.service import Gateway, services

# Files travel whole in CreateFile/DownloadFile (up to 100 MB): lift the 4 MB default.
MAX_MESSAGE_BYTES = 128 * 1024 * 1024
OPTIONS = [
    ("grpc.max_receive_message_length", MAX_MESSAGE_BYTES),
    ("grpc.max_send_message_length", MAX_MESSAGE_BYTES),
]


async def build_server(app: ASGIApp, root: Callable[[], str]) -> grpc.aio.Server:
    """An unstarted server with every service, health and reflection (in the serving loop)."""
    server = grpc.aio.server(options=OPTIONS)
    server.add_generic_rpc_handlers(tuple(Gateway(app, root).handlers()))
    health_servicer = health.aio.HealthServicer()
    health_pb2_grpc.add_HealthServicer_to_server(health_servicer, server)
    names = [s.full_name for s in services()]
    for name in ["", *names]:
        await health_servicer.set(name, health_pb2.HealthCheckResponse.SERVING)
    reflection.enable_server_reflection(
        [
            *names,
            health_pb2.DESCRIPTOR.services_by_name["Health"].full_name,
            reflection.SERVICE_NAME,
        ],
        server,
    )
    return server


class GrpcServer:
    """Serve in a background thread: ``start()`` returns once the port is bound."""

    def __init__(self, app: ASGIApp, root: Callable[[], str]) -> None:
        self._app = app
        self._root = root
        self._stop: Callable[[], object] | None = None
        self._grace = 0.5
        self._thread: threading.Thread | None = None
        self._target: str | None = None

    def start(self, host: str = "127.0.0.1", port: int = 0) -> GrpcServer:
        if self._thread is not None:
            raise RuntimeError("the gRPC server is already running")
        ready = threading.Event()
        failure: list[BaseException] = []
        loop = _new_loop()
        stopping = asyncio.Event()

        async def serve() -> None:
            server = await build_server(self._app, self._root)
            address = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
            bound = server.add_insecure_port(address)
            await server.start()
            shown = f"[{host}]" if ":" in host else host
            self._target = f"{shown}:{bound}"
            ready.set()
            await stopping.wait()
            await server.stop(self._grace)

        def run() -> None:
            asyncio.set_event_loop(loop)
            try:
                loop.run_until_complete(serve())
            except BaseException as exc:
                failure.append(exc)
                ready.set()
            finally:
                _close(loop)

        self._stop = lambda: loop.call_soon_threadsafe(stopping.set)
        self._thread = threading.Thread(target=run, name="replicate-mock-grpc", daemon=True)
        self._thread.start()
        if not ready.wait(10) or failure:
            self._thread = None
            raise RuntimeError(f"the gRPC server failed to start: {failure[:1]}")
        return self

    @property
    def target(self) -> str:
        """``host:port`` for ``grpc.insecure_channel``."""
        if self._target is None:
            raise RuntimeError("the gRPC server is not running: call start() first")
        return self._target

    def stop(self, grace: float = 0.5) -> None:
        """Stop accepting calls, give running ones ``grace`` seconds, and join the thread."""
        thread, stop = self._thread, self._stop
        self._thread = self._stop = None
        self._target = None
        self._grace = grace
        if stop is not None:
            with contextlib.suppress(RuntimeError):  # the loop already ended
                stop()
        if thread is not None:
            thread.join(timeout=grace + 5)


def _new_loop() -> asyncio.AbstractEventLoop:
    """uvloop where it is installed (with uvicorn[standard]): grpc.aio hands every completion
    to the loop, and uvloop's wake-ups and callbacks cost less than asyncio's."""
    try:
        import uvloop
    except ImportError:  # pragma: no cover - uvloop ships with uvicorn[standard]
        return asyncio.new_event_loop()
    return uvloop.new_event_loop()


def _close(loop: asyncio.AbstractEventLoop) -> None:
    pending = [task for task in asyncio.all_tasks(loop) if not task.done()]
    for task in pending:
        task.cancel()
    if pending:
        loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
    loop.close()
