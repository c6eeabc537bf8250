"""The operation layer: one API operation, whichever transport carried it.

An operation handler takes a :class:`Call` (what was asked, already split into path parameters,
query, headers and body) and returns a :class:`Result` (status, JSON value, headers) or raises
``ApiError``. The HTTP adapter builds the ``Call`` from a Starlette request and encodes the
``Result``; the gRPC adapter builds it from the request message and converts the JSON value to the
response message, so no HTTP request or body is built and parsed between them. What every
operation shares — faults, the journal, rate-limit headers, authentication (``context``) — is
written here once and called by both adapters.

Operations that answer something other than JSON (downloads, text, event streams) stay Starlette
endpoints for now; the gRPC adapter reaches them through the in-process HTTP bridge.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator, AsyncIterator, Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import orjson
from starlette.requests import Request
from starlette.responses import Response

from mock_server.engine.core import Engine
from mock_server.engine.errors import ApiError, bad_request
from mock_server.engine.faults import Fault


# Not frozen: a frozen dataclass sets each field through object.__setattr__, and one Call and one
# Result are made per request (0.7 -> 0.3 us for a Result). Neither is changed after it is made.
@dataclass(slots=True)
class Call:
    engine: Engine
    method: str
    path: str
    path_params: dict[str, str]
    #: Query items in the order sent (a name may repeat).
    query: Sequence[tuple[str, str]]
    #: Lower-case names (Starlette's ``Headers`` is case-insensitive too).
    headers: Mapping[str, str]
    #: The server root as the client addressed it: absolute URLs in bodies start with it.
    root: str
    #: Per-call values the shared layer reads back: ``account``, ``extra_headers``.
    state: dict[str, Any]
    read_body: Callable[[], Awaitable[bytes]]
    #: The URL of this call with its ``cursor`` query parameter set (pagination links).
    with_cursor: Callable[[str], str]
    #: The body in chunks as they arrive, where the transport has them (HTTP uploads).
    read_stream: Callable[[], AsyncIterator[bytes]] | None = None

    async def body(self) -> bytes:
        return await self.read_body()

    async def stream(self) -> AsyncGenerator[bytes, None]:
        if self.read_stream is None:
            yield await self.read_body()
            return
        async for chunk in self.read_stream():
            yield chunk

    def query_param(self, name: str) -> str | None:
        values = [value for key, value in self.query if key == name]
        if len(values) > 1:
            raise bad_request(f"Query parameter {name!r} was given more than once")
        return values[0] if values else None


@dataclass(slots=True)
class Result:
    """A JSON ``body`` (None: no body) and/or ``raw`` bytes of ``media_type``.

    ``raw`` alone is a non-JSON answer (text, downloads); with a ``body`` it is that body already
    encoded (HTTP sends it as is, gRPC converts the body).
    """

    body: Any
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    raw: bytes | None = None
    media_type: str = "application/json"


#: A transport-neutral operation.
Handler = Callable[[Call], Awaitable[Result]]
#: An HTTP-only operation (non-JSON answers), run by gRPC through the bridge.
Endpoint = Callable[[Request], Awaitable[Response]]


class Operation:
    """Marks a transport-neutral handler in a route module's ``HANDLERS``."""

    __slots__ = ("handler",)

    def __init__(self, handler: Handler) -> None:
        self.handler = handler


def operation(handler: Handler) -> Operation:
    return Operation(handler)


# ----------------------------------------------------------------- shared per-call steps
CONTROL_PREFIX = "/_mock"


def match_fault(engine: Engine, method: str, path: str) -> Fault | None:
    """The injected fault this call meets, if any (control routes never meet one)."""
    if not engine.faults or path.startswith(CONTROL_PREFIX):
        return None  # no rules (read without the lock: a list's length is read atomically)
    with engine.lock:
        return engine.faults.match(method, path)


def record(
    engine: Engine, method: str, path: str, query: str, status: int, account: str | None
) -> None:
    if path.startswith(CONTROL_PREFIX):
        return
    with engine.lock:
        engine.journal.note(method, path, query, status, account, engine.now())


def fault_error(fault: Fault) -> ApiError:
    """The response an injected status fault answers with."""
    assert fault.status is not None
    headers = {} if fault.retry_after is None else {"Retry-After": str(fault.retry_after)}
    return ApiError(
        fault.status,
        "Injected fault",
        f"The mock injected a {fault.status} response ({fault.id})",
        headers=headers,
    )


def fault_body(fault: Fault) -> bytes:
    return orjson.dumps(fault_error(fault).body())


def internal_error(exc: BaseException) -> ApiError:
    """What a mock bug answers: never a traceback, the exception's kind only."""
    return ApiError(500, "Internal server error", f"The mock failed: {type(exc).__name__}")


def query_string(query: Sequence[tuple[str, str]]) -> str:
    return urlencode(list(query))
