"""/v1/webhooks/default/secret and the webhook part of the control API (``/_mock/webhooks``)."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from mock_server.control import Control
from mock_server.engine.errors import bad_request
from mock_server.http.context import authenticate, engine_of, query_param, read_json
from mock_server.http.operation import Call, Endpoint, Operation, Result, operation
from mock_server.http.responses import json_response

_STATES = ("pending", "sending", "delivered", "failed", "skipped")
_FAULT_FIELDS = ("url", "status", "count", "rate", "latency")


async def default_secret(request: Call) -> Result:
    account = authenticate(request)
    return Result({"key": account.webhook_secret})


def _control(request: Request | Call) -> Control:
    return Control(engine_of(request))


async def deliveries(request: Request) -> Response:
    state = query_param(request, "state")
    if state is not None and state not in _STATES:
        raise bad_request(f"state must be one of {', '.join(_STATES)}")
    return json_response(_control(request).webhook_deliveries(query_param(request, "job"), state))


def _number(body: dict[str, Any], name: str, default: float) -> float:
    value = body.get(name, default)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise bad_request(f"{name} must be a number")
    return float(value)


def _optional_int(body: dict[str, Any], name: str, default: int | None) -> int | None:
    value = body.get(name, default)
    if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
        raise bad_request(f"{name} must be an integer or null")
    return value


async def inject_fault(request: Request) -> Response:
    body = await read_json(request, required=False) or {}
    if not isinstance(body, dict):
        raise bad_request("The request body must be a JSON object")
    unknown = sorted(set(body) - set(_FAULT_FIELDS))
    if unknown:
        raise bad_request(f"unknown webhook fault fields: {', '.join(unknown)}")
    url = body.get("url", "*")
    if not isinstance(url, str):
        raise bad_request("url must be a glob string")
    try:
        fault = _control(request).inject_webhook_fault(
            url,
            _optional_int(body, "status", 500),
            _optional_int(body, "count", None),
            _number(body, "rate", 1.0),
            _number(body, "latency", 0.0),
        )
    except ValueError as exc:
        raise bad_request(str(exc), "Invalid control request") from exc
    return json_response(fault, 201)


async def list_faults(request: Request) -> Response:
    return json_response(_control(request).webhook_faults())


async def clear_faults(request: Request) -> Response:
    _control(request).clear_webhook_faults()
    return Response(status_code=204)


#: operationId -> its handler; the method and path come from the operation table.
HANDLERS: dict[str, Operation | Endpoint] = {
    "webhooks.default.secret.get": operation(default_secret),
}


def routes() -> list[BaseRoute]:
    """Routes outside the API (no operationId)."""
    return [
        Route("/_mock/webhooks", deliveries, methods=["GET"]),
        Route("/_mock/webhooks/faults", inject_fault, methods=["POST"]),
        Route("/_mock/webhooks/faults", list_faults, methods=["GET"]),
        Route("/_mock/webhooks/faults", clear_faults, methods=["DELETE"]),
    ]
