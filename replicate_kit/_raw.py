"""``RawResponse``: a call's result together with the response it came from.

A method's raw form (see :mod:`replicate_kit._methods`) runs its flow inside
:func:`recording`, so retries, errors and object mapping are the method's own; the core
keeps the last response received meanwhile, and :func:`respond` pairs it with the result.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Generic, NoReturn, TypeVar

import httpx

from replicate_kit._transport.base import Received

T = TypeVar("T")


class Recording:
    """The last response received inside :func:`recording` (after retries)."""

    def __init__(self) -> None:
        self.last: Received | None = None

    def add(self, received: Received) -> None:
        """Keep ``received`` as the last response."""
        self.last = received


_RECORDING: ContextVar[Recording | None] = ContextVar("replicate_kit_recording", default=None)


@contextmanager
def recording() -> Iterator[Recording]:
    """Keep the last response of the calls this thread or task makes meanwhile."""
    current = Recording()
    token = _RECORDING.set(current)
    try:
        yield current
    finally:
        _RECORDING.reset(token)


def current_recording() -> Recording | None:
    """The recording in effect for this thread or task, if any."""
    return _RECORDING.get()


class RawResponse(Generic[T]):
    """What ``client.with_raw_response.<resource>.<method>(...)`` returns.

    - ``status_code``: the HTTP status (200, 201, 202, 204, ...). On the gRPC transport it
      is 200 for every successful RPC: gRPC has one success code, so the HTTP API's
      201/202/204 do not exist there.
    - ``headers``: case-insensitive (``headers["ratelimit-remaining"]``,
      ``headers.get("preference-applied")``). On gRPC: the RPC's initial and trailing
      metadata.
    - ``parse()``: the object the plain method returns (a ``Prediction``, a ``Page``, ...).
    - ``http_response``: the ``httpx.Response`` on HTTP; None on gRPC.

    It describes the final response: an attempt that was retried is not it, and failures
    still raise the usual :class:`~replicate_kit.exceptions.ReplicateError` subclasses. When
    a create uploads input files first (a ``Path`` in ``input``), it is the create's
    response. Only methods that make one API call have a raw form: ``run``, ``stream``,
    ``iter`` and ``wait`` make several and raise ``TypeError`` under ``with_raw_response``.

    Example::

        raw = client.with_raw_response.predictions.get(prediction_id)
        print(raw.status_code, raw.headers.get("ratelimit-remaining"))
        prediction = raw.parse()  # the same Prediction client.predictions.get() returns
    """

    __slots__ = ("_parsed", "headers", "http_response", "status_code")

    def __init__(self, received: Received, parsed: T) -> None:
        self.status_code: int = received.status_code
        self.headers: httpx.Headers = received.headers
        self.http_response: httpx.Response | None = received.http_response
        self._parsed = parsed

    def parse(self) -> T:
        """The typed result, as the method without ``with_raw_response`` returns it."""
        return self._parsed

    def __repr__(self) -> str:
        # Status and result type only: headers and the request stay out of reprs and logs.
        return f"<RawResponse [{self.status_code}] {type(self._parsed).__name__}>"


def respond(record: Recording, parsed: T) -> RawResponse[T]:
    """The raw response of a method that ran inside ``recording()`` and returned ``parsed``."""
    if record.last is None:  # every raw-able method makes a call, or raises
        raise RuntimeError("with_raw_response: the method made no API call")
    return RawResponse(record.last, parsed)


def not_raw(name: str, instead: str) -> NoReturn:
    """The ``TypeError`` for a method with no single response (``run``, ``iter``, ...)."""
    raise TypeError(
        f"{name} makes several API calls, so it has no single raw response; use {instead} instead"
    )
