"""/v1/search: models, collections and pages matching a query."""

from __future__ import annotations

from mock_server.engine import search
from mock_server.engine.errors import bad_request
from mock_server.http.context import authenticate, engine_of, query_param
from mock_server.http.operation import Call, Endpoint, Operation, Result, operation

MAX_QUERY_LENGTH = 1000


def _limit(raw: str | None) -> int:
    if raw is None:
        return search.DEFAULT_LIMIT
    try:
        value = int(raw)
    except ValueError as exc:
        raise bad_request('Query parameter "limit" must be an integer') from exc
    if not 1 <= value <= search.MAX_LIMIT:
        raise bad_request(f'Query parameter "limit" must be between 1 and {search.MAX_LIMIT}')
    return value


async def search_all(request: Call) -> Result:
    account = authenticate(request)
    query = query_param(request, "query")
    if query is None or not query.strip():
        raise bad_request('Query parameter "query" is required')
    if len(query) > MAX_QUERY_LENGTH:
        raise bad_request("The search query is too long")
    limit = _limit(query_param(request, "limit"))
    engine = engine_of(request)
    with engine.lock:
        return Result(search.search(engine.catalogue, account.username, query, limit))


#: operationId -> its handler; the method and path come from the operation table.
HANDLERS: dict[str, Operation | Endpoint] = {
    "search": operation(search_all),
}
