"""Exception hierarchy.

Every exception raised by the client derives from :class:`ReplicateException`.
Names follow the official ``replicate`` package (``ReplicateError``,
``ModelError``) and the status-specific classes of the newer official client
(``NotFoundError``, ``RateLimitError``, ...), so ``except`` clauses written for
either keep working.

Example::

    try:
        replicate_kit.models.get("nobody/nothing")
    except replicate_kit.exceptions.NotFoundError as exc:
        print(exc.status, exc.detail)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Generic, Protocol, TypeVar


class _Outcome(Protocol):
    """What :class:`ModelError` reads of the prediction it carries."""

    @property
    def id(self) -> str: ...

    @property
    def error(self) -> Any: ...


PredictionT = TypeVar("PredictionT", bound=_Outcome)

__all__ = [
    "APIConnectionError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "ConflictError",
    "InternalServerError",
    "InvalidSecretKeyError",
    "InvalidSignatureError",
    "InvalidTimestampError",
    "MissingWebhookBodyError",
    "MissingWebhookHeaderError",
    "ModelError",
    "NotFoundError",
    "PaymentRequiredError",
    "PermissionDeniedError",
    "RateLimitError",
    "ReplicateError",
    "ReplicateException",
    "StreamError",
    "UnprocessableEntityError",
    "WebhookValidationError",
]


class ReplicateException(Exception):
    """Base class of every error raised by replicate_kit.

    ``prediction_id``: the prediction (or training) the failed call had started, when there is
    one. It may still be running, and billed, after the client gave up: get, wait for or
    cancel it by this id.
    """

    prediction_id: str | None = None


E = TypeVar("E", bound=BaseException)


def with_prediction_id(error: E, prediction_id: str) -> E:
    """``error``, marked with the prediction it concerns unless it names one already."""
    if isinstance(error, ReplicateException) and error.prediction_id is None:
        error.prediction_id = prediction_id
    return error


class ReplicateError(ReplicateException):
    """The API answered with an error status (RFC 7807 problem details).

    The positional order ``(type, title, status, detail, instance)`` matches the
    official client so code constructing these errors keeps working.

    Example::

        try:
            client.run("owner/model:VERSION_ID", input={})
        except ReplicateError as error:
            print(error.status, error.title, error.detail, error.invalid_fields)
    """

    def __init__(
        self,
        type: str | None = None,
        title: str | None = None,
        status: int | None = None,
        detail: str | None = None,
        instance: str | None = None,
        *,
        invalid_fields: Sequence[Mapping[str, Any]] | None = None,
        retry_after: float | None = None,
        request_id: str | None = None,
    ) -> None:
        self.type = type
        self.title = title
        self.status = status
        self.detail = detail
        self.instance = instance
        self.invalid_fields: list[dict[str, Any]] = [dict(f) for f in invalid_fields or ()]
        #: Seconds the server asked us to wait before retrying (``Retry-After`` or body hint).
        self.retry_after = retry_after
        self.request_id = request_id
        super().__init__(self._message())

    def _message(self) -> str:
        head = f"HTTP {self.status}" if self.status is not None else "Replicate error"
        if self.title:
            head += f" {self.title}"
        fields = [
            f"{field.get('field', '?')}: {field.get('description') or field.get('type') or 'invalid'}"
            for field in self.invalid_fields
        ]
        detail = (self.detail or "").strip()
        # The API's detail often lists the invalid fields itself: say each one once.
        if fields and all(line in detail for line in fields):
            detail = ""
        if detail:
            head += f": {detail}"
        elif self.type and self.status is None:
            # Official-client style ReplicateError("message"): the text lives in `type`.
            head += f": {self.type}"
        return head + "".join(f"\n  - {line}" for line in fields)

    def to_dict(self) -> dict[str, Any]:
        """Problem-details fields as a dict (``None`` values omitted)."""
        data: dict[str, Any] = {
            "type": self.type,
            "title": self.title,
            "status": self.status,
            "detail": self.detail,
            "instance": self.instance,
        }
        if self.invalid_fields:
            data["invalid_fields"] = self.invalid_fields
        return {k: v for k, v in data.items() if v is not None}

    def __repr__(self) -> str:
        return f"{type(self).__name__}(status={self.status!r}, title={self.title!r}, detail={self.detail!r})"


class BadRequestError(ReplicateError):
    """HTTP 400."""


class AuthenticationError(ReplicateError):
    """HTTP 401: missing or invalid API token."""


class PaymentRequiredError(ReplicateError):
    """HTTP 402: billing must be set up."""


class PermissionDeniedError(ReplicateError):
    """HTTP 403."""


class NotFoundError(ReplicateError):
    """HTTP 404."""


class ConflictError(ReplicateError):
    """HTTP 409."""


class UnprocessableEntityError(ReplicateError):
    """HTTP 422: invalid input (see ``invalid_fields``) or unknown version."""


class RateLimitError(ReplicateError):
    """HTTP 429: throttled; ``retry_after`` says for how long when known."""


class InternalServerError(ReplicateError):
    """HTTP 5xx."""


_BY_STATUS: dict[int, type[ReplicateError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    402: PaymentRequiredError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    422: UnprocessableEntityError,
    429: RateLimitError,
}


def error_class_for_status(status: int) -> type[ReplicateError]:
    """The most specific :class:`ReplicateError` subclass for an HTTP status."""
    if status >= 500:
        return InternalServerError
    return _BY_STATUS.get(status, ReplicateError)


class APIConnectionError(ReplicateException):
    """The API could not be reached or the connection broke.

    ``request_sent`` is False when the failure happened before any byte of the
    request left this machine (e.g. connection refused): only then is it safe to
    retry a non-idempotent call such as creating a prediction.
    """

    def __init__(self, message: str, *, request_sent: bool = True) -> None:
        super().__init__(message)
        self.request_sent = request_sent


class APITimeoutError(APIConnectionError):
    """The request timed out."""


class StreamError(ReplicateException, RuntimeError):
    """A server-sent event stream reported an ``error`` event or ended badly.

    Also a ``RuntimeError``, which is what the official client raises here.
    """


class ModelError(ReplicateException, Generic[PredictionT]):
    """The prediction finished with status ``failed`` (or ``aborted``); ``prediction`` holds it.

    Example::

        try:
            client.run("owner/model", input={"prompt": "..."})
        except ModelError as error:
            print(error.prediction.id, error.prediction.error)
    """

    def __init__(self, prediction: PredictionT) -> None:
        self.prediction = prediction
        super().__init__(prediction.error or f"Prediction {prediction.id} failed")


class WebhookValidationError(ValueError, ReplicateException):
    """Base class of webhook validation failures."""


class MissingWebhookHeaderError(WebhookValidationError):
    """A ``webhook-id``, ``webhook-timestamp`` or ``webhook-signature`` header is missing."""


class MissingWebhookBodyError(WebhookValidationError):
    """The webhook body is empty."""


class InvalidSecretKeyError(WebhookValidationError):
    """The signing secret is not of the form ``whsec_<base64>``."""


class InvalidTimestampError(WebhookValidationError):
    """``webhook-timestamp`` is malformed or outside the tolerance window."""


class InvalidSignatureError(WebhookValidationError):
    """No signature in ``webhook-signature`` matches the payload."""
