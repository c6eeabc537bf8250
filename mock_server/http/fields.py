"""Reading of the request fields that several create routes share (webhooks, URLs).

These routes report the first bad field (a 422 with one ``invalid_fields`` entry).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from mock_server.engine.bodies import is_http_url
from mock_server.engine.errors import ApiError, invalid_fields
from mock_server.engine.webhooks import EVENTS as WEBHOOK_EVENTS


def field_error(field: str, description: str, kind: str = "invalid_type") -> ApiError:
    return invalid_fields(
        "Invalid request", [{"type": kind, "field": field, "description": description}]
    )


def http_url(body: dict[str, Any], name: str) -> str | None:
    value = body.get(name)
    if value is None:
        return None
    if not isinstance(value, str) or not is_http_url(value):
        raise field_error(name, f"{name} must be an HTTP(S) URL", "format")
    return value


@dataclass(frozen=True)
class WebhookFields:
    webhook: str | None
    events_filter: list[str] | None  # without duplicates
    completed: str | None  # legacy ``webhook_completed``: only the completed event goes there


def webhook_fields(body: dict[str, Any]) -> WebhookFields:
    webhook = http_url(body, "webhook")
    completed = http_url(body, "webhook_completed")
    events = body.get("webhook_events_filter")
    if events is not None:
        if not isinstance(events, list) or not all(isinstance(e, str) for e in events):
            raise field_error("webhook_events_filter", "Invalid type. Expected: array of strings")
        if any(e not in WEBHOOK_EVENTS for e in events):
            raise field_error(
                "webhook_events_filter",
                f"webhook_events_filter must contain only {', '.join(WEBHOOK_EVENTS)}",
                "enum",
            )
        events = list(dict.fromkeys(events))
    return WebhookFields(webhook, events, completed)
