"""/v1/hardware: a bare JSON array, not a page."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from mock_server.engine import hardware
from mock_server.http.context import authenticate
from mock_server.http.responses import json_response


async def list_hardware(request: Request) -> Response:
    authenticate(request)
    return json_response(hardware.list_json())


def routes() -> list[BaseRoute]:
    return [Route("/v1/hardware", list_hardware, methods=["GET"])]
