"""Webhook validation edge cases: header containers, strict timestamps, mixed signature lists."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from starlette.datastructures import Headers as StarletteHeaders

import replicate_kit
from replicate_kit import exceptions as exc
from replicate_kit._webhook_sig import sign, verify

SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
MSG_ID = "msg_hardening"
TS = 1796216809
BODY = '{"id": "p1", "status": "succeeded"}'
SIG = sign(SECRET, MSG_ID, TS, BODY)
PAIRS = [("Webhook-Id", MSG_ID), ("Webhook-Timestamp", str(TS)), ("Webhook-Signature", SIG)]


@pytest.mark.parametrize(
    "headers",
    [
        pytest.param(dict(PAIRS), id="dict"),
        pytest.param(PAIRS, id="list-of-pairs"),
        pytest.param(tuple(PAIRS), id="tuple-of-pairs"),
        pytest.param([(k.encode(), v.encode()) for k, v in PAIRS], id="raw-asgi-bytes"),
        pytest.param(httpx.Headers(PAIRS), id="httpx.Headers"),
        pytest.param(StarletteHeaders(headers=dict(PAIRS)), id="starlette.Headers"),
    ],
)
def test_every_header_container_validates(headers: Any) -> None:
    verify(headers, BODY, SECRET, now=TS)
    assert replicate_kit.webhooks.validate(
        headers=headers, body=BODY, secret=SECRET, tolerance=None
    )


def test_a_wrong_body_still_fails_whatever_the_container() -> None:
    for headers in (dict(PAIRS), PAIRS, httpx.Headers(PAIRS)):
        with pytest.raises(exc.InvalidSignatureError):
            verify(headers, BODY + " ", SECRET, now=TS)


def test_a_repeated_signature_header_counts_every_value() -> None:
    # Two webhook-signature lines (a proxy may split them): the valid one is in the second.
    pairs = [*PAIRS[:2], ("webhook-signature", "v1,AAAA"), ("webhook-signature", SIG)]
    verify(pairs, BODY, SECRET, now=TS)
    verify(httpx.Headers(pairs), BODY, SECRET, now=TS)


def test_pairs_that_are_not_pairs_are_a_clear_error() -> None:
    with pytest.raises(exc.MissingWebhookHeaderError, match="pairs"):
        verify(["webhook-id"], BODY, SECRET, now=TS)  # type: ignore[list-item]


@pytest.mark.parametrize(
    "timestamp",
    [
        "+1796216809",
        " 1796216809",
        "1796216809 ",
        "1_796_216_809",
        "١٧٩٦٢١٦٨٠٩",
        "-1",
        "1796216809.0",
        "",
    ],
)
def test_timestamp_must_be_ascii_digits(timestamp: str) -> None:
    # Each is signed over its own text, so only the format check can reject it.
    headers = {
        "webhook-id": MSG_ID,
        "webhook-timestamp": timestamp,
        "webhook-signature": sign(SECRET, MSG_ID, timestamp, BODY),
    }
    expected = exc.MissingWebhookHeaderError if timestamp == "" else exc.InvalidTimestampError
    with pytest.raises(expected):
        verify(headers, BODY, SECRET, tolerance=None)


@pytest.mark.parametrize(
    "signature",
    [
        f"garbage {SIG}",
        f"{SIG} garbage",
        f"v1 {SIG}",
        f"v1,not-base64!! {SIG}",
        f"v2,{SIG[3:]} {SIG}",
        f",,, {SIG}",
    ],
)
def test_a_valid_entry_next_to_a_malformed_one_is_accepted(signature: str) -> None:
    verify({**dict(PAIRS), "Webhook-Signature": signature}, BODY, SECRET, now=TS)


@pytest.mark.parametrize("signature", ["garbage", "v1", "v1,", "v1,AAAA garbage", f"v2,{SIG[3:]}"])
def test_only_malformed_or_wrong_entries_are_rejected(signature: str) -> None:
    with pytest.raises(exc.InvalidSignatureError):
        verify({**dict(PAIRS), "Webhook-Signature": signature}, BODY, SECRET, now=TS)
