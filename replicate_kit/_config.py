"""Client configuration: explicit options, then environment, then ``.env``. Pure except ``load_env``."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from urllib.parse import urlsplit, urlunsplit

import httpx

from replicate_kit._retry import RetryPolicy
from replicate_kit._version import __version__

DEFAULT_BASE_URL = "https://api.replicate.com/v1"
DEFAULT_POLL_INTERVAL = 0.5
DEFAULT_TIMEOUT = httpx.Timeout(30.0, connect=5.0, pool=10.0)
TOKEN_ENV = "REPLICATE_API_TOKEN"
BASE_URL_ENV = "REPLICATE_BASE_URL"
POLL_INTERVAL_ENV = "REPLICATE_POLL_INTERVAL"
USER_AGENT = f"replicate-kit/{__version__}"


def normalize_base_url(url: str) -> str:
    """Accept ``https://host`` (official v1 convention) and ``https://host/v1`` alike.

    >>> normalize_base_url("https://api.replicate.com")
    'https://api.replicate.com/v1'
    >>> normalize_base_url("http://127.0.0.1:8000/v1/")
    'http://127.0.0.1:8000/v1'
    """
    text = url.strip()
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"Invalid base URL {url!r}: expected http(s)://host[/v1]")
    path = parts.path.rstrip("/")
    if not path:
        path = "/v1"
    return urlunsplit((parts.scheme, parts.netloc, path, "", ""))


def origin_of(url: str) -> tuple[str, str]:
    """(scheme, host:port) with default ports made explicit, for same-origin checks."""
    parsed = httpx.URL(url)
    port = parsed.port or (443 if parsed.scheme == "https" else 80)
    return parsed.scheme, f"{parsed.host}:{port}"


_dotenv_loaded = False


def load_env() -> None:
    """Load ``.env`` once (never overriding variables already set)."""
    global _dotenv_loaded
    if _dotenv_loaded:
        return
    _dotenv_loaded = True
    from dotenv import find_dotenv, load_dotenv

    path = find_dotenv(usecwd=True)
    if path:
        load_dotenv(path, override=False)


def _poll_interval_from(env: Mapping[str, str]) -> float:
    raw = env.get(POLL_INTERVAL_ENV)
    if raw is None or not raw.strip():
        return DEFAULT_POLL_INTERVAL
    try:
        value = float(raw)
    except ValueError as exc:
        raise ValueError(f"{POLL_INTERVAL_ENV} must be a number of seconds, got {raw!r}") from exc
    if value < 0:
        raise ValueError(f"{POLL_INTERVAL_ENV} must not be negative")
    return value


def _as_timeout(value: float | httpx.Timeout | None) -> httpx.Timeout:
    if value is None:
        return DEFAULT_TIMEOUT
    if isinstance(value, httpx.Timeout):
        return value
    return httpx.Timeout(float(value), connect=min(float(value), 5.0))


@dataclass(frozen=True)
class ClientConfig:
    """Resolved client settings. The token is kept out of ``repr``."""

    api_token: str | None = field(repr=False)
    base_url: str = DEFAULT_BASE_URL
    timeout: httpx.Timeout = field(default_factory=lambda: DEFAULT_TIMEOUT)
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    poll_interval: float = DEFAULT_POLL_INTERVAL
    user_agent: str = USER_AGENT
    headers: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def resolve(
        cls,
        *,
        api_token: str | None = None,
        base_url: str | None = None,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        retry: RetryPolicy | None = None,
        poll_interval: float | None = None,
        user_agent: str | None = None,
        headers: Mapping[str, str] | None = None,
        env: Mapping[str, str] | None = None,
    ) -> ClientConfig:
        """Explicit arguments win; otherwise the environment (``env`` defaults to os.environ)."""
        if env is None:
            load_env()
            env = os.environ
        token = api_token if api_token is not None else env.get(TOKEN_ENV) or None
        policy = retry or RetryPolicy()
        if max_retries is not None:
            if max_retries < 0:
                raise ValueError("max_retries must be >= 0")
            policy = replace(policy, max_retries=max_retries)
        return cls(
            api_token=token.strip() if token else None,
            base_url=normalize_base_url(base_url or env.get(BASE_URL_ENV) or DEFAULT_BASE_URL),
            timeout=_as_timeout(timeout),
            retry=policy,
            poll_interval=poll_interval if poll_interval is not None else _poll_interval_from(env),
            user_agent=user_agent or USER_AGENT,
            headers=dict(headers or {}),
        )
