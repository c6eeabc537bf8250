"""Retry policy: which failures are retried and how long to wait. Pure logic.

Each operation's retry class is declared in the spec (``x-retry``) and reaches calls
through the generated operation table; it is never inferred from the HTTP method.
The rule that matters most: a ``never`` or ``reconcile`` call (one that creates
something: a prediction, a training, a file) is retried only when the server
provably did not act on it — it answered 429 or 503, or the connection failed
before the request was sent. Any other failure is surfaced, because retrying it
could run the model twice; when a ``reconcile`` call's outcome is unknown
(:meth:`RetryPolicy.outcome_unknown`), :mod:`replicate_kit._reconcile` looks for what it
may have created before sending it again.
"""

from __future__ import annotations

import random as _random
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from replicate_api_table import RetryClass

from replicate_kit.exceptions import APIConnectionError, ReplicateError

#: Statuses after which an ``idempotent`` call is sent again.
RETRYABLE_STATUSES = frozenset({408, 429, 500, 502, 503, 504})
#: Statuses that prove the server did not act on the request: any call may be sent again.
NOT_ACTED_ON_STATUSES = frozenset({429, 503})
#: Statuses after which a create may or may not have happened.
OUTCOME_UNKNOWN_STATUSES = frozenset({500, 502, 504})


@dataclass
class RetryBudget:
    """What one operation may still spend on retries: every send of it draws on the same
    attempts and deadline (a create's own retries and the re-sends after reconciling alike)."""

    max_retries: int
    #: On ``clock``'s timeline: no retry starts that would begin after it.
    deadline: float
    clock: Callable[[], float] = field(repr=False)
    used: int = 0

    def allows(self, delay: float) -> bool:
        """Whether one more retry, after sleeping ``delay`` seconds, fits the budget."""
        return self.used < self.max_retries and self.clock() + delay <= self.deadline


@dataclass(frozen=True)
class RetryPolicy:
    """How failed calls are retried.

    ``max_retries`` and ``max_retry_time`` bound each call, reconciliation included.
    ``reconcile=False`` raises the error of a create whose outcome is unknown instead of
    looking for what it may have created (see the README's reliability section).

    Example::

        RetryPolicy(max_retries=8, initial_delay=0.2, max_delay=10)
    """

    #: Retries after the first attempt of one call.
    max_retries: int = 4
    initial_delay: float = 0.5
    max_delay: float = 8.0
    #: Upper bound applied to server-provided waits (``Retry-After``, body hints).
    max_retry_after: float = 60.0
    #: Fraction of the delay randomised to spread concurrent clients.
    jitter: float = 0.25
    random: Callable[[], float] = field(default=_random.random, repr=False, compare=False)
    #: Seconds one call may spend retrying, attempts and reconciliations together: no retry
    #: starts after it. Each attempt's own limit is the client's ``timeout``.
    max_retry_time: float = 120.0
    #: Find out whether a create whose outcome is unknown happened before sending it again.
    reconcile: bool = True
    #: Seconds subtracted from the estimated server time of a lost create, for clock skew.
    clock_skew: float = 5.0
    #: List pages read at most per reconciliation.
    reconcile_pages: int = 3

    def budget(self, clock: Callable[[], float] = time.monotonic) -> RetryBudget:
        """A fresh budget for one call, its deadline read from ``clock``."""
        return RetryBudget(self.max_retries, clock() + self.max_retry_time, clock)

    def outcome_unknown(self, error: BaseException) -> bool:
        """Whether a failed create may have happened: the request left and no answer proves
        otherwise (a broken or timed-out connection, 500, 502, 504)."""
        if isinstance(error, ReplicateError):
            return error.status in OUTCOME_UNKNOWN_STATUSES
        return isinstance(error, APIConnectionError) and error.request_sent

    def should_retry(self, retry: RetryClass, error: BaseException, attempt: int) -> bool:
        """Whether the failure of attempt number ``attempt`` (0-based) is retried."""
        if attempt >= self.max_retries:
            return False
        if isinstance(error, ReplicateError):
            if error.status is None:
                return False
            if retry == "idempotent":
                return error.status in RETRYABLE_STATUSES
            return error.status in NOT_ACTED_ON_STATUSES
        if isinstance(error, APIConnectionError):
            return retry == "idempotent" or not error.request_sent
        return False

    def delay(self, error: BaseException, attempt: int) -> float:
        """Seconds to sleep before retry number ``attempt + 1``."""
        hinted = error.retry_after if isinstance(error, ReplicateError) else None
        if hinted is not None:
            return min(max(hinted, 0.0), self.max_retry_after)
        base = min(self.initial_delay * (2.0**attempt), self.max_delay)
        spread: float = self.jitter * self.random()
        return max(base * (1 - spread), 0.0)

    def next_delay(self, retry: RetryClass, error: BaseException, attempt: int) -> float | None:
        """The delay before retrying, or ``None`` when the error must be raised."""
        if not self.should_retry(retry, error, attempt):
            return None
        return self.delay(error, attempt)


#: Seconds added to the ``Prefer: wait`` hold so the server answers before we time out.
WAIT_MARGIN = 5.0


def read_timeout_for_wait(wait_seconds: float | None, read_timeout: float | None) -> float | None:
    """The read timeout for a create call holding the connection ``wait_seconds``.

    Always strictly greater than the hold, whatever the configured timeout.
    """
    if wait_seconds is None or read_timeout is None:
        return read_timeout
    return max(read_timeout, wait_seconds + WAIT_MARGIN)
