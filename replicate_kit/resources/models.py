"""``client.models``: models, their versions, examples, readme and official-model predictions."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, Unpack

from replicate_kit._calls import Call, Flow, call
from replicate_kit._methods import Items, M, iterating, method
from replicate_kit._predict import PredictionOptions
from replicate_kit.resources._base import (
    PAGES,
    Cursor,
    Resource,
    done,
    every,
    model_path,
    one,
    page,
    text,
)
from replicate_kit.resources.predictions import Predictions
from replicate_kit.types import Binding, Model, Page, Prediction, Version


class Versions(Resource[M]):
    """Versions of one model (``model.versions`` or ``client.models.versions("o/n")``).

    Example::

        versions = client.models.get("replicate/hello-world").versions
        latest = versions.list()[0]
        schema = versions.get(latest.id).openapi_schema
    """

    _name = "models.versions"

    def __init__(self, core: Binding, mode: type[M], owner: str, name: str) -> None:
        super().__init__(core, mode)
        self._path = {"model_owner": owner, "model_name": name}

    @method
    def get(self, id: str) -> Flow[Version]:
        """A version by id."""
        call = Call("models.versions.get", path={**self._path, "version_id": id})
        return (yield from one(call, Version, self._core))

    @method
    def list(self, cursor: Cursor = ...) -> Flow[Page[Version]]:
        """One page of versions, newest first."""
        call = Call("models.versions.list", path=self._path)
        return (yield from page(call, cursor, Version, self._core))

    @method
    def delete(self, id: str) -> Flow[bool]:
        """Delete a version (the API deletes asynchronously)."""
        return (
            yield from done(Call("models.versions.delete", path={**self._path, "version_id": id}))
        )

    async_get = get.async_form()
    async_list = list.async_form()
    async_delete = delete.async_form()


class ModelsPredictions(Resource[M]):
    """``client.models.predictions``: predictions of official models (no version).

    Example::

        p = client.models.predictions.create("meta/meta-llama-3-8b-instruct", input={"prompt": "Hi"})
    """

    _name = "models.predictions"

    @method
    def create(
        self,
        model: Any,
        input: Mapping[str, Any] | None = None,
        **options: Unpack[PredictionOptions],
    ) -> Flow[Prediction]:
        """Create a prediction with ``POST /models/{owner}/{name}/predictions``."""
        return (yield from Predictions.create.flow(self, model=model, input=input, **options))

    async_create = create.async_form()


class Models(Resource[M]):
    """``client.models``: get, list, search, create, update, delete, examples, readme.

    Example::

        model = client.models.get("replicate/hello-world")
        print(model.latest_version.id, client.models.readme("replicate/hello-world"))
        mine = client.models.create("me", "tuned", visibility="private", hardware="cpu")
        client.models.delete("me/tuned")
    """

    _name = "models"

    @property
    def predictions(self) -> ModelsPredictions[M]:
        """Predictions of official models."""
        return ModelsPredictions(self._core, self._mode)

    def versions(self, *args: str, **kwargs: str) -> Versions[M]:
        """``Versions`` of ``"owner/name"`` (or ``owner, name``)."""
        path = model_path(args, kwargs)
        return Versions(self._core, self._mode, path["model_owner"], path["model_name"])

    @method
    def get(self, /, *args: str, **kwargs: str) -> Flow[Model]:
        """``get("owner/name")`` or ``get("owner", "name")``."""
        return (
            yield from one(Call("models.get", path=model_path(args, kwargs)), Model, self._core)
        )

    @staticmethod
    def _list_call(sort_by: str | None, sort_direction: str | None) -> Call:
        query = {"sort_by": sort_by, "sort_direction": sort_direction}
        return Call("models.list", query={k: v for k, v in query.items() if v is not None})

    @method
    def list(
        self,
        cursor: Cursor = ...,
        *,
        sort_by: Literal["model_created_at", "latest_version_created_at"] | None = None,
        sort_direction: Literal["asc", "desc"] | None = None,
    ) -> Flow[Page[Model]]:
        """One page of public models."""
        return (
            yield from page(self._list_call(sort_by, sort_direction), cursor, Model, self._core)
        )

    @iterating(PAGES)
    def iter(
        self,
        *,
        sort_by: Literal["model_created_at", "latest_version_created_at"] | None = None,
        sort_direction: Literal["asc", "desc"] | None = None,
    ) -> Flow[Items[Model]]:
        """Every public model, fetching pages lazily."""
        return (yield from every(self._list_call(sort_by, sort_direction), Model, self._core))

    @method
    def search(self, query: str) -> Flow[Page[Model]]:
        """Search models (``QUERY /models`` like the official clients)."""
        return (yield from page(Call("models.search", body=query), ..., Model, self._core))

    @method
    def create(
        self,
        owner: str,
        name: str,
        *,
        visibility: Literal["public", "private"],
        hardware: str,
        description: str | None = None,
        github_url: str | None = None,
        paper_url: str | None = None,
        license_url: str | None = None,
        cover_image_url: str | None = None,
    ) -> Flow[Model]:
        """Create a model under ``owner`` (your account or an organization of yours)."""
        fields = {
            "visibility": visibility,
            "hardware": hardware,
            "description": description,
            "github_url": github_url,
            "paper_url": paper_url,
            "license_url": license_url,
            "cover_image_url": cover_image_url,
        }
        body = {"owner": owner, "name": name, **{k: v for k, v in fields.items() if v is not None}}
        return (yield from one(Call("models.create", body=body), Model, self._core))

    @method
    def update(self, /, key: str, **fields: Any) -> Flow[Model]:
        """Update ``description``, ``readme``, ``github_url``, ``paper_url``, ``weights_url``, ``license_url``."""
        call = Call("models.update", path=model_path((key,), {}), body=fields)
        return (yield from one(call, Model, self._core))

    @method
    def delete(self, /, *args: str, **kwargs: str) -> Flow[bool]:
        """Delete a model (own, private, without versions)."""
        return (yield from done(Call("models.delete", path=model_path(args, kwargs))))

    @method
    def examples(self, key: str, cursor: Cursor = ...) -> Flow[Page[Prediction]]:
        """Example predictions of a model."""
        call = Call("models.examples.list", path=model_path((key,), {}))
        return (yield from page(call, cursor, Prediction, self._core))

    @method
    def readme(self, key: str) -> Flow[str]:
        """The model's README (Markdown)."""
        result = yield from call(Call("models.readme.get", path=model_path((key,), {})))
        return text(result)

    async_get = get.async_form()
    async_list = list.async_form()
    async_iter = iter.async_form()
    async_search = search.async_form()
    async_create = create.async_form()
    async_update = update.async_form()
    async_delete = delete.async_form()
    async_examples = examples.async_form()
    async_readme = readme.async_form()
