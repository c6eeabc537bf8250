"""Webhooks from the mock, verified by replicate_kit with its default 5-minute tolerance."""

from __future__ import annotations

import json
import time
from typing import Any

import httpx
import pytest

from replicate_kit import exceptions as exc
from replicate_kit._webhook_sig import sign

from .conftest import Kit
from .scenarios import HELLO_VERSION, webhook_receiver


def _deliveries(received: list[Any], count: int) -> list[tuple[dict[str, str], bytes]]:
    deadline = time.monotonic() + 5  # deliveries happen on the mock's own thread
    while len(received) < count and time.monotonic() < deadline:
        time.sleep(0.02)
    assert len(received) >= count, f"expected {count} webhook deliveries, got {len(received)}"
    return list(received)


def test_deliveries_validate_and_tampering_is_typed(kit: Kit) -> None:
    client = kit.client(poll_interval=0)
    secret = client.webhooks.default.secret()
    assert secret.key not in repr(secret)
    with webhook_receiver() as (url, received):
        prediction = client.predictions.create(
            version=HELLO_VERSION,
            input={"text": "signed"},
            webhook=url,
            webhook_events_filter=["start", "completed"],
        )
        prediction.wait()
        deliveries = _deliveries(received, 2)

    for headers, body in deliveries:
        assert client.webhooks.validate(headers=headers, body=body, secret=secret) is True
        request = httpx.Request("POST", url, headers=headers, content=body)
        assert client.webhooks.validate(request=request, secret=secret)
    headers, body = deliveries[-1]
    payload = json.loads(body)
    assert payload["id"] == prediction.id and payload["status"] == "succeeded"
    assert payload["output"] == client.predictions.get(prediction.id).output == "hello signed"

    with pytest.raises(exc.InvalidSignatureError):
        client.webhooks.validate(headers=headers, body=body + b" ", secret=secret)
    other = "whsec_" + "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo="
    with pytest.raises(exc.InvalidSignatureError):
        client.webhooks.validate(headers=headers, body=body, secret=other)
    stale = str(int(time.time()) - 3600)
    resigned = {
        **headers,
        "webhook-timestamp": stale,
        "webhook-signature": sign(secret.key, headers["webhook-id"], stale, body),
    }
    with pytest.raises(exc.InvalidTimestampError):
        client.webhooks.validate(headers=resigned, body=body, secret=secret)
    assert client.webhooks.validate(headers=resigned, body=body, secret=secret, tolerance=None)
    missing = {k: v for k, v in headers.items() if k != "webhook-signature"}
    with pytest.raises(exc.MissingWebhookHeaderError):
        client.webhooks.validate(headers=missing, body=body, secret=secret)
    with pytest.raises(exc.MissingWebhookBodyError):
        client.webhooks.validate(headers=headers, body=b"", secret=secret)
    for error in (exc.InvalidSignatureError, exc.InvalidTimestampError):
        assert issubclass(error, exc.WebhookValidationError) and issubclass(error, ValueError)


def test_run_passes_webhooks_through(kit: Kit) -> None:
    client = kit.client(poll_interval=0)
    secret = client.webhooks.default.secret()
    with webhook_receiver() as (url, received):
        output = client.run(
            f"replicate/hello-world:{HELLO_VERSION}",
            input={"text": "run"},
            webhook=url,
            webhook_events_filter=["completed"],
        )
        (headers, body), *_ = _deliveries(received, 1)
    assert output == "hello run"
    client.webhooks.validate(headers=headers, body=body, secret=secret)
    assert json.loads(body)["output"] == "hello run"
