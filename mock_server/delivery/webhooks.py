"""Webhook delivery over HTTP: sign per Standard Webhooks and POST what the outbox says is due.

The outbox (`mock_server.engine.webhooks`) decides what and when on the engine clock; this
module only makes the attempts and reports their outcome. `deliver_due` does one pass;
`WebhookWorker` runs passes in a thread whenever the engine has news (and on a short poll,
for retries and throttled sends that fall due as the clock moves).
"""

from __future__ import annotations

import logging
import threading
import time
from datetime import UTC, datetime

import httpx
from standardwebhooks import Webhook

from mock_server.engine.core import Engine
from mock_server.engine.jobs import Job, webhook_jobs_only
from mock_server.engine.webhooks import Outgoing

log = logging.getLogger("mock_server.webhooks")

USER_AGENT = "replicate-mock-webhooks/1"


def signed_headers(secret: str, webhook_id: str, body: bytes, when: float) -> dict[str, str]:
    """Standard Webhooks headers. The timestamp is wall time: receivers check it for freshness,
    which a virtual clock in 2025 would fail."""
    stamp = datetime.fromtimestamp(int(when), tz=UTC)
    return {
        "content-type": "application/json",
        "user-agent": USER_AGENT,
        "webhook-id": webhook_id,
        "webhook-timestamp": str(int(when)),
        "webhook-signature": Webhook(secret).sign(webhook_id, stamp, body.decode()),
    }


class WebhookSender:
    """Makes one attempt; never raises for the receiver's failures."""

    def __init__(self, timeout: float = 5.0) -> None:
        self._client = httpx.Client(timeout=timeout, follow_redirects=False, trust_env=False)

    def send(self, outgoing: Outgoing) -> tuple[int | None, str | None]:
        fault = outgoing.fault
        if fault is not None:
            if fault.latency > 0:
                time.sleep(fault.latency)
            if fault.status is None:
                return None, f"injected fault {fault.id}: receiver unreachable"
            return fault.status, f"injected fault {fault.id}"
        if not outgoing.secret:
            return None, "the account has no webhook secret"
        headers = signed_headers(outgoing.secret, outgoing.delivery_id, outgoing.body, time.time())
        try:
            response = self._client.post(outgoing.url, content=outgoing.body, headers=headers)
        except httpx.HTTPError as exc:
            return None, f"{type(exc).__name__}: {exc}"
        return response.status_code, None

    def close(self) -> None:
        self._client.close()


def deliver_due(engine: Engine, sender: WebhookSender) -> int:
    """Make every attempt due now, in order; returns how many were made."""
    with engine.lock:
        batch = engine.webhooks.due(engine.now())
    for outgoing in batch:
        status, error = sender.send(outgoing)
        if error is not None or status is None or not 200 <= status < 300:
            log.info(
                "webhook %s to %s failed (attempt %d): %s",
                outgoing.delivery_id,
                outgoing.url,
                outgoing.attempt,
                error or status,
            )
        with engine.lock:
            engine.webhooks.record(outgoing.delivery_id, engine.now(), status, error)
    return len(batch)


class WebhookWorker:
    def __init__(
        self, engine: Engine, sender: WebhookSender | None = None, interval: float = 0.02
    ) -> None:
        self._engine = engine
        self._sender = sender or WebhookSender()
        self._interval = interval
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(
            target=self._run, name="replicate-mock-webhooks", daemon=True
        )

    @webhook_jobs_only
    def _on_event(self, job: Job, event: str) -> None:
        if job.has_webhook:
            self._wake.set()

    def start(self) -> WebhookWorker:
        with self._engine.lock:
            self._engine.listeners.append(self._on_event)
        self._thread.start()
        return self

    def stop(self) -> None:
        with self._engine.lock:
            if self._on_event in self._engine.listeners:
                self._engine.listeners.remove(self._on_event)
        self._stop.set()
        self._wake.set()
        if self._thread.is_alive():
            self._thread.join(timeout=5)
        self._sender.close()

    def _run(self) -> None:
        while not self._stop.is_set():
            self._wake.wait(self._interval)
            self._wake.clear()
            if self._stop.is_set():
                return
            try:
                deliver_due(self._engine, self._sender)
            except Exception:  # a bug here must not kill delivery for the server's lifetime
                log.exception("webhook delivery pass failed")
