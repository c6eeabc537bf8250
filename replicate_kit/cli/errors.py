"""Exit codes and one-line error messages. Pure: no printing here.

Exit codes (the table in README.md's CLI section; a test runs it row by row): 0 success;
1 the thing asked about failed (prediction or training failed, canceled or aborted; webhook
signature invalid); 2 usage error (bad arguments, malformed ``key=value``, missing token, an input
that does not fit the model's schema); 3 API or network error; 130 interrupted.

Whether an input fits the schema is decided by the API: the CLI's own checks (types, choices) only
catch some of it early. So an HTTP 422 that names invalid fields is a usage error too; a 422 without
them (the API refusing an action in the current state, e.g. deleting a busy deployment) stays 3.
"""

from __future__ import annotations

from collections.abc import Iterable

from replicate_kit.exceptions import (
    APIConnectionError,
    APITimeoutError,
    ModelError,
    ReplicateError,
    StreamError,
    UnprocessableEntityError,
    WebhookValidationError,
)

OK = 0
FAILED = 1
USAGE = 2
API = 3
INTERRUPTED = 130


class CliError(Exception):
    """An error the CLI reports as one line with a chosen exit code."""

    exit_code = API

    def __init__(self, message: str, exit_code: int | None = None) -> None:
        super().__init__(message)
        if exit_code is not None:
            self.exit_code = exit_code


class UsageError(CliError):
    """The command line itself is wrong (exit 2)."""

    exit_code = USAGE


class OutcomeFailed(CliError):
    """The prediction/training/check finished but not successfully (exit 1)."""

    exit_code = FAILED


def exit_code_for(error: BaseException) -> int:
    if isinstance(error, CliError):
        return error.exit_code
    if isinstance(error, KeyboardInterrupt):
        return INTERRUPTED
    if isinstance(error, ModelError | WebhookValidationError):
        return FAILED
    if isinstance(error, UnprocessableEntityError) and error.invalid_fields:
        return USAGE
    if isinstance(error, ReplicateError | APIConnectionError | StreamError):
        return API
    if isinstance(error, ValueError | TypeError):
        # The facade raises these for arguments it cannot use (bad refs, bad names).
        return USAGE
    return API


def message_for(error: BaseException) -> str:
    """One line, no traceback."""
    if isinstance(error, KeyboardInterrupt):
        return "interrupted"
    if isinstance(error, ReplicateError):
        return _api_message(error)
    if isinstance(error, APITimeoutError):
        return f"request timed out: {_flat(str(error))}"
    if isinstance(error, APIConnectionError):
        return f"cannot reach the API: {_flat(str(error))}"
    if isinstance(error, ModelError):
        prediction = error.prediction
        return f"prediction {prediction.id} {prediction.status}: {_flat(str(error))}"
    if isinstance(error, WebhookValidationError):
        return f"invalid webhook: {_flat(str(error))}"
    if isinstance(error, CliError | ValueError | TypeError | StreamError):
        return _flat(str(error))
    return (
        f"unexpected {type(error).__name__}: {_flat(str(error))} (rerun with --debug for details)"
    )


def _api_message(error: ReplicateError) -> str:
    if error.status is None and not error.title and not error.detail:
        return _flat(str(error))  # official-style ReplicateError("message")
    head = f"HTTP {error.status}" if error.status is not None else "API error"
    if error.title:
        head += f" {error.title}"
    if error.invalid_fields:
        details = "; ".join(
            f"{f.get('field', '?')}: {f.get('description') or f.get('type') or 'invalid'}"
            for f in error.invalid_fields
        )
    else:
        details = error.detail or ""
    return f"{head}: {_flat(details)}" if details else head


def _flat(text: str) -> str:
    return " ".join(text.split())


def scrub(text: str, secrets: Iterable[str | None]) -> str:
    """Hide secrets (the API token) wherever they would be printed."""
    for secret in secrets:
        if secret:
            text = text.replace(secret, "***")
    return text
