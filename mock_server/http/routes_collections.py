"""/v1/collections: the built-in curated collections."""

from __future__ import annotations

from mock_server.engine import collections, examples
from mock_server.engine.errors import not_found
from mock_server.engine.pagination import paginate
from mock_server.http.context import authenticate, engine_of, query_param
from mock_server.http.operation import Call, Endpoint, Operation, Result, operation
from mock_server.http.pages import page_body


async def list_collections(request: Call) -> Result:
    authenticate(request)
    engine = engine_of(request)
    items = list(enumerate(collections.COLLECTIONS))
    page = paginate(
        items, lambda pair: (pair[0],), query_param(request, "cursor"), engine.config.page_size
    )
    return Result(page_body(request, page, [c.summary_json() for _, c in page.results]))


async def get_collection(request: Call) -> Result:
    account = authenticate(request)
    slug = request.path_params["collection_slug"]
    engine = engine_of(request)
    collection = collections.find(slug)
    if collection is None and engine.config.examples:
        collection = examples.collection(slug)
    if collection is None:
        raise not_found(f"The collection {slug} does not exist")
    with engine.lock:
        return Result(collection.to_json(engine.catalogue, account.username))


#: operationId -> its handler; the method and path come from the operation table.
HANDLERS: dict[str, Operation | Endpoint] = {
    "collections.list": operation(list_collections),
    "collections.get": operation(get_collection),
}
