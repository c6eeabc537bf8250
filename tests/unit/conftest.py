"""A scripted in-memory API (httpx.MockTransport) for client unit tests."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import httpx
import pytest

import replicate_kit
from replicate_kit import RetryPolicy
from replicate_kit import exceptions as exc
from tests.status_classes import STATUS_CLASSES

API = "https://api.replicate.com/v1"
V = "5c7d5dc6dd8bf75c1acaa8565735e7986bc5b66206b55cca93cb72c9bf15ccaa"
TOKEN = "r8_secret_token_value"

# The shared table plus a 5xx other than 500 and a status with no class of its own.
ERROR_STATUSES = [*STATUS_CLASSES, (503, exc.InternalServerError), (418, exc.ReplicateError)]

Handler = Callable[[httpx.Request], httpx.Response]


def prediction(
    pid: str = "p1", status: str = "starting", output: Any = None, **extra: Any
) -> dict[str, Any]:
    return {
        "id": pid,
        "model": "o/m",
        "version": V,
        "input": {},
        "output": output,
        "logs": "",
        "error": None,
        "status": status,
        "created_at": "2024-01-01T00:00:00Z",
        "data_removed": False,
        "urls": {
            "get": f"{API}/predictions/{pid}",
            "cancel": f"{API}/predictions/{pid}/cancel",
            "stream": f"{API}/predictions/{pid}/stream",
        },
        **extra,
    }


def version(output_schema: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": V,
        "created_at": "2024-01-01T00:00:00Z",
        "cog_version": "0.9.4",
        "openapi_schema": {"components": {"schemas": {"Output": output_schema}}},
    }


class FakeAPI:
    """Routes keyed by "METHOD /path"; each value is a list of responses used in order
    (the last one repeats) or a callable."""

    def __init__(self, given_client: bool = False) -> None:
        self.routes: dict[str, list[Any] | Handler] = {}
        self.requests: list[httpx.Request] = []
        #: Clients get httpx clients of the caller's (``http_client=``), which every request
        #: goes through in full, instead of building their own (whose plain calls skip
        #: ``httpx.Client.send``): each test runs both ways.
        self.given_client = given_client

    def on(self, key: str, *responses: Any) -> FakeAPI:
        self.routes[key] = list(responses)
        return self

    def handle(self, request: httpx.Request) -> httpx.Response:
        request.read()
        self.requests.append(request)
        path = request.url.path
        key = (
            f"{request.method} {request.url.host}{path}"
            if request.url.host != "api.replicate.com"
            else f"{request.method} {path.removeprefix('/v1')}"
        )
        route = self.routes.get(key)
        if route is None:
            return httpx.Response(
                404, json={"title": "Not found", "detail": f"no route {key}", "status": 404}
            )
        if callable(route):
            return route(request)
        item = route.pop(0) if len(route) > 1 else route[0]
        if isinstance(item, Exception):
            raise item
        if isinstance(item, httpx.Response):
            return item
        if isinstance(item, tuple):
            status, body = item
            return httpx.Response(status, json=body)
        return httpx.Response(200, json=item)

    def sent(self, key: str) -> list[httpx.Request]:
        method, path = key.split(" ", 1)
        return [
            r
            for r in self.requests
            if r.method == method
            and (r.url.path.removeprefix("/v1") == path or f"{r.url.host}{r.url.path}" == path)
        ]

    def client(self, **kwargs: Any) -> replicate_kit.Client:
        kwargs.setdefault(
            "retry", RetryPolicy(max_retries=3, initial_delay=0.0, max_retry_after=0.0)
        )
        kwargs.setdefault("poll_interval", 0.0)
        transport = httpx.MockTransport(self.handle)
        base_url = kwargs.pop("base_url", "https://api.replicate.com")
        if not self.given_client:
            return replicate_kit.Client(TOKEN, base_url=base_url, transport=transport, **kwargs)
        return replicate_kit.Client(
            TOKEN,
            base_url=base_url,
            http_client=httpx.Client(transport=transport),
            async_http_client=httpx.AsyncClient(transport=transport),
            **kwargs,
        )


@pytest.fixture(params=["built-client", "given-client"])
def api(request: pytest.FixtureRequest) -> FakeAPI:
    return FakeAPI(given_client=request.param == "given-client")


def sse(*events: tuple[str, str, str | None]) -> bytes:
    out = []
    for name, data, eid in events:
        lines = [f"event: {name}"]
        if eid is not None:
            lines.append(f"id: {eid}")
        lines.extend(f"data: {line}" for line in data.split("\n"))
        out.append("\n".join(lines) + "\n\n")
    return "".join(out).encode()


def sse_response(body: bytes) -> httpx.Response:
    return httpx.Response(200, headers={"content-type": "text/event-stream"}, content=body)


def body_of(request: httpx.Request) -> Any:
    return json.loads(request.content)
