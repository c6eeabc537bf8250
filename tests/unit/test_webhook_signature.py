"""Webhook signature verification (Standard Webhooks), including the Svix test vector."""

from __future__ import annotations

import pytest

from replicate_kit import exceptions as exc
from replicate_kit._webhook_sig import sign, verify

SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
MSG_ID = "msg_p5jXN8AQM9LWM0D4loKWxJek"
TS = 1614265330
BODY = '{"test": 2432232314}'
SIG = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="


def headers(signature: str = SIG, ts: int | str = TS) -> dict[str, str]:
    return {"Webhook-Id": MSG_ID, "Webhook-Timestamp": str(ts), "Webhook-Signature": signature}


def test_svix_vector() -> None:
    assert sign(SECRET, MSG_ID, TS, BODY) == SIG
    verify(headers(), BODY, SECRET, now=TS)
    verify(headers(), BODY.encode(), SECRET, tolerance=None)


def test_any_of_several_signatures_matches() -> None:
    verify(headers(f"v1,bm9wZQ== {SIG}"), BODY, SECRET, now=TS + 10)


@pytest.mark.parametrize(
    ("hdrs", "body", "error"),
    [
        (None, BODY, exc.MissingWebhookHeaderError),
        ({"webhook-id": MSG_ID, "webhook-timestamp": str(TS)}, BODY, exc.MissingWebhookHeaderError),
        (headers(), "", exc.MissingWebhookBodyError),
        (headers(), BODY + " ", exc.InvalidSignatureError),
        (headers("v1,AAAA"), BODY, exc.InvalidSignatureError),
        (headers("garbage"), BODY, exc.InvalidSignatureError),
        (headers(SIG.replace("v1,", "v2,")), BODY, exc.InvalidSignatureError),
        (headers(ts="yesterday"), BODY, exc.InvalidTimestampError),
    ],
)
def test_rejections(hdrs: dict[str, str] | None, body: str, error: type[Exception]) -> None:
    with pytest.raises(error):
        verify(hdrs, body, SECRET, now=TS)
    assert issubclass(error, exc.WebhookValidationError)
    assert issubclass(error, ValueError)


def test_timestamp_tolerance_defaults_to_five_minutes() -> None:
    verify(headers(), BODY, SECRET, now=TS + 299)
    with pytest.raises(exc.InvalidTimestampError):
        verify(headers(), BODY, SECRET, now=TS + 301)
    with pytest.raises(exc.InvalidTimestampError):
        verify(headers(), BODY, SECRET, now=TS - 301)
    verify(headers(), BODY, SECRET, now=TS + 3000, tolerance=3600)


@pytest.mark.parametrize("secret", ["", "whsec_a_b", "whsec_!!!notbase64"])
def test_bad_secrets(secret: str) -> None:
    with pytest.raises(exc.InvalidSecretKeyError):
        verify(headers(), BODY, secret, now=TS)
