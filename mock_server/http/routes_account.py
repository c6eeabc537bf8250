"""/v1/account."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from mock_server.http.context import authenticate
from mock_server.http.responses import json_response


async def get_account(request: Request) -> Response:
    return json_response(authenticate(request).to_json())


def routes() -> list[BaseRoute]:
    return [Route("/v1/account", get_account, methods=["GET"])]
