"""Accounts keyed by API token. By default every non-empty token is its own account."""

from __future__ import annotations

import base64
import hashlib
import re
from dataclasses import dataclass, field
from typing import Any

from mock_server.engine.ids import BASE32


@dataclass
class Account:
    token: str
    username: str
    type: str = "user"
    name: str | None = None
    github_url: str | None = None
    avatar_url: str | None = None
    webhook_secret: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "type": self.type,
            "username": self.username,
            "name": self.name if self.name is not None else self.username,
            "github_url": self.github_url,
            "avatar_url": self.avatar_url,
        }


def username_for(token: str) -> str:
    """Deterministic, readable username derived from the token alone (not the seed)."""
    digest = hashlib.sha256(token.encode()).digest()
    suffix = "".join(BASE32[b % 32] for b in digest[:8])
    return f"user-{suffix}"


def webhook_secret_for(token: str, seed: int) -> str:
    raw = hashlib.sha256(f"whsec:{seed}:{token}".encode()).digest()[:24]
    return "whsec_" + base64.b64encode(raw).decode()


class Accounts:
    def __init__(self, seed: int, tokens: list[str] | None = None) -> None:
        self._seed = seed
        self.strict = tokens is not None
        self._by_token: dict[str, Account] = {}
        for token in tokens or []:
            self.add(token)

    def add(self, token: str, username: str | None = None, type: str = "user") -> Account:
        if not token:
            raise ValueError("token must be non-empty")
        account = Account(
            token=token,
            username=username or username_for(token),
            type=type,
            webhook_secret=webhook_secret_for(token, self._seed),
        )
        self._by_token[token] = account
        return account

    def authenticate(self, token: str | None) -> Account | None:
        if not token:
            return None
        account = self._by_token.get(token)
        if account is None and not self.strict:
            account = self.add(token)
        return account

    def peek(self, token: str | None) -> Account | None:
        """Look a token up without creating an account."""
        return self._by_token.get(token) if token else None

    def by_username(self, username: str) -> Account | None:
        for account in self._by_token.values():
            if account.username == username:
                return account
        return None

    def all(self) -> list[Account]:
        return list(self._by_token.values())


# `<scheme> <token>`: one space-free run of visible ASCII after the scheme, nothing else.
_AUTHORIZATION = re.compile(r"(?P<scheme>[A-Za-z]+) +(?P<token>[\x21-\x7e]+)")


def parse_authorization(header: str | None) -> str | None:
    """Token from ``Bearer <t>`` or the legacy ``Token <t>``; None when absent or malformed.

    Malformed means anything but exactly one scheme and one token: ``Bearer a b``, control
    characters, an empty token or another scheme. Every mode refuses those (401), so even the
    default mode, where any token is its own account, never mints an account from a broken header.
    """
    if not header:
        return None
    match = _AUTHORIZATION.fullmatch(header.strip(" "))
    if match is None or match["scheme"].lower() not in ("bearer", "token"):
        return None
    return match["token"]
