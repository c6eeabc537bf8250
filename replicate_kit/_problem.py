"""Turn an error response (status, headers, body) into a typed exception. Pure."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

from replicate_kit.exceptions import ReplicateError, error_class_for_status

# "Request was throttled. Expected available in 1 second." / "... resets in ~30s."
_BODY_HINT = re.compile(
    r"(?:available in|resets in)\s*~?\s*(\d+(?:\.\d+)?)\s*(?:s\b|sec|second)", re.I
)


def parse_retry_after(value: str | None, *, now: datetime | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` value: delta-seconds or an HTTP-date."""
    if value is None:
        return None
    value = value.strip()
    if not value:
        return None
    try:
        seconds = float(value)
    except ValueError:
        pass
    else:
        return max(seconds, 0.0) if seconds == seconds else None  # NaN guard
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    current = now or datetime.now(UTC)
    return max((when - current).total_seconds(), 0.0)


def retry_hint_from_text(text: str | None) -> float | None:
    """Seconds suggested by a throttling message such as "Expected available in 1 second"."""
    if not text:
        return None
    match = _BODY_HINT.search(text)
    return float(match.group(1)) if match else None


def _header(headers: Mapping[str, str], name: str) -> str | None:
    for key, value in headers.items():
        if key.lower() == name:
            return value
    return None


def error_from_response(
    status: int,
    headers: Mapping[str, str],
    body: bytes,
    *,
    now: datetime | None = None,
) -> ReplicateError:
    """Build the :class:`ReplicateError` subclass for a non-2xx response."""
    data: dict[str, Any] = {}
    text = body.decode("utf-8", errors="replace").strip()
    if text:
        try:
            parsed = json.loads(text)
        except ValueError:
            parsed = None
        if isinstance(parsed, dict):
            data = parsed
        elif text and not text.startswith("<"):
            # Plain-text error bodies still carry a useful message; HTML pages do not.
            data = {"detail": text[:500]}

    def _str(key: str) -> str | None:
        value = data.get(key)
        return value if isinstance(value, str) else None

    detail = _str("detail")
    if detail is None and isinstance(data.get("detail"), list):
        # FastAPI-style validation list (Cog's local server).
        detail = "; ".join(
            str(item.get("msg", item)) if isinstance(item, dict) else str(item)
            for item in data["detail"]
        )
    if detail is None:
        detail = _str("error")
    invalid = data.get("invalid_fields")
    invalid_fields = (
        [f for f in invalid if isinstance(f, dict)] if isinstance(invalid, list) else None
    )

    retry_after = parse_retry_after(_header(headers, "retry-after"), now=now)
    if retry_after is None:
        retry_after = retry_hint_from_text(detail)

    cls = error_class_for_status(status)
    return cls(
        _str("type"),
        _str("title"),
        status,
        detail,
        _str("instance"),
        invalid_fields=invalid_fields,
        retry_after=retry_after,
        request_id=_header(headers, "x-request-id"),
    )
