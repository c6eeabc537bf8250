"""/v1/collections: the built-in curated collections."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from mock_server.engine import collections, examples
from mock_server.engine.errors import not_found
from mock_server.engine.pagination import paginate
from mock_server.http.context import authenticate, engine_of, query_param
from mock_server.http.pages import page_body
from mock_server.http.responses import json_response


async def list_collections(request: Request) -> Response:
    authenticate(request)
    engine = engine_of(request)
    items = list(enumerate(collections.COLLECTIONS))
    page = paginate(
        items, lambda pair: (pair[0],), query_param(request, "cursor"), engine.config.page_size
    )
    return json_response(page_body(request, page, [c.summary_json() for _, c in page.results]))


async def get_collection(request: Request) -> Response:
    account = authenticate(request)
    slug = request.path_params["collection_slug"]
    engine = engine_of(request)
    collection = collections.find(slug)
    if collection is None and engine.config.examples:
        collection = examples.collection(slug)
    if collection is None:
        raise not_found(f"The collection {slug} does not exist")
    with engine.lock:
        return json_response(collection.to_json(engine.catalogue, account.username))


def routes() -> list[BaseRoute]:
    return [
        Route("/v1/collections", list_collections, methods=["GET"]),
        Route("/v1/collections/{collection_slug}", get_collection, methods=["GET"]),
    ]
