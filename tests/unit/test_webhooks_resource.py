"""``client.webhooks``: default secret and ``validate`` in the official call shapes."""

from __future__ import annotations

import time

import httpx
import pytest

from replicate_kit import exceptions as exc
from replicate_kit import types
from replicate_kit._webhook_sig import sign

from .conftest import FakeAPI

SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"


def test_secret_and_validate_headers_body(api: FakeAPI) -> None:
    api.on("GET /webhooks/default/secret", {"key": SECRET})
    client = api.client()
    secret = client.webhooks.default.secret()
    assert secret.key == SECRET and SECRET not in repr(secret)
    now = str(int(time.time()))
    body = '{"id": "p1", "status": "succeeded"}'
    headers = {
        "webhook-id": "msg_1",
        "webhook-timestamp": now,
        "webhook-signature": sign(SECRET, "msg_1", now, body),
    }
    assert client.webhooks.validate(headers=headers, body=body, secret=secret) is True
    assert client.webhooks.validate(headers=headers, body=body.encode(), secret=SECRET)
    request = httpx.Request("POST", "https://me.example/hook", headers=headers, content=body)
    assert client.webhooks.validate(request=request, secret=secret)
    with pytest.raises(exc.InvalidSignatureError):
        client.webhooks.validate(headers=headers, body=body + "x", secret=secret)
    with pytest.raises(ValueError):
        client.webhooks.validate(headers=headers, body=body, secret=None)


def test_stale_webhooks_rejected_by_default(api: FakeAPI) -> None:
    old = str(int(time.time()) - 3600)
    body = "{}"
    headers = {
        "webhook-id": "m",
        "webhook-timestamp": old,
        "webhook-signature": sign(SECRET, "m", old, body),
    }
    secret = types.WebhookSigningSecret(key=SECRET)
    with pytest.raises(exc.InvalidTimestampError):
        api.client().webhooks.validate(headers=headers, body=body, secret=secret)
    assert api.client().webhooks.validate(headers=headers, body=body, secret=secret, tolerance=None)
