"""In-process control of a mock: the same operations as the HTTP API under ``/_mock/``."""

from __future__ import annotations

from typing import Any

from mock_server.engine import timekeeper
from mock_server.engine.clock import isoformat, parse_mode
from mock_server.engine.core import Engine


class Control:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    @property
    def engine(self) -> Engine:
        return self._engine

    def health(self) -> dict[str, Any]:
        with self._engine.lock:
            return {
                "status": "ok",
                "seed": self._engine.config.seed,
                "clock": self._engine.clock.mode,
                "now": isoformat(self._engine.now()),
            }

    def reset(self) -> None:
        """Forget all state (accounts, predictions, faults, journal); keep seed and fixtures."""
        with self._engine.lock:
            self._engine.reset()

    def seed(self, n: int) -> None:
        """Reset with a new seed."""
        if isinstance(n, bool) or not isinstance(n, int):
            raise ValueError("seed must be an integer")
        with self._engine.lock:
            self._engine.reset(n)

    def now(self) -> float:
        """Current clock instant as Unix seconds."""
        with self._engine.lock:
            return self._engine.now()

    def advance(self, seconds: float) -> float:
        if isinstance(seconds, bool) or not isinstance(seconds, int | float) or seconds < 0:
            raise ValueError("seconds must be a non-negative number")
        with self._engine.lock:
            return timekeeper.advance(self._engine, float(seconds))

    def set_clock_mode(self, mode: str) -> None:
        with self._engine.lock:
            self._engine.clock.set_mode(parse_mode(mode))

    def register_model(self, spec: dict[str, Any] | str) -> dict[str, Any]:
        """Add a scripted model (or a new version of it); returns the model as the API shows it."""
        with self._engine.lock:
            return self._engine.register_model(spec).to_json()

    def add_account(
        self, token: str, username: str | None = None, type: str = "user"
    ) -> dict[str, Any]:
        """Make ``token`` valid (needed in strict mode) with an optional chosen username."""
        if type not in ("user", "organization"):
            raise ValueError("type must be user or organization")
        with self._engine.lock:
            return self._engine.accounts.add(token, username, type).to_json()

    def inject_fault(
        self,
        method: str | None,
        path: str,
        status: int | None = None,
        rate: float = 1.0,
        count: int | None = None,
        latency: float = 0,
        retry_after: int | None = None,
        drop: bool = False,
        drop_stream_after: int | None = None,
    ) -> dict[str, Any]:
        with self._engine.lock:
            fault = self._engine.faults.add(
                method,
                path,
                status=status,
                rate=rate,
                count=count,
                latency=latency,
                retry_after=retry_after,
                drop=drop,
                drop_stream_after=drop_stream_after,
            )
            return fault.to_json()

    def faults(self) -> list[dict[str, Any]]:
        with self._engine.lock:
            return [fault.to_json() for fault in self._engine.faults.all()]

    def clear_faults(self) -> None:
        with self._engine.lock:
            self._engine.faults.clear()

    def set_rate_limit(self, kind: str, per_minute: int | None) -> None:
        """Requests per minute per account for ``kind`` ("create" or "other"); None disables."""
        if kind not in ("create", "other"):
            raise ValueError("kind must be create or other")
        with self._engine.lock:
            self._engine.rate_limits.configure(kind, per_minute)

    def journal(self, method: str | None = None, path: str | None = None) -> list[dict[str, Any]]:
        """Requests seen (method, path, query, status, account), oldest first; ``path`` is a glob."""
        with self._engine.lock:
            return self._engine.journal.query(method, path)

    def create_count(self, route: str | None = None) -> int:
        """Predictions actually created; ``route`` is an operation id such as
        ``predictions.create``, ``models.predictions.create``, ``deployments.predictions.create``."""
        with self._engine.lock:
            counts = self._engine.create_counts
            if route is None:
                return sum(v for k, v in counts.items() if k.endswith("predictions.create"))
            return counts.get(route, 0)

    def create_counts(self) -> dict[str, int]:
        with self._engine.lock:
            return dict(self._engine.create_counts)

    # ----------------------------------------------------------------- webhooks
    def webhook_deliveries(
        self, job_id: str | None = None, state: str | None = None
    ) -> list[dict[str, Any]]:
        """Webhook deliveries, oldest first: id (the ``webhook-id``), job_id, kind, event, url,
        state (pending, sending, delivered, failed, skipped), reason, attempts, payload."""
        with self._engine.lock:
            return [d.to_json() for d in self._engine.webhooks.deliveries(job_id, state)]

    def inject_webhook_fault(
        self,
        url: str = "*",
        status: int | None = 500,
        count: int | None = None,
        rate: float = 1.0,
        latency: float = 0.0,
    ) -> dict[str, Any]:
        """Make webhook attempts to URLs matching the glob ``url`` fail with ``status``
        (None: the receiver is unreachable), ``count`` times (None: until cleared)."""
        with self._engine.lock:
            return self._engine.webhooks.add_fault(url, status, count, rate, latency).to_json()

    def webhook_faults(self) -> list[dict[str, Any]]:
        with self._engine.lock:
            return [fault.to_json() for fault in self._engine.webhooks.faults()]

    def clear_webhook_faults(self) -> None:
        with self._engine.lock:
            self._engine.webhooks.clear_faults()

    def allow_remote_webhooks(self, allow: bool = True) -> None:
        """Deliver to non-loopback URLs too (off by default: a mock should not call out)."""
        with self._engine.lock:
            self._engine.config.allow_remote_webhooks = allow
            self._engine.webhooks.allow_remote = allow
