"""Parsing of the request headers that change prediction behaviour."""

from __future__ import annotations

import re

from mock_server.engine.errors import bad_request

MAX_WAIT = 60
MIN_CANCEL_AFTER = 5.0
# Far beyond any real deadline, and keeps every deadline a representable date.
MAX_CANCEL_AFTER = 365 * 24 * 3600.0

# ASCII digits only: \d and float() also take other scripts' digits, "1_000" and "1e3".
_NUMBER = re.compile(r"[0-9]+(?:\.[0-9]+)?")
_DURATION = re.compile(r"([0-9]+(?:\.[0-9]+)?)(ms|s|m|h)")
_WAIT = re.compile(r"[0-9]{1,9}")
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
        if not _WAIT.fullmatch(argument) or not 1 <= int(argument) <= MAX_WAIT:
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
    if _NUMBER.fullmatch(text):
        seconds = float(text)
    else:
        matches = list(_DURATION.finditer(text))
        if not text or "".join(m.group(0) for m in matches) != text:
            raise bad_request(
                "Cancel-After must be a duration such as 30s, 5m, 1h30m or a number of seconds",
                "Invalid Cancel-After header",
            )
        seconds = sum(float(m.group(1)) * _UNITS[m.group(2)] for m in matches)
    if not MIN_CANCEL_AFTER <= seconds <= MAX_CANCEL_AFTER:
        raise bad_request(
            f"Cancel-After must be between {MIN_CANCEL_AFTER:g} seconds and "
            f"{MAX_CANCEL_AFTER / 86400:g} days",
            "Invalid Cancel-After header",
        )
    return seconds
