"""Output files, served without auth like replicate.delivery."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from mock_server.engine.errors import not_found
from mock_server.http.context import engine_of


async def download(request: Request) -> Response:
    engine = engine_of(request)
    with engine.lock:
        blob = engine.blobs.get(request.url.path)
    if blob is None:
        raise not_found("File not found")
    return Response(blob.data, media_type=blob.content_type)


def routes() -> list[BaseRoute]:
    return [Route("/delivery/{key}/{name}", download, methods=["GET", "HEAD"])]
