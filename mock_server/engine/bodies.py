"""Typed reading of client-supplied values: JSON request bodies, reporting every bad field at
once (422 invalid_fields), URLs and decimal numbers."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

from mock_server.engine.errors import invalid_fields

# Names of models and deployments: lowercase letters, digits, dashes, underscores and periods,
# starting and ending with a letter or digit.
_NAME = re.compile(r"^[a-z0-9](?:[a-z0-9._-]{0,98}[a-z0-9])?$")


def decimal(text: str, max_digits: int = 18) -> int | None:
    """A non-negative integer written in ASCII digits, or None. (``str.isdigit`` also admits
    "²", which ``int`` refuses, and ``int`` refuses numbers of thousands of digits.)"""
    if 0 < len(text) <= max_digits and text.isascii() and text.isdigit():
        return int(text)
    return None


# The characters RFC 3986 allows in a URI (the spec's `format: uri`); anything else is not one.
_URI_CHARACTERS = re.compile(r"[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]*")


def is_http_url(value: str) -> bool:
    """An absolute http(s) URL with a host (``http://[::1`` and other unparseable text: no)."""
    if not _URI_CHARACTERS.fullmatch(value):
        return False
    try:
        parts = urlsplit(value)
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.netloc)


class Body:
    """One JSON object body; accessors record problems instead of raising one by one."""

    def __init__(
        self,
        raw: Any,
        *,
        allowed: Iterable[str],
        required: Iterable[str] = (),
        title: str = "Invalid request",
    ) -> None:
        self.title = title
        self.problems: list[dict[str, str]] = []
        if not isinstance(raw, dict):
            self.data: dict[str, Any] = {}
            self._add("invalid_type", "body", "The request body must be a JSON object")
            self.check()
            return
        self.data = raw
        allowed_set = set(allowed)
        for key in sorted(raw):
            if key not in allowed_set:
                self._add("additional", key, f"Additional property {key} is not allowed")
        for key in required:
            if key not in raw:
                self._add("required", key, f"{key} is required")

    def _add(self, kind: str, field: str, description: str) -> None:
        self.problems.append({"type": kind, "field": field, "description": description})

    def has(self, key: str) -> bool:
        return key in self.data

    def string(self, key: str) -> str | None:
        value = self.data.get(key)
        if key not in self.data:
            return None
        if not isinstance(value, str):
            self._add("invalid_type", key, "Invalid type. Expected: string")
            return None
        return value

    def nonempty(self, key: str) -> str | None:
        value = self.string(key)
        if value is not None and not value.strip():
            self._add("format", key, f"{key} must not be empty")
            return None
        return value

    def name(self, key: str) -> str | None:
        value = self.string(key)
        if value is not None and not _NAME.match(value):
            self._add(
                "format",
                key,
                f"{key} may contain only lowercase letters, digits, dashes, underscores and "
                "periods, must start and end with a letter or digit, and be at most 100 long",
            )
            return None
        return value

    def choice(self, key: str, options: Iterable[str]) -> str | None:
        value = self.string(key)
        choices = list(options)
        if value is not None and value not in choices:
            self._add("enum", key, f"{key} must be one of: {', '.join(choices)}")
            return None
        return value

    def url(self, key: str) -> str | None:
        value = self.string(key)
        if value is not None and not is_http_url(value):
            self._add("format", key, f"{key} must be an HTTP(S) URL")
            return None
        return value

    def integer(self, key: str, low: int, high: int) -> int | None:
        value = self.data.get(key)
        if key not in self.data:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self._add("invalid_type", key, "Invalid type. Expected: integer")
            return None
        if value < low:
            self._add("minimum", key, f"Must be greater than or equal to {low}")
            return None
        if value > high:
            self._add("maximum", key, f"Must be less than or equal to {high}")
            return None
        return value

    def fail(self, field: str, description: str, kind: str = "invalid") -> None:
        self._add(kind, field, description)

    def check(self) -> None:
        """Raise the 422 if anything was wrong; call once all fields were read."""
        if self.problems:
            raise invalid_fields(self.title, self.problems)
