"""Per-invocation settings and the lazily built client.

Resolution order for the token and the API root: command-line option, environment
(``REPLICATE_API_TOKEN``, ``REPLICATE_BASE_URL``), then a ``.env`` file found from the
working directory (never overriding real environment variables).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from typer._click.globals import get_current_context

from replicate_kit import Client
from replicate_kit._config import BASE_URL_ENV, TOKEN_ENV
from replicate_kit.cli.errors import UsageError
from replicate_kit.cli.render import Renderer

__all__ = ["BASE_URL_ENV", "TOKEN_ENV", "Session", "current", "resolve_setting"]


def _dotenv_values() -> dict[str, str]:
    from dotenv import dotenv_values, find_dotenv

    path = find_dotenv(usecwd=True)
    if not path:
        return {}
    return {k: v for k, v in dotenv_values(path).items() if v is not None}


def resolve_setting(explicit: str | None, name: str) -> str | None:
    if explicit:
        return explicit
    value = os.environ.get(name)
    if value:
        return value
    return _dotenv_values().get(name) or None


@dataclass
class Session:
    token: str | None = field(default=None, repr=False)
    base_url: str | None = None
    json: bool = False
    debug: bool = False
    max_retries: int | None = None
    _client: Client | None = field(default=None, repr=False)

    def client(self) -> Client:
        if self._client is None:
            if not self.token:
                raise UsageError(
                    f"no API token: set {TOKEN_ENV} (environment or .env) or pass --token"
                )
            try:
                self._client = Client(
                    self.token, base_url=self.base_url, max_retries=self.max_retries
                )
            except ValueError as exc:
                raise UsageError(str(exc)) from exc
        return self._client

    def renderer(self, json_flag: bool = False) -> Renderer:
        return Renderer(json_mode=self.json or json_flag)

    def close(self) -> None:
        if self._client is not None:
            self._client.close()


def current() -> Session:
    """The session of the running command (set up by the root callback)."""
    ctx = get_current_context()
    session = ctx.find_object(Session)
    if session is None:  # a command invoked without the root callback (tests)
        session = ctx.ensure_object(Session)
    return session
