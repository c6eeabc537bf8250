"""``client.search(query)``: models, collections and docs (``GET /search``)."""

from __future__ import annotations

from typing import Any

from replicate_kit._calls import Call, Flow
from replicate_kit._methods import M, method
from replicate_kit.resources._base import Resource, one
from replicate_kit.types import SearchResult


class Search(Resource[M]):
    """``client.search(query)``: models, collections and docs (``GET /search``).

    Example::

        result = client.search("llama", limit=5)
        names = [entry["model"].id for entry in result.models]
    """

    _name = "search"

    @method
    def __call__(self, query: str, *, limit: int | None = None) -> Flow[SearchResult]:
        """Search for ``query``; ``limit`` (1-50) caps the number of models."""
        params: dict[str, Any] = {"query": query}
        if limit is not None:
            params["limit"] = limit
        return (yield from one(Call("search", query=params), SearchResult, self._core))

    async_search = __call__.async_form()
