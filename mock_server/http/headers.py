"""Parsing of the request headers that change prediction behaviour."""

from __future__ import annotations

import re

from mock_server.engine.errors import bad_request

MAX_WAIT = 60
MIN_CANCEL_AFTER = 5.0

_DURATION = re.compile(r"(\d+(?:\.\d+)?)(ms|s|m|h)")
_UNITS = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0}


def parse_prefer(value: str | None) -> int | None:
    """Seconds to hold a create request (``Prefer: wait[=N]``), or None for async.

    Preferences other than ``wait`` are ignored as RFC 7240 asks; a malformed ``wait``
    is a client error.
    """
    if value is None:
        return None
    wait: int | None = None
    for token in value.split(","):
        name, _, argument = token.strip().partition("=")
        if name.strip().lower() != "wait":
            continue
        argument = argument.strip()
        if not argument:
            wait = MAX_WAIT
            continue
        if not argument.isdigit() or not 1 <= int(argument) <= MAX_WAIT:
            raise bad_request(
                f"Prefer: wait must be 'wait' or 'wait=N' with N between 1 and {MAX_WAIT}",
                "Invalid Prefer header",
            )
        wait = int(argument)
    return wait


def parse_cancel_after(value: str | None) -> float | None:
    """Seconds from creation until the deadline (``Cancel-After: 1h30m``, ``90``, ``45s``)."""
    if value is None:
        return None
    text = value.strip().lower()
    seconds: float
    try:
        seconds = float(text)
        if seconds != seconds or seconds in (float("inf"), float("-inf")):
            raise ValueError(text)
    except ValueError:
        matches = list(_DURATION.finditer(text))
        if not text or "".join(m.group(0) for m in matches) != text:
            raise bad_request(
                "Cancel-After must be a duration such as 30s, 5m, 1h30m or a number of seconds",
                "Invalid Cancel-After header",
            ) from None
        seconds = sum(float(m.group(1)) * _UNITS[m.group(2)] for m in matches)
    if seconds < MIN_CANCEL_AFTER:
        raise bad_request(
            f"Cancel-After must be at least {MIN_CANCEL_AFTER:g} seconds",
            "Invalid Cancel-After header",
        )
    return seconds
