"""``client.webhooks``: the default signing secret and signature validation."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from replicate_kit import _webhook_sig
from replicate_kit._calls import Call, Flow
from replicate_kit._methods import M, local, method
from replicate_kit.resources._base import Resource, one
from replicate_kit.types import WebhookSigningSecret


class WebhookDefaults(Resource[M]):
    """``client.webhooks.default``: the account's default signing secret.

    Example::

        secret = client.webhooks.default.secret()  # secret.key == "whsec_..."
    """

    _name = "webhooks.default"

    @method
    def secret(self) -> Flow[WebhookSigningSecret]:
        """The signing secret for webhooks sent to you."""
        call = Call("webhooks.default.secret.get")
        return (yield from one(call, WebhookSigningSecret, self._core))

    async_secret = secret.async_form()


def validate(
    request: Any = None,
    headers: Mapping[str, str] | None = None,
    body: str | bytes | None = None,
    secret: WebhookSigningSecret | str | None = None,
    tolerance: float | None = _webhook_sig.DEFAULT_TOLERANCE,
) -> bool:
    """Check a webhook's signature; raise a ``WebhookValidationError`` subclass if invalid.

    Pass ``request`` (anything with ``headers`` and ``content``/``body``, e.g. an
    ``httpx.Request``) or ``headers`` + raw ``body``. ``secret`` is the
    ``WebhookSigningSecret`` from ``webhooks.default.secret()`` or its ``key``.
    ``tolerance`` (seconds, default 300) bounds the timestamp age; returns True.

    Example::

        replicate_kit.webhooks.validate(headers=request.headers, body=raw_body, secret=secret)
    """
    if secret is None:
        raise ValueError("Missing webhook signing secret")
    if request is not None and (headers is not None or body is not None):
        raise ValueError("Pass either request= or headers= and body=, not both")
    if request is not None:
        headers = dict(request.headers)
        body = getattr(request, "content", None)
        if body is None:
            body = getattr(request, "body", None)
    key = secret if isinstance(secret, str) else secret.key
    _webhook_sig.verify(headers, body, key, tolerance=tolerance)
    return True


class Webhooks(Resource[M]):
    """``client.webhooks``: ``default.secret()`` and ``validate(...)``.

    Example::

        secret = client.webhooks.default.secret()
        client.webhooks.validate(headers=request_headers, body=raw_body, secret=secret)
    """

    _name = "webhooks"

    @property
    def default(self) -> WebhookDefaults[M]:
        """The account's default webhook settings."""
        return WebhookDefaults(self._core, self._mode)

    # It checks a signature locally: synchronous everywhere, and refused under with_raw_response.
    validate = local(
        validate,
        refusal="webhooks.validate makes no API call, so it has no raw response; "
        "call client.webhooks.validate(...) directly",
    )
