"""Webhook outbox: which deliveries a job's events cause, when, and what happened to them.

Pure state on the clock. Sending is the job of an adapter (`mock_server.delivery.webhooks`):
it takes due attempts with `WebhookOutbox.due` and reports back with `WebhookOutbox.record`.

Rules (as the real service): events ``start``/``output``/``logs``/``completed`` chosen by the
job's ``webhook_events_filter`` (default: ``output`` and ``completed``), or only ``completed``
to the legacy ``webhook_completed`` URL when no ``webhook`` is given; ``output``/``logs``
at most one per 500 ms of clock time (a later one is sent at the end of the window with the
state of that moment); failed attempts retried with exponential backoff under the same
``webhook-id``; only loopback URLs are contacted unless remote delivery is allowed.
"""

from __future__ import annotations

import ipaddress
import random
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from typing import Any, Protocol
from urllib.parse import urlsplit

import orjson

from mock_server.engine.accounts import Accounts
from mock_server.engine.clock import isoformat
from mock_server.engine.faults import fires
from mock_server.engine.jobs import Job, webhook_jobs_only
from mock_server.engine.render import render_prediction, render_training

EVENTS = ("start", "output", "logs", "completed")
DEFAULT_EVENTS = frozenset({"output", "completed"})
THROTTLED = frozenset({"output", "logs"})
THROTTLE_SECONDS = 0.5
DEFAULT_MAX_ATTEMPTS = 5
DEFAULT_BACKOFF = 1.0  # seconds of clock time before the first retry; doubles each time
FALLBACK_ROOT = "http://127.0.0.1"

# Root URL of the request being handled (set by the HTTP adapter): payload URLs of a job's
# webhooks follow the address its creator used, like every other response.
ORIGIN: ContextVar[str | None] = ContextVar("replicate_mock_origin", default=None)

Timer = Callable[[float], None]
Scheduler = Callable[[float, Timer], None]
_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


@dataclass(frozen=True)
class Attempt:
    at: float
    status_code: int | None
    error: str | None

    def to_json(self) -> dict[str, Any]:
        return {"at": isoformat(self.at), "status_code": self.status_code, "error": self.error}


@dataclass
class Delivery:
    id: str  # the webhook-id header: the same across retries
    seq: int
    job_id: str
    kind: str  # prediction | training
    event: str
    url: str
    secret: str
    body: bytes
    created_at: float
    state: str = "pending"  # pending | sending | delivered | failed | skipped
    next_attempt_at: float | None = None
    reason: str | None = None
    attempts: list[Attempt] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "job_id": self.job_id,
            "kind": self.kind,
            "event": self.event,
            "url": self.url,
            "state": self.state,
            "reason": self.reason,
            "created_at": isoformat(self.created_at),
            "next_attempt_at": (
                None if self.next_attempt_at is None else isoformat(self.next_attempt_at)
            ),
            "attempts": [attempt.to_json() for attempt in self.attempts],
            "payload": orjson.loads(self.body),
        }


@dataclass
class WebhookFault:
    """Makes matching attempts fail as if the receiver answered ``status`` (None: unreachable)."""

    id: str
    url: str  # glob
    status: int | None = 500
    count: int | None = None
    rate: float = 1.0
    latency: float = 0.0  # wall seconds the attempt takes (a slow receiver)
    fired: int = 0

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "url": self.url,
            "status": self.status,
            "count": self.count,
            "rate": self.rate,
            "latency": self.latency,
            "fired": self.fired,
        }


@dataclass(frozen=True)
class Outgoing:
    """One attempt for the adapter to make."""

    delivery_id: str
    url: str
    body: bytes
    secret: str
    attempt: int  # 1-based
    fault: WebhookFault | None = None


@dataclass
class _Hook:
    """What a job with a webhook needs beyond the job itself."""

    url: str
    root: str
    secret: str
    events: frozenset[str]
    last_throttled: float | None = None
    flush_due: bool = False


def is_loopback(url: str) -> bool:
    host = urlsplit(url).hostname or ""
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _target(job: Job) -> tuple[str, frozenset[str]] | None:
    """Where a job's webhooks go and for which events."""
    if job.webhook is not None:
        if job.webhook_events_filter is None:
            return job.webhook, DEFAULT_EVENTS
        return job.webhook, frozenset(job.webhook_events_filter)
    if job.webhook_completed is not None:
        return job.webhook_completed, frozenset({"completed"})
    return None


def render_job(job: Job, root: str) -> dict[str, Any]:
    return render_training(job, root) if job.kind == "training" else render_prediction(job, root)


class WebhookOutbox:
    def __init__(
        self,
        seed: int,
        schedule: Scheduler,
        *,
        allow_remote: bool = False,
        max_attempts: int = DEFAULT_MAX_ATTEMPTS,
        backoff: float = DEFAULT_BACKOFF,
        throttle: float = THROTTLE_SECONDS,
    ) -> None:
        if max_attempts < 1 or backoff < 0 or throttle < 0:
            raise ValueError("max_attempts must be positive, backoff and throttle non-negative")
        self._rng = random.Random(f"replicate-mock-webhooks:{seed}")
        self._schedule = schedule
        self.allow_remote = allow_remote
        self.max_attempts = max_attempts
        self.backoff = backoff
        self.throttle = throttle
        self._hooks: dict[str, _Hook] = {}
        self._deliveries: dict[str, Delivery] = {}
        self._faults: list[WebhookFault] = []
        self._seq = 0
        self._fault_seq = 0

    # ------------------------------------------------------------------ events
    def observe(self, job: Job, event: str, now: float, *, root: str, secret: str) -> None:
        """Turn a job event into deliveries (called by the engine's listener)."""
        if event == "created":
            target = _target(job)
            if target is not None:
                self._hooks[job.id] = _Hook(target[0], root, secret, target[1])
            return
        hook = self._hooks.get(job.id)
        if hook is None or event not in hook.events:
            return
        if event in THROTTLED:
            if self._covered(job, hook):
                return
            last = hook.last_throttled
            if last is not None and now - last < self.throttle:
                if not hook.flush_due:
                    hook.flush_due = True
                    self._schedule(last + self.throttle, self._flusher(job, event))
                return
            hook.last_throttled = now
        self._enqueue(job, event, now, hook)

    def _covered(self, job: Job, hook: _Hook) -> bool:
        """A terminal job's ``completed`` delivery already carries every output and log."""
        return job.terminal and "completed" in hook.events

    def _flusher(self, job: Job, event: str) -> Timer:
        def flush(at: float) -> None:
            hook = self._hooks.get(job.id)
            if hook is None or not hook.flush_due:
                return
            hook.flush_due = False
            if self._covered(job, hook):
                return
            hook.last_throttled = at
            self._enqueue(job, event, at, hook)

        return flush

    def _enqueue(self, job: Job, event: str, now: float, hook: _Hook) -> None:
        self._seq += 1
        delivery = Delivery(
            id="msg_" + "".join(self._rng.choice(_ALPHABET) for _ in range(27)),
            seq=self._seq,
            job_id=job.id,
            kind=job.kind,
            event=event,
            url=hook.url,
            secret=hook.secret,
            body=orjson.dumps(render_job(job, hook.root)),
            created_at=now,
            next_attempt_at=now,
        )
        if not self.allow_remote and not is_loopback(hook.url):
            delivery.state = "skipped"
            delivery.next_attempt_at = None
            delivery.reason = "not a loopback URL (remote webhook delivery is not allowed)"
        self._deliveries[delivery.id] = delivery

    # ------------------------------------------------------------ adapter side
    def due(self, now: float) -> list[Outgoing]:
        """Attempts to make now, oldest first; they stay "sending" until recorded."""
        ready = sorted(
            (
                d
                for d in self._deliveries.values()
                if d.state == "pending" and d.next_attempt_at is not None
                if d.next_attempt_at <= now
            ),
            key=lambda d: (d.next_attempt_at or 0.0, d.seq),
        )
        batch = []
        for delivery in ready:
            delivery.state = "sending"
            batch.append(
                Outgoing(
                    delivery.id,
                    delivery.url,
                    delivery.body,
                    delivery.secret,
                    len(delivery.attempts) + 1,
                    self._fault_for(delivery.url),
                )
            )
        return batch

    def next_due_at(self) -> float | None:
        times = [
            d.next_attempt_at
            for d in self._deliveries.values()
            if d.state == "pending" and d.next_attempt_at is not None
        ]
        return min(times) if times else None

    def record(self, delivery_id: str, now: float, status: int | None, error: str | None) -> None:
        """The outcome of an attempt: 2xx delivers, anything else retries with backoff."""
        delivery = self._deliveries.get(delivery_id)
        if delivery is None or delivery.state != "sending":
            return  # the outbox was reset while the attempt was in flight
        delivery.attempts.append(Attempt(now, status, error))
        if status is not None and 200 <= status < 300:
            delivery.state, delivery.next_attempt_at = "delivered", None
        elif len(delivery.attempts) >= self.max_attempts:
            delivery.state, delivery.next_attempt_at = "failed", None
        else:
            delay = self.backoff * 2 ** (len(delivery.attempts) - 1)
            delivery.state, delivery.next_attempt_at = "pending", now + delay

    # ------------------------------------------------------------------- faults
    def add_fault(
        self,
        url: str = "*",
        status: int | None = 500,
        count: int | None = None,
        rate: float = 1.0,
        latency: float = 0.0,
    ) -> WebhookFault:
        if status is not None and not 100 <= status <= 599:
            raise ValueError("status must be an HTTP status code (or None for unreachable)")
        if count is not None and count < 1:
            raise ValueError("count must be positive")
        if not 0.0 <= rate <= 1.0:
            raise ValueError("rate must be between 0 and 1")
        if latency < 0:
            raise ValueError("latency must not be negative")
        self._fault_seq += 1
        fault = WebhookFault(f"webhook-fault-{self._fault_seq}", url, status, count, rate, latency)
        self._faults.append(fault)
        return fault

    def faults(self) -> list[WebhookFault]:
        return list(self._faults)

    def clear_faults(self) -> None:
        self._faults.clear()

    def _fault_for(self, url: str) -> WebhookFault | None:
        for fault in self._faults:
            if fnmatchcase(url, fault.url) and fires(self._faults, fault, self._rng):
                return fault
        return None

    # -------------------------------------------------------------------- reads
    def deliveries(self, job_id: str | None = None, state: str | None = None) -> list[Delivery]:
        """Oldest first."""
        return [
            d
            for d in sorted(self._deliveries.values(), key=lambda d: d.seq)
            if (job_id is None or d.job_id == job_id) and (state is None or d.state == state)
        ]


class _Settings(Protocol):
    @property
    def public_url(self) -> str | None: ...


class Host(Protocol):
    """What the listener reads of the engine (a Protocol: this module sits below `core`)."""

    @property
    def config(self) -> _Settings: ...
    @property
    def accounts(self) -> Accounts: ...
    @property
    def webhooks(self) -> WebhookOutbox: ...

    def now(self) -> float: ...


def listener(engine: Host) -> Callable[[Job, str], None]:
    """The engine listener feeding ``engine.webhooks`` (looked up on each call: survives resets)."""

    @webhook_jobs_only
    def on_event(job: Job, event: str) -> None:
        if not job.has_webhook:
            return
        secret = ""
        root = ORIGIN.get() or engine.config.public_url or FALLBACK_ROOT
        if event == "created":
            account = engine.accounts.by_username(job.account)
            secret = account.webhook_secret if account is not None else ""
        engine.webhooks.observe(job, event, engine.now(), root=root, secret=secret)

    return on_event
