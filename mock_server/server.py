"""`MockServer`: an engine, its ASGI app, its control handle and an optional uvicorn thread."""

from __future__ import annotations

import logging
import threading
from types import TracebackType
from typing import TYPE_CHECKING, Any

from mock_server.control import Control
from mock_server.delivery.webhooks import WebhookSender, WebhookWorker, deliver_due
from mock_server.engine import timekeeper
from mock_server.engine.clock import parse_mode
from mock_server.engine.core import Engine, EngineConfig
from mock_server.engine.files import DEFAULT_MAX_FILE_SIZE
from mock_server.engine.ratelimit import DEFAULT_LIMITS as DEFAULT_RATE_LIMITS
from mock_server.http.app import build_app
from mock_server.http.middleware import DroppedConnection
from mock_server.serving import ServedApp

if TYPE_CHECKING:
    from mock_server.grpc import GrpcServer


class _HideDroppedConnections(logging.Filter):
    """Injected connection drops are intended; keep them out of the server log."""

    def filter(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        while exc is not None:
            if isinstance(exc, DroppedConnection):
                return False
            exc = exc.__cause__ or exc.__context__ or _first_grouped(exc)
        return True


def _first_grouped(exc: BaseException) -> BaseException | None:
    if isinstance(exc, BaseExceptionGroup) and exc.exceptions:
        return exc.exceptions[0]
    return None


logging.getLogger("uvicorn.error").addFilter(_HideDroppedConnections())


class Ticker:
    """Let background time pass even when no request arrives (so observers such as webhook
    delivery see due events on time); the timekeeper decides what a tick does in each mode."""

    def __init__(self, engine: Engine, interval: float = 0.01) -> None:
        self._engine = engine
        self._interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="replicate-mock-ticker", daemon=True)

    def start(self) -> Ticker:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=2)

    def _run(self) -> None:
        while not self._stop.wait(self._interval):
            with self._engine.lock:
                timekeeper.tick(self._engine)


class MockServer:
    def __init__(
        self,
        seed: int = 0,
        clock: str = "auto",
        speed: float = 1.0,
        tokens: list[str] | None = None,
        page_size: int = 100,
        *,
        fixtures: list[dict[str, Any] | str] | None = None,
        keepalive_interval: float = 15.0,
        rate_limits: dict[str, int] | None = DEFAULT_RATE_LIMITS,
        max_file_size: int = DEFAULT_MAX_FILE_SIZE,
        allow_remote_webhooks: bool = False,
        grpc: bool = False,
        examples: bool = False,
    ) -> None:
        self.engine = Engine(
            EngineConfig(
                seed=seed,
                clock=parse_mode(clock),
                speed=speed,
                tokens=list(tokens) if tokens is not None else None,
                page_size=page_size,
                keepalive_interval=keepalive_interval,
                fixtures=list(fixtures or []),
                rate_limits=dict(rate_limits) if rate_limits else None,
                max_file_size=max_file_size,
                allow_remote_webhooks=allow_remote_webhooks,
                examples=examples,
            )
        )
        self.control = Control(self.engine)
        self.app = build_app(self.engine)
        self._http = ServedApp(self.app)
        self._url: str | None = None
        self._ticker: Ticker | None = None
        self._webhooks: WebhookWorker | None = None
        #: Also serve the gRPC twin (same engine) when started; see ``grpc_target``.
        self.grpc_enabled = grpc
        self._grpc: GrpcServer | None = None

    # ------------------------------------------------------------------ serving
    def start(self, host: str = "127.0.0.1", port: int = 0, grpc_port: int = 0) -> MockServer:
        """Serve in a background thread; returns once the socket accepts connections.

        With ``grpc=True`` the gRPC twin listens on ``grpc_port`` too (0 picks a free port).
        """
        if self._http.running:
            raise RuntimeError("the mock server is already running")
        self._http.start(
            host,
            port,
            name="replicate-mock",
            timeout_graceful_shutdown=1,
            date_header=False,  # the app sends Date from the mock's clock
        )
        self._ticker = Ticker(self.engine).start()
        self._url = self._http.url
        with self.engine.lock:
            self.engine.config.public_url = self._url
        self._webhooks = WebhookWorker(self.engine).start()
        if self.grpc_enabled:
            # grpcio loads only for a mock that serves gRPC: the mock extra does not need it.
            from mock_server.grpc import GrpcServer

            try:
                self._grpc = GrpcServer(self.app, lambda: self.url).start(host, grpc_port)
            except RuntimeError:
                self.stop()
                raise
        return self

    def stop(self) -> None:
        ticker, self._ticker = self._ticker, None
        grpc_server, self._grpc = self._grpc, None
        webhooks, self._webhooks = self._webhooks, None
        if webhooks is not None:
            webhooks.stop()
        if grpc_server is not None:
            grpc_server.stop()
        if ticker is not None:
            ticker.stop()
        self._http.stop()

    def deliver_webhooks(self) -> int:
        """Send the webhook attempts due now and wait for them (for mocks that are not started:
        a started server delivers in the background). Returns how many attempts were made."""
        sender = WebhookSender()
        try:
            return deliver_due(self.engine, sender)
        finally:
            sender.close()

    @property
    def url(self) -> str:
        if self._url is None:
            raise RuntimeError("the mock server is not running: call start() first")
        return self._url

    @property
    def api_url(self) -> str:
        return self.url + "/v1"

    @property
    def grpc_target(self) -> str:
        """``host:port`` of the gRPC twin (``MockServer(grpc=True)``, once started)."""
        if self._grpc is None:
            raise RuntimeError("the gRPC server is not running: use MockServer(grpc=True).start()")
        return self._grpc.target

    def __enter__(self) -> MockServer:
        if not self._http.running:
            self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
