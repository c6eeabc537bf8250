"""Redaction applied to everything a recording writes.

Secrets are removed at the source: a value the recorder has seen as a token or a webhook
secret is replaced wherever it appears (bodies, logs, inputs), anything shaped like a Replicate
token or a Standard Webhooks secret is too, and a URL whose query looks signed loses its query.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qsl, urlsplit, urlunsplit

REDACTED = "<redacted>"

_SHAPED = re.compile(r"\b(?:r8_[A-Za-z0-9_\-]{8,}|whsec_[A-Za-z0-9+/=_\-]{8,})")
_URL = re.compile(r"https?://[^\s\"'<>]+")
_SIGNED_PARAMS = re.compile(
    r"(?i)^(?:x-amz-.*|x-goog-.*|signature|sig|se|sp|sv|st|token|expires|key-pair-id|policy"
    r"|credential|access_token|auth|key)$"
)
_SECRET_KEYS = frozenset({"authorization", "api_token", "token", "secret", "webhook_secret"})


class Redactor:
    def __init__(self) -> None:
        self._secrets: set[str] = set()

    def add_secret(self, value: str | None) -> None:
        if value and len(value) >= 4:
            self._secrets.add(value)

    def add_authorization(self, header: str | None) -> None:
        """Learn the token of an ``Authorization: Bearer|Token <token>`` header."""
        if header:
            scheme, _, token = header.partition(" ")
            self.add_secret(token.strip() if token else scheme.strip())

    def text(self, value: str) -> str:
        # Longest first, so a secret containing another is removed whole.
        for secret in sorted(self._secrets, key=len, reverse=True):
            value = value.replace(secret, REDACTED)
        value = _SHAPED.sub(REDACTED, value)
        return _URL.sub(lambda found: unsigned(found.group(0)), value)

    def value(self, value: Any) -> Any:
        """A JSON value with every secret removed (keys that name a secret lose their value)."""
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, list):
            return [self.value(item) for item in value]
        if isinstance(value, dict):
            return {
                str(key): REDACTED
                if str(key).lower() in _SECRET_KEYS and isinstance(item, str)
                else self.value(item)
                for key, item in value.items()
            }
        return value


def unsigned(url: str) -> str:
    """The URL without its query when any query parameter looks like a signature or a key."""
    parts = urlsplit(url)
    if not parts.query:
        return url
    names = [name for name, _ in parse_qsl(parts.query, keep_blank_values=True)]
    if any(_SIGNED_PARAMS.match(name) for name in names):
        return urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))
    return url
