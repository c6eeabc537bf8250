"""Calls as data, and flows: the I/O-free description of what the client does.

A *flow* is a generator that yields :class:`Call` (an API operation) or
:class:`Sleep` effects and receives each call's decoded result. The same flow is
driven synchronously by :class:`~replicate_kit._core.Core.execute` and
asynchronously by ``aexecute``, so the logic of ``run()``, polling, input-file
uploads and pagination is written once and tested without a network.
"""

from __future__ import annotations

from collections.abc import Generator, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from replicate_api_table import OPERATIONS, RetryClass

from replicate_kit._retry import RetryBudget

T = TypeVar("T")


@dataclass(frozen=True)
class Upload:
    """A multipart file upload (``POST /files``)."""

    content: bytes
    filename: str
    content_type: str
    metadata: Mapping[str, Any] | None = None


@dataclass(frozen=True)
class Call:
    """One API operation, named by the OpenAPI ``operationId`` (e.g. ``predictions.get``)."""

    op: str
    path: Mapping[str, str] = field(default_factory=dict)
    query: Mapping[str, Any] = field(default_factory=dict)
    body: Any = None
    headers: Mapping[str, str] = field(default_factory=dict)
    #: Absolute URL to use instead of the operation's route (pagination ``next`` links).
    url: str | None = None
    upload: Upload | None = None
    #: Seconds the server may hold the request (``Prefer: wait``): extends the read timeout.
    wait: float | None = None
    #: Return the response body as bytes, undecoded (file downloads of any content type).
    raw: bool = False
    #: The retries this call draws on when they are shared with other sends (a reconciled
    #: create); None: a fresh budget of the client's policy for this call alone.
    budget: RetryBudget | None = field(default=None, compare=False, repr=False)

    @property
    def retry(self) -> RetryClass:
        """The operation's ``x-retry`` class; an unknown operation is never sent twice."""
        op = OPERATIONS.get(self.op)
        return op.retry if op is not None else "never"


@dataclass(frozen=True)
class Sleep:
    """Pause the flow (polling interval)."""

    seconds: float


Effect = Call | Sleep
Flow = Generator[Effect, Any, T]


def call(c: Call) -> Flow[Any]:
    """A flow of a single call (``result = yield from call(Call(...))``)."""
    result = yield c
    return result
