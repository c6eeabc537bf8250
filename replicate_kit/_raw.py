"""``RawResponse``: a call's result together with the response it came from.

:func:`raw` and :func:`async_raw` turn a resource method that makes one API call into one
that returns a :class:`RawResponse`; they run the method inside
:func:`~replicate_kit._core.recording`, so retries, errors and object mapping are the
method's own. The per-resource views built from them are in
:mod:`replicate_kit._raw_resources`.
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable
from typing import Generic, NoReturn, ParamSpec, TypeVar

import httpx

from replicate_kit._core import Recording, recording
from replicate_kit._transport.base import Received

T = TypeVar("T")
P = ParamSpec("P")


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


def _response(record: Recording, parsed: T) -> RawResponse[T]:
    if record.last is None:  # every wrapped method makes a call, or raises
        raise RuntimeError("with_raw_response: the method made no API call")
    return RawResponse(record.last, parsed)


def raw(method: Callable[P, T]) -> Callable[P, RawResponse[T]]:
    """``method`` (one API call) returning a :class:`RawResponse` of its result."""

    @functools.wraps(method)
    def wrapped(*args: P.args, **kwargs: P.kwargs) -> RawResponse[T]:
        with recording() as record:
            parsed = method(*args, **kwargs)
        return _response(record, parsed)

    return wrapped


def async_raw(method: Callable[P, Awaitable[T]]) -> Callable[P, Awaitable[RawResponse[T]]]:
    """Async :func:`raw`."""

    @functools.wraps(method)
    async def wrapped(*args: P.args, **kwargs: P.kwargs) -> RawResponse[T]:
        with recording() as record:
            parsed = await method(*args, **kwargs)
        return _response(record, parsed)

    return wrapped


def not_raw(name: str, instead: str) -> NoReturn:
    """The ``TypeError`` for a method with no single response (``run``, ``iter``, ...)."""
    raise TypeError(
        f"{name} makes several API calls, so it has no single raw response; use {instead} instead"
    )
