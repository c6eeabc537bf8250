"""Per-request plumbing shared by the route modules."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import orjson
from starlette.requests import ClientDisconnect, Request
from starlette.types import Scope

from mock_server.engine import examples
from mock_server.engine.accounts import Account, parse_authorization
from mock_server.engine.core import Engine
from mock_server.engine.errors import ApiError, bad_request, unauthenticated
from mock_server.http.operation import Call

MAX_JSON_BODY = 16 * 1024 * 1024


def engine_of(source: Request | Call) -> Engine:
    if isinstance(source, Call):
        return source.engine
    engine: Engine = source.app.state.engine
    return engine


_ROOTS: dict[tuple[Any, ...], str] = {}


def root_url(source: Request | Call) -> str:
    """Server root as the client addressed it (absolute URLs follow the client's view)."""
    if isinstance(source, Call):
        return source.root
    return root_of(source.scope)


def _host(scope: Scope) -> bytes | None:
    for name, value in scope["headers"]:
        if name == b"host":
            return bytes(value)
    return None


def root_of(scope: Scope) -> str:
    """``root_url`` from the ASGI scope alone (no request object)."""
    known = scope.get("state", {}).get("root")
    if known is not None:  # the exchange layer found it for this request already
        return str(known)
    # Building ``request.base_url`` took several percent of each request; its inputs repeat.
    key = (
        scope.get("scheme"),
        _host(scope),
        # A tuple (uvicorn) or a list (Starlette's TestClient): either way hashable here.
        tuple(scope.get("server") or ()),
        scope.get("root_path"),
        scope.get("app_root_path"),
    )
    root = _ROOTS.get(key)
    if root is None:
        root = str(Request(scope).base_url).rstrip("/")
        if len(_ROOTS) < 1024:
            _ROOTS[key] = root
    return root


def _body_reader(request: Request) -> Callable[[], Awaitable[bytes]]:
    """``request.body`` as Starlette reads it, without its stream generator (1.9 -> 0.2 us for
    a body in one message, nearly every request's)."""
    read: list[bytes] = []

    async def body() -> bytes:
        if read:
            return read[0]
        chunks: list[bytes] = []
        while True:
            message = await request.receive()
            if message["type"] == "http.request":
                chunks.append(message.get("body", b""))
                if not message.get("more_body", False):
                    break
            elif message["type"] == "http.disconnect":
                raise ClientDisconnect()
        read.append(chunks[0] if len(chunks) == 1 else b"".join(chunks))
        return read[0]

    return body


def call_of(request: Request, engine: Engine | None = None) -> Call:
    """The operation call an HTTP request makes (views of the request, nothing copied).

    ``engine``: the app's engine, when the caller has it (looking it up costs a microsecond).
    """

    def with_cursor(cursor: str) -> str:
        return str(request.url.include_query_params(cursor=cursor))

    scope = request.scope
    return Call(
        engine_of(request) if engine is None else engine,
        scope["method"],
        scope["path"],
        request.path_params,
        # Starlette parses even an empty query string (2.6 us); most calls have none.
        request.query_params.multi_items() if scope.get("query_string") else [],
        request.headers,
        root_of(scope),
        scope.setdefault("state", {}),
        _body_reader(request),
        with_cursor,
        request.stream,
    )


_TOKENS: dict[str, str | None] = {}


def _token(header: str | None) -> str | None:
    """``parse_authorization``, remembered per header value (clients send the same one)."""
    if header is None:
        return None
    try:
        return _TOKENS[header]
    except KeyError:
        token = _TOKENS[header] = parse_authorization(header)
        if len(_TOKENS) > 4096:
            _TOKENS.clear()
        return token


def authenticate(source: Request | Call, bucket: str = "other") -> Account:
    """The caller's account; also charges its rate-limit ``bucket`` ("create" or "other")."""
    call = source if isinstance(source, Call) else call_of(source)
    engine = call.engine
    token = _token(call.headers.get("authorization"))
    with engine.lock:
        account = engine.authenticate(token)
        if account is None:
            raise unauthenticated()
        call.state["account"] = account.username
        if engine.config.examples:
            examples.prepare(engine, account, call.path_params)
        decision = engine.rate_limits.check(account.username, bucket, engine.now())
    if decision is not None:
        call.state["extra_headers"] = decision.headers()
        if not decision.allowed:
            seconds = decision.retry_after
            raise ApiError(
                429,
                "Too many requests",
                f"Request was throttled. Expected available in {seconds} second"
                + ("" if seconds == 1 else "s")
                + ".",
                headers={"Retry-After": str(seconds), **decision.headers()},
            )
    return account


async def read_json(source: Request | Call, *, required: bool = True) -> Any:
    body = await source.body()
    if len(body) > MAX_JSON_BODY:
        raise ApiError(413, "Request too large", "The request body is too large")
    if not body.strip():
        if required:
            raise bad_request("The request body must be a JSON object", "Invalid JSON")
        return None
    try:
        return orjson.loads(body)
    except orjson.JSONDecodeError as exc:
        raise bad_request(f"The request body is not valid JSON: {exc}", "Invalid JSON") from exc


def query_param(source: Request | Call, name: str) -> str | None:
    if isinstance(source, Call):
        return source.query_param(name)
    values = source.query_params.getlist(name)
    if len(values) > 1:
        raise bad_request(f"Query parameter {name!r} was given more than once")
    return values[0] if values else None
