"""Standard Webhooks signature verification (what Replicate signs with). Pure.

Signed content is ``"{webhook-id}.{webhook-timestamp}.{raw body}"``; the key is
the base64 payload after ``whsec_``; ``webhook-signature`` lists one or more
space-separated ``v1,<base64 HMAC-SHA256>`` entries.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import re
import time
from collections.abc import Iterable, Mapping

from replicate_kit.exceptions import (
    InvalidSecretKeyError,
    InvalidSignatureError,
    InvalidTimestampError,
    MissingWebhookBodyError,
    MissingWebhookHeaderError,
)

#: Default replay window (seconds): signatures older or newer than this are refused.
DEFAULT_TOLERANCE = 300

HEADER_ID = "webhook-id"
HEADER_TIMESTAMP = "webhook-timestamp"
HEADER_SIGNATURE = "webhook-signature"


def decode_secret(secret: str) -> bytes:
    """The HMAC key for a ``whsec_<base64>`` secret."""
    if not isinstance(secret, str) or not secret:
        raise InvalidSecretKeyError("Webhook signing secret is empty")
    payload = secret.removeprefix("whsec_")
    if "_" in payload:
        raise InvalidSecretKeyError("Webhook signing secret must look like 'whsec_<base64>'")
    try:
        return base64.b64decode(payload, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise InvalidSecretKeyError("Webhook signing secret is not valid base64") from exc


def sign(secret: str, msg_id: str, timestamp: int | str, body: bytes | str) -> str:
    """The ``v1,<base64>`` signature for a payload (useful in tests and mocks)."""
    raw = body.encode() if isinstance(body, str) else body
    signed = f"{msg_id}.{timestamp}.".encode() + raw
    digest = hmac.new(decode_secret(secret), signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


# Standard Webhooks timestamps are integer seconds: `int()` would also take a sign, surrounding
# space, underscores and non-ASCII digits, each a different text from the one that was signed.
_TIMESTAMP = re.compile(r"[0-9]+")

HeaderText = str | bytes
#: A mapping (dict, ``httpx.Headers``, Starlette ``Headers``) or the raw ``(name, value)`` pairs
#: an ASGI/WSGI server hands over.
WebhookHeaders = Mapping[str, str] | Mapping[bytes, bytes] | Iterable[tuple[HeaderText, HeaderText]]


def _text(value: HeaderText) -> str:
    return value.decode("latin-1") if isinstance(value, bytes) else str(value)


def _pairs(headers: WebhookHeaders) -> Iterable[tuple[HeaderText, HeaderText]]:
    # Multi-valued header objects (httpx, Starlette) expose every value through
    # ``multi_items``; ``items`` would fold repeats into one comma-joined value.
    multi = getattr(headers, "multi_items", None)
    if callable(multi):
        return list(multi())
    items = getattr(headers, "items", None)
    if callable(items):
        return list(items())
    return headers  # type: ignore[return-value]


def _lower(headers: WebhookHeaders) -> dict[str, str]:
    """Header names lower-cased; a repeated header's values joined by spaces, as
    ``webhook-signature`` separates its entries."""
    lowered: dict[str, str] = {}
    for pair in _pairs(headers):
        if isinstance(pair, str | bytes) or len(pair) != 2:
            raise MissingWebhookHeaderError(
                "Webhook headers must be a mapping or a list of (name, value) pairs"
            )
        name, value = (_text(part) for part in pair)
        key = name.lower()
        lowered[key] = f"{lowered[key]} {value}" if key in lowered else value
    return lowered


def verify(
    headers: WebhookHeaders | None,
    body: bytes | str | None,
    secret: str,
    *,
    tolerance: float | None = DEFAULT_TOLERANCE,
    now: float | None = None,
) -> None:
    """Raise a :class:`~replicate_kit.exceptions.WebhookValidationError` unless valid.

    ``tolerance=None`` disables the timestamp check (not recommended).
    """
    if headers is None:
        raise MissingWebhookHeaderError("Missing webhook headers")
    lowered = _lower(headers)
    for name in (HEADER_ID, HEADER_TIMESTAMP, HEADER_SIGNATURE):
        if not lowered.get(name):
            raise MissingWebhookHeaderError(f"Missing webhook header: {name}")
    if body is None or len(body) == 0:
        raise MissingWebhookBodyError("Missing webhook body")
    key = decode_secret(secret)

    timestamp = lowered[HEADER_TIMESTAMP]
    if not _TIMESTAMP.fullmatch(timestamp):
        raise InvalidTimestampError(f"Invalid webhook timestamp: {timestamp[:32]!r}")
    sent_at = int(timestamp)
    if tolerance is not None:
        current = time.time() if now is None else now
        if abs(current - sent_at) > tolerance:
            raise InvalidTimestampError(
                f"Webhook timestamp is outside the {tolerance:g}s tolerance window"
            )

    raw = body.encode() if isinstance(body, str) else bytes(body)
    signed = f"{lowered[HEADER_ID]}.{timestamp}.".encode() + raw
    expected = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest())
    matched = False
    for entry in lowered[HEADER_SIGNATURE].split():
        # A malformed entry is skipped, not fatal: Standard Webhooks lets a sender list
        # several signatures (key rotation, future versions) and any valid one suffices.
        version, _, value = entry.partition(",")
        # Compare every entry (constant time each) so timing does not reveal which matched.
        if version == "v1" and hmac.compare_digest(value.encode(), expected):
            matched = True
    if not matched:
        raise InvalidSignatureError("Webhook signature is invalid")
