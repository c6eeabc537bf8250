"""``client.collections``: list, get."""

from __future__ import annotations

from replicate_kit._calls import Call, Flow
from replicate_kit._methods import M, method
from replicate_kit.resources._base import Cursor, Resource, one, page
from replicate_kit.types import Collection, Page


class Collections(Resource[M]):
    """``client.collections``: list, get.

    Example::

        for collection in client.collections.list():
            print(collection.slug, [m.id for m in client.collections.get(collection.slug)])
    """

    _name = "collections"

    @method
    def list(self, cursor: Cursor = ...) -> Flow[Page[Collection]]:
        """One page of collections."""
        return (yield from page(Call("collections.list"), cursor, Collection, self._core))

    @method
    def get(self, slug: str) -> Flow[Collection]:
        """A collection with its models."""
        call = Call("collections.get", path={"collection_slug": slug})
        return (yield from one(call, Collection, self._core))

    async_list = list.async_form()
    async_get = get.async_form()
