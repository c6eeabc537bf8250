"""``client.predictions``: create, get, list, iter, cancel."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, Unpack

from replicate_kit import _predict
from replicate_kit._calls import Call, Flow
from replicate_kit._methods import Items, M, iterating, method
from replicate_kit._predict import PredictionOptions
from replicate_kit.resources._base import PAGES, Cursor, Resource, every, one, page
from replicate_kit.types import Page, Prediction


class Predictions(Resource[M]):
    """``client.predictions``: create, get, list, cancel.

    Example::

        p = client.predictions.create(version="5c7d...", input={"text": "Alice"})
        p.wait()
    """

    _name = "predictions"

    @method
    def create(
        self,
        version: Any = None,
        input: Mapping[str, Any] | None = None,
        *,
        model: Any = None,
        deployment: Any = None,
        **options: Unpack[PredictionOptions],
    ) -> Flow[Prediction]:
        """Create a prediction of a version, an official model or a deployment.

        Exactly one of ``version`` (id or ``owner/name:id``), ``model``
        (``owner/name``) and ``deployment`` (``owner/name``). ``wait=True`` holds the
        request up to 60 s (``Prefer: wait``); ``cancel_after`` sets a deadline.
        A create is sent again only when the server provably did not act on it, or when its
        outcome is unknown and no matching prediction exists (see the README's reliability
        section). The other options are :class:`~replicate_kit._predict.PredictionOptions`.
        """
        target = _predict.resolve_target(version=version, model=model, deployment=deployment)
        reconciler = self._core.reconciler
        data = yield from _predict.create_prediction(
            target, input, reconciler=reconciler, **options
        )
        return Prediction.from_dict(data, self._core)

    @method
    def get(self, id: str) -> Flow[Prediction]:
        """Fetch a prediction by id."""
        call = Call("predictions.get", path={"prediction_id": id})
        return (yield from one(call, Prediction, self._core))

    @method
    def cancel(self, id: str) -> Flow[Prediction]:
        """Cancel a prediction; returns its new state."""
        call = Call("predictions.cancel", path={"prediction_id": id})
        return (yield from one(call, Prediction, self._core))

    @staticmethod
    def _list_call(
        created_after: str | None, created_before: str | None, source: Literal["web"] | None
    ) -> Call:
        query = {"created_after": created_after, "created_before": created_before, "source": source}
        return Call("predictions.list", query={k: v for k, v in query.items() if v is not None})

    @method
    def list(
        self,
        cursor: Cursor = ...,
        *,
        created_after: str | None = None,
        created_before: str | None = None,
        source: Literal["web"] | None = None,
    ) -> Flow[Page[Prediction]]:
        """One page of predictions, newest first; pass ``page.next`` as ``cursor`` for more."""
        call = self._list_call(created_after, created_before, source)
        return (yield from page(call, cursor, Prediction, self._core))

    @iterating(PAGES)
    def iter(
        self,
        *,
        created_after: str | None = None,
        created_before: str | None = None,
        source: Literal["web"] | None = None,
    ) -> Flow[Items[Prediction]]:
        """Every prediction, fetching pages lazily."""
        call = self._list_call(created_after, created_before, source)
        return (yield from every(call, Prediction, self._core))

    async_create = create.async_form()
    async_get = get.async_form()
    async_cancel = cancel.async_form()
    async_list = list.async_form()
    async_iter = iter.async_form()
