"""Wire shapes (JSON-ready dicts) of engine objects. URLs are built from the caller's base."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from mock_server.engine.clock import isoformat
from mock_server.engine.jobs import FileRef, Job

FileInliner = Callable[[FileRef], str]


def render_value(value: Any, root: str, inline: FileInliner | None = None) -> Any:
    """Replace stored-file references by absolute URLs under ``root`` (the server root),
    or by ``data:`` URIs when ``inline`` is given (sync-mode responses do that)."""
    if isinstance(value, FileRef):
        return inline(value) if inline is not None else root + value.path
    if isinstance(value, list):
        return [render_value(item, root, inline) for item in value]
    if isinstance(value, dict):
        return {key: render_value(item, root, inline) for key, item in value.items()}
    return value


def prediction_urls(job: Job, root: str) -> dict[str, str]:
    api = root + "/v1"
    return {
        "cancel": f"{api}/predictions/{job.id}/cancel",
        "get": f"{api}/predictions/{job.id}",
        "stream": f"{api}/predictions/{job.id}/stream",
        "web": f"https://replicate.com/p/{job.id}",
    }


def render_prediction(job: Job, root: str, inline: FileInliner | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {
        "id": job.id,
        "model": job.model,
        "version": job.version,
        "input": job.input,
        "logs": "".join(line + "\n" for line in job.logs),
        "output": render_value(job.output, root, inline),
        "data_removed": False,
        "error": job.error,
        "status": job.status,
        "created_at": isoformat(job.created_at),
    }
    # The real API sends both keys from the start, null until the moment comes.
    body["started_at"] = None if job.started_at is None else isoformat(job.started_at)
    body["completed_at"] = None if job.completed_at is None else isoformat(job.completed_at)
    body["urls"] = prediction_urls(job, root)
    if job.terminal:
        body["metrics"] = dict(job.metrics)
    body["source"] = job.source
    if job.deadline is not None:
        body["deadline"] = isoformat(job.deadline)
    if job.deployment is not None:
        body["deployment"] = job.deployment
    if job.webhook is not None:
        body["webhook"] = job.webhook
        body["webhook_events_filter"] = job.webhook_events_filter
    return body


def render_training(job: Job, root: str, inline: FileInliner | None = None) -> dict[str, Any]:
    body = render_prediction(job, root, inline)
    api = f"{root}/v1/trainings/{job.id}"
    body["urls"] = {
        "get": api,
        "cancel": f"{api}/cancel",
        "web": f"https://replicate.com/p/{job.id}",
    }
    # Neither belongs to a training (its outputs are weights, not purged data).
    body.pop("deployment", None)
    body.pop("data_removed", None)
    # Recorded trainings carry `metrics` all along: `{}` while running.
    body.setdefault("metrics", {})
    return body
