"""Control API under ``/_mock/``: the HTTP face of `mock_server.control.Control`."""

from __future__ import annotations

from typing import Any

import orjson
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from mock_server.control import Control
from mock_server.engine.errors import bad_request
from mock_server.http.context import engine_of, query_param, read_json
from mock_server.http.responses import json_response

_FAULT_FIELDS = {
    "method", "path", "status", "rate", "count", "latency", "retry_after", "drop",
    "drop_stream_after",
}  # fmt: skip


def _control(request: Request) -> Control:
    return Control(engine_of(request))


async def _object(request: Request) -> dict[str, Any]:
    body = await read_json(request, required=False)
    if body is None:
        return {}
    if not isinstance(body, dict):
        raise bad_request("The request body must be a JSON object")
    return body


def _checked(call: Any, *args: Any, **kwargs: Any) -> Any:
    try:
        return call(*args, **kwargs)
    except (ValueError, TypeError) as exc:
        raise bad_request(str(exc), "Invalid control request") from exc


async def health(request: Request) -> Response:
    return json_response(_control(request).health())


async def reset(request: Request) -> Response:
    control = _control(request)
    control.reset()
    return json_response(control.health())


async def seed(request: Request) -> Response:
    body = await _object(request)
    control = _control(request)
    _checked(control.seed, body.get("seed"))
    return json_response(control.health())


async def clock(request: Request) -> Response:
    control = _control(request)
    health = control.health()
    return json_response({"now": control.now(), "now_iso": health["now"], "mode": health["clock"]})


async def advance(request: Request) -> Response:
    body = await _object(request)
    control = _control(request)
    _checked(control.advance, body.get("seconds"))
    return await clock(request)


async def clock_mode(request: Request) -> Response:
    body = await _object(request)
    _checked(_control(request).set_clock_mode, body.get("mode"))
    return await clock(request)


async def register_model(request: Request) -> Response:
    raw = await request.body()
    content_type = request.headers.get("content-type", "")
    spec: dict[str, Any] | str
    if "json" in content_type:
        try:
            loaded = orjson.loads(raw)
        except orjson.JSONDecodeError as exc:
            raise bad_request(f"invalid JSON: {exc}", "Invalid JSON") from exc
        if not isinstance(loaded, dict):
            raise bad_request("The model script must be a JSON object")
        spec = loaded
    else:
        try:
            spec = raw.decode()
        except UnicodeDecodeError as exc:
            raise bad_request("The model script must be UTF-8 YAML") from exc
    return json_response(_checked(_control(request).register_model, spec), 201)


async def add_account(request: Request) -> Response:
    body = await _object(request)
    token = body.get("token")
    if not isinstance(token, str) or not token:
        raise bad_request("token must be a non-empty string")
    username = body.get("username")
    result = _checked(_control(request).add_account, token, username, body.get("type", "user"))
    return json_response(result, 201)


async def inject_fault(request: Request) -> Response:
    body = await _object(request)
    unknown = sorted(set(body) - _FAULT_FIELDS)
    if unknown:
        raise bad_request(f"unknown fault fields: {', '.join(unknown)}")
    if not isinstance(body.get("path"), str):
        raise bad_request("path (a glob such as /v1/predictions/*) is required")
    fault = _checked(
        _control(request).inject_fault, body.pop("method", None), body.pop("path"), **body
    )
    return json_response(fault, 201)


async def list_faults(request: Request) -> Response:
    return json_response(_control(request).faults())


async def clear_faults(request: Request) -> Response:
    _control(request).clear_faults()
    return Response(status_code=204)


async def journal(request: Request) -> Response:
    control = _control(request)
    entries = control.journal(query_param(request, "method"), query_param(request, "path"))
    return json_response(entries)


async def create_count(request: Request) -> Response:
    control = _control(request)
    route = query_param(request, "route")
    return json_response({"count": control.create_count(route), "routes": control.create_counts()})


def routes() -> list[BaseRoute]:
    return [
        Route("/_mock/health", health, methods=["GET"]),
        Route("/_mock/reset", reset, methods=["POST"]),
        Route("/_mock/seed", seed, methods=["POST"]),
        Route("/_mock/clock", clock, methods=["GET"]),
        Route("/_mock/clock/advance", advance, methods=["POST"]),
        Route("/_mock/clock/mode", clock_mode, methods=["POST"]),
        Route("/_mock/models", register_model, methods=["POST"]),
        Route("/_mock/accounts", add_account, methods=["POST"]),
        Route("/_mock/faults", inject_fault, methods=["POST"]),
        Route("/_mock/faults", list_faults, methods=["GET"]),
        Route("/_mock/faults", clear_faults, methods=["DELETE"]),
        Route("/_mock/journal", journal, methods=["GET"]),
        Route("/_mock/create-count", create_count, methods=["GET"]),
    ]
