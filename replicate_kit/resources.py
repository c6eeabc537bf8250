"""API resources (``client.predictions``, ``client.models``, ...).

Every method has a blocking form and an ``async_`` form, as in the official
client; :class:`~replicate_kit.AsyncClient` exposes the async forms under the
plain names. Each pair shares one flow, so both behave identically.
"""

from __future__ import annotations

import builtins
from collections.abc import AsyncIterator, Callable, Iterator, Mapping, Sequence
from pathlib import Path
from types import EllipsisType
from typing import TYPE_CHECKING, Any, Literal, TypeVar
from urllib.parse import parse_qsl, urlsplit

from replicate_kit import _predict, _webhook_sig
from replicate_kit._calls import Call, Flow, call
from replicate_kit._files import FileEncodingStrategy, encode_input, make_upload
from replicate_kit._predict import WebhookEvent
from replicate_kit._refs import parse_ref, split_name
from replicate_kit.types import (
    Account,
    Collection,
    Deployment,
    File,
    Hardware,
    Model,
    Page,
    Prediction,
    SearchResult,
    Training,
    Version,
    WebhookSigningSecret,
    _Object,
    page_from,
)

if TYPE_CHECKING:
    from replicate_kit._core import Core

ObjT = TypeVar("ObjT", bound=_Object)
Cursor = str | EllipsisType | None
WaitOption = bool | int | float | None


def _one(call: Call, cls: type[ObjT], core: Core) -> Flow[ObjT]:
    data = yield call
    return cls.from_dict(data, core)


def _page(call: Call, cursor: Cursor, cls: type[ObjT], core: Core) -> Flow[Page[ObjT]]:
    if cursor is None:
        raise ValueError("cursor cannot be None (the last page has no next cursor)")
    if isinstance(cursor, str):
        call = Call(call.op, url=cursor)
    data = yield call
    return page_from(data, cls, core)


def _done(call: Call) -> Flow[bool]:
    yield call
    return True


class _Resource:
    def __init__(self, core: Core) -> None:
        self._core = core

    def _iterate(self, call: Call, cls: type[ObjT]) -> Iterator[ObjT]:
        cursor: Cursor = ...
        while cursor is not None:
            page = self._core.execute(_page(call, cursor, cls, self._core))
            yield from page.results
            cursor = page.next

    async def _aiterate(self, call: Call, cls: type[ObjT]) -> AsyncIterator[ObjT]:
        cursor: Cursor = ...
        while cursor is not None:
            page = await self._core.aexecute(_page(call, cursor, cls, self._core))
            for item in page.results:
                yield item
            cursor = page.next


def _model_path(args: tuple[Any, ...], kwargs: Mapping[str, Any]) -> dict[str, str]:
    """Accept ``("owner/name")``, ``("owner", "name")`` or ``model_owner=/model_name=``."""
    if len(args) == 1 and not kwargs:
        owner, name = split_name(str(args[0]))
    elif len(args) == 2:
        owner, name = str(args[0]), str(args[1])
    elif "model_owner" in kwargs and "model_name" in kwargs:
        owner, name = str(kwargs["model_owner"]), str(kwargs["model_name"])
    elif "key" in kwargs:
        owner, name = split_name(str(kwargs["key"]))
    else:
        raise ValueError("Expected 'owner/name' or owner, name")
    return {"model_owner": owner, "model_name": name}


# -- predictions ------------------------------------------------------------------------------


class Predictions(_Resource):
    """``client.predictions``: create, get, list, cancel.

    Example::

        p = client.predictions.create(version="5c7d...", input={"text": "Alice"})
        p.wait()
    """

    def _create(
        self,
        version: Any = None,
        input: Mapping[str, Any] | None = None,
        *,
        model: Any = None,
        deployment: Any = None,
        webhook: str | None = None,
        webhook_completed: str | None = None,
        webhook_events_filter: Sequence[WebhookEvent] | None = None,
        stream: bool | None = None,
        wait: WaitOption = None,
        cancel_after: str | int | float | None = None,
        file_encoding_strategy: FileEncodingStrategy | None = None,
    ) -> Flow[Prediction]:
        target = _predict.resolve_target(version=version, model=model, deployment=deployment)
        data = yield from _predict.create_prediction(
            target,
            input,
            file_encoding_strategy=file_encoding_strategy,
            webhook=webhook,
            webhook_completed=webhook_completed,
            webhook_events_filter=webhook_events_filter,
            stream=stream,
            wait=wait,
            cancel_after=cancel_after,
        )
        return Prediction.from_dict(data, self._core)

    def create(
        self,
        version: Any = None,
        input: Mapping[str, Any] | None = None,
        *,
        model: Any = None,
        deployment: Any = None,
        webhook: str | None = None,
        webhook_completed: str | None = None,
        webhook_events_filter: Sequence[WebhookEvent] | None = None,
        stream: bool | None = None,
        wait: WaitOption = None,
        cancel_after: str | int | float | None = None,
        file_encoding_strategy: FileEncodingStrategy | None = None,
    ) -> Prediction:
        """Create a prediction of a version, an official model or a deployment.

        Exactly one of ``version`` (id or ``owner/name:id``), ``model``
        (``owner/name``) and ``deployment`` (``owner/name``). ``wait=True`` holds the
        request up to 60 s (``Prefer: wait``); ``cancel_after`` sets a deadline.
        A create is retried only when the server provably did not receive it.
        """
        return self._core.execute(
            self._create(
                version,
                input,
                model=model,
                deployment=deployment,
                webhook=webhook,
                webhook_completed=webhook_completed,
                webhook_events_filter=webhook_events_filter,
                stream=stream,
                wait=wait,
                cancel_after=cancel_after,
                file_encoding_strategy=file_encoding_strategy,
            )
        )

    async def async_create(
        self,
        version: Any = None,
        input: Mapping[str, Any] | None = None,
        *,
        model: Any = None,
        deployment: Any = None,
        webhook: str | None = None,
        webhook_completed: str | None = None,
        webhook_events_filter: Sequence[WebhookEvent] | None = None,
        stream: bool | None = None,
        wait: WaitOption = None,
        cancel_after: str | int | float | None = None,
        file_encoding_strategy: FileEncodingStrategy | None = None,
    ) -> Prediction:
        """Async :meth:`create`."""
        return await self._core.aexecute(
            self._create(
                version,
                input,
                model=model,
                deployment=deployment,
                webhook=webhook,
                webhook_completed=webhook_completed,
                webhook_events_filter=webhook_events_filter,
                stream=stream,
                wait=wait,
                cancel_after=cancel_after,
                file_encoding_strategy=file_encoding_strategy,
            )
        )

    def _get_call(self, id: str) -> Call:
        return Call("predictions.get", path={"prediction_id": id})

    def get(self, id: str) -> Prediction:
        """Fetch a prediction by id."""
        return self._core.execute(_one(self._get_call(id), Prediction, self._core))

    async def async_get(self, id: str) -> Prediction:
        """Async :meth:`get`."""
        return await self._core.aexecute(_one(self._get_call(id), Prediction, self._core))

    def _cancel_call(self, id: str) -> Call:
        return Call("predictions.cancel", path={"prediction_id": id})

    def cancel(self, id: str) -> Prediction:
        """Cancel a prediction; returns its new state."""
        return self._core.execute(_one(self._cancel_call(id), Prediction, self._core))

    async def async_cancel(self, id: str) -> Prediction:
        """Async :meth:`cancel`."""
        return await self._core.aexecute(_one(self._cancel_call(id), Prediction, self._core))

    @staticmethod
    def _list_call(
        created_after: str | None = None,
        created_before: str | None = None,
        source: Literal["web"] | None = None,
    ) -> Call:
        query = {"created_after": created_after, "created_before": created_before, "source": source}
        return Call("predictions.list", query={k: v for k, v in query.items() if v is not None})

    def list(
        self,
        cursor: Cursor = ...,
        *,
        created_after: str | None = None,
        created_before: str | None = None,
        source: Literal["web"] | None = None,
    ) -> Page[Prediction]:
        """One page of predictions, newest first; pass ``page.next`` as ``cursor`` for more."""
        call = self._list_call(created_after, created_before, source)
        return self._core.execute(_page(call, cursor, Prediction, self._core))

    async def async_list(
        self,
        cursor: Cursor = ...,
        *,
        created_after: str | None = None,
        created_before: str | None = None,
        source: Literal["web"] | None = None,
    ) -> Page[Prediction]:
        """Async :meth:`list`."""
        call = self._list_call(created_after, created_before, source)
        return await self._core.aexecute(_page(call, cursor, Prediction, self._core))

    def iter(
        self,
        *,
        created_after: str | None = None,
        created_before: str | None = None,
        source: Literal["web"] | None = None,
    ) -> Iterator[Prediction]:
        """Every prediction, fetching pages lazily."""
        return self._iterate(self._list_call(created_after, created_before, source), Prediction)

    def async_iter(
        self,
        *,
        created_after: str | None = None,
        created_before: str | None = None,
        source: Literal["web"] | None = None,
    ) -> AsyncIterator[Prediction]:
        """Async :meth:`iter`."""
        return self._aiterate(self._list_call(created_after, created_before, source), Prediction)


# -- models -----------------------------------------------------------------------------------


class Versions(_Resource):
    """Versions of one model (``model.versions`` or ``client.models.versions("o/n")``).

    Example::

        versions = client.models.get("replicate/hello-world").versions
        latest = versions.list()[0]
        schema = versions.get(latest.id).openapi_schema
    """

    def __init__(self, core: Core, owner: str, name: str) -> None:
        super().__init__(core)
        self._path = {"model_owner": owner, "model_name": name}

    def _get_call(self, id: str) -> Call:
        return Call("models.versions.get", path={**self._path, "version_id": id})

    def get(self, id: str) -> Version:
        """A version by id."""
        return self._core.execute(_one(self._get_call(id), Version, self._core))

    async def async_get(self, id: str) -> Version:
        """Async :meth:`get`."""
        return await self._core.aexecute(_one(self._get_call(id), Version, self._core))

    def list(self, cursor: Cursor = ...) -> Page[Version]:
        """One page of versions, newest first."""
        call = Call("models.versions.list", path=self._path)
        return self._core.execute(_page(call, cursor, Version, self._core))

    async def async_list(self, cursor: Cursor = ...) -> Page[Version]:
        """Async :meth:`list`."""
        call = Call("models.versions.list", path=self._path)
        return await self._core.aexecute(_page(call, cursor, Version, self._core))

    def delete(self, id: str) -> bool:
        """Delete a version (the API deletes asynchronously)."""
        return self._core.execute(
            _done(Call("models.versions.delete", path={**self._path, "version_id": id}))
        )

    async def async_delete(self, id: str) -> bool:
        """Async :meth:`delete`."""
        return await self._core.aexecute(
            _done(Call("models.versions.delete", path={**self._path, "version_id": id}))
        )


class ModelsPredictions(_Resource):
    """``client.models.predictions``: predictions of official models (no version).

    Example::

        p = client.models.predictions.create("meta/meta-llama-3-8b-instruct", input={"prompt": "Hi"})
    """

    def create(
        self,
        model: Any,
        input: Mapping[str, Any] | None = None,
        *,
        webhook: str | None = None,
        webhook_events_filter: Sequence[WebhookEvent] | None = None,
        stream: bool | None = None,
        wait: WaitOption = None,
        cancel_after: str | int | float | None = None,
        file_encoding_strategy: FileEncodingStrategy | None = None,
    ) -> Prediction:
        """Create a prediction with ``POST /models/{owner}/{name}/predictions``."""
        return Predictions(self._core).create(
            model=model,
            input=input,
            webhook=webhook,
            webhook_events_filter=webhook_events_filter,
            stream=stream,
            wait=wait,
            cancel_after=cancel_after,
            file_encoding_strategy=file_encoding_strategy,
        )

    async def async_create(
        self,
        model: Any,
        input: Mapping[str, Any] | None = None,
        *,
        webhook: str | None = None,
        webhook_events_filter: Sequence[WebhookEvent] | None = None,
        stream: bool | None = None,
        wait: WaitOption = None,
        cancel_after: str | int | float | None = None,
        file_encoding_strategy: FileEncodingStrategy | None = None,
    ) -> Prediction:
        """Async :meth:`create`."""
        return await Predictions(self._core).async_create(
            model=model,
            input=input,
            webhook=webhook,
            webhook_events_filter=webhook_events_filter,
            stream=stream,
            wait=wait,
            cancel_after=cancel_after,
            file_encoding_strategy=file_encoding_strategy,
        )


class Models(_Resource):
    """``client.models``: get, list, search, create, update, delete, examples, readme.

    Example::

        model = client.models.get("replicate/hello-world")
        print(model.latest_version.id, client.models.readme("replicate/hello-world"))
        mine = client.models.create("me", "tuned", visibility="private", hardware="cpu")
        client.models.delete("me/tuned")
    """

    @property
    def predictions(self) -> ModelsPredictions:
        """Predictions of official models."""
        return ModelsPredictions(self._core)

    def versions(self, *args: str, **kwargs: str) -> Versions:
        """``Versions`` of ``"owner/name"``."""
        path = _model_path(args, kwargs)
        return Versions(self._core, path["model_owner"], path["model_name"])

    def get(self, *args: str, **kwargs: str) -> Model:
        """``get("owner/name")`` or ``get("owner", "name")``."""
        call = Call("models.get", path=_model_path(args, kwargs))
        return self._core.execute(_one(call, Model, self._core))

    async def async_get(self, *args: str, **kwargs: str) -> Model:
        """Async :meth:`get`."""
        call = Call("models.get", path=_model_path(args, kwargs))
        return await self._core.aexecute(_one(call, Model, self._core))

    @staticmethod
    def _list_call(sort_by: str | None, sort_direction: str | None) -> Call:
        query = {"sort_by": sort_by, "sort_direction": sort_direction}
        return Call("models.list", query={k: v for k, v in query.items() if v is not None})

    def list(
        self,
        cursor: Cursor = ...,
        *,
        sort_by: Literal["model_created_at", "latest_version_created_at"] | None = None,
        sort_direction: Literal["asc", "desc"] | None = None,
    ) -> Page[Model]:
        """One page of public models."""
        return self._core.execute(
            _page(self._list_call(sort_by, sort_direction), cursor, Model, self._core)
        )

    async def async_list(
        self,
        cursor: Cursor = ...,
        *,
        sort_by: Literal["model_created_at", "latest_version_created_at"] | None = None,
        sort_direction: Literal["asc", "desc"] | None = None,
    ) -> Page[Model]:
        """Async :meth:`list`."""
        return await self._core.aexecute(
            _page(self._list_call(sort_by, sort_direction), cursor, Model, self._core)
        )

    def iter(
        self,
        *,
        sort_by: Literal["model_created_at", "latest_version_created_at"] | None = None,
        sort_direction: Literal["asc", "desc"] | None = None,
    ) -> Iterator[Model]:
        """Every public model, fetching pages lazily."""
        return self._iterate(self._list_call(sort_by, sort_direction), Model)

    def search(self, query: str) -> Page[Model]:
        """Search models (``QUERY /models`` like the official clients)."""
        return self._core.execute(_page(Call("models.search", body=query), ..., Model, self._core))

    async def async_search(self, query: str) -> Page[Model]:
        """Async :meth:`search`."""
        return await self._core.aexecute(
            _page(Call("models.search", body=query), ..., Model, self._core)
        )

    @staticmethod
    def _create_call(owner: str, name: str, fields: Mapping[str, Any]) -> Call:
        body = {"owner": owner, "name": name, **{k: v for k, v in fields.items() if v is not None}}
        return Call("models.create", body=body, kind="create")

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
    ) -> Model:
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
        return self._core.execute(_one(self._create_call(owner, name, fields), Model, self._core))

    async def async_create(
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
    ) -> Model:
        """Async :meth:`create`."""
        fields = {
            "visibility": visibility,
            "hardware": hardware,
            "description": description,
            "github_url": github_url,
            "paper_url": paper_url,
            "license_url": license_url,
            "cover_image_url": cover_image_url,
        }
        return await self._core.aexecute(
            _one(self._create_call(owner, name, fields), Model, self._core)
        )

    def update(self, key: str, **fields: Any) -> Model:
        """Update ``description``, ``readme``, ``github_url``, ``paper_url``, ``weights_url``, ``license_url``."""
        call = Call("models.update", path=_model_path((key,), {}), body=fields)
        return self._core.execute(_one(call, Model, self._core))

    async def async_update(self, key: str, **fields: Any) -> Model:
        """Async :meth:`update`."""
        call = Call("models.update", path=_model_path((key,), {}), body=fields)
        return await self._core.aexecute(_one(call, Model, self._core))

    def delete(self, *args: str, **kwargs: str) -> bool:
        """Delete a model (own, private, without versions)."""
        return self._core.execute(_done(Call("models.delete", path=_model_path(args, kwargs))))

    async def async_delete(self, *args: str, **kwargs: str) -> bool:
        """Async :meth:`delete`."""
        return await self._core.aexecute(
            _done(Call("models.delete", path=_model_path(args, kwargs)))
        )

    def examples(self, key: str, cursor: Cursor = ...) -> Page[Prediction]:
        """Example predictions of a model."""
        call = Call("models.examples.list", path=_model_path((key,), {}))
        return self._core.execute(_page(call, cursor, Prediction, self._core))

    async def async_examples(self, key: str, cursor: Cursor = ...) -> Page[Prediction]:
        """Async :meth:`examples`."""
        call = Call("models.examples.list", path=_model_path((key,), {}))
        return await self._core.aexecute(_page(call, cursor, Prediction, self._core))

    def readme(self, key: str) -> str:
        """The model's README (Markdown)."""
        result = self._core.execute(call(Call("models.readme.get", path=_model_path((key,), {}))))
        return _text(result)

    async def async_readme(self, key: str) -> str:
        """Async :meth:`readme`."""
        result = await self._core.aexecute(
            call(Call("models.readme.get", path=_model_path((key,), {})))
        )
        return _text(result)


def _text(value: Any) -> str:
    if isinstance(value, bytes):
        return value.decode()
    return "" if value is None else str(value)


# -- deployments ------------------------------------------------------------------------------


class DeploymentPredictions(_Resource):
    """``deployment.predictions``: predictions of one deployment.

    Example::

        p = client.deployments.get("me/greeter").predictions.create(input={"text": "hi"})
        p.wait()
    """

    def __init__(self, core: Core, owner: str, name: str) -> None:
        super().__init__(core)
        self._name = (owner, name)

    def create(
        self,
        input: Mapping[str, Any] | None = None,
        *,
        webhook: str | None = None,
        webhook_events_filter: Sequence[WebhookEvent] | None = None,
        stream: bool | None = None,
        wait: WaitOption = None,
        cancel_after: str | int | float | None = None,
        file_encoding_strategy: FileEncodingStrategy | None = None,
    ) -> Prediction:
        """Create a prediction on this deployment."""
        return Predictions(self._core).create(
            deployment=self._name,
            input=input,
            webhook=webhook,
            webhook_events_filter=webhook_events_filter,
            stream=stream,
            wait=wait,
            cancel_after=cancel_after,
            file_encoding_strategy=file_encoding_strategy,
        )

    async def async_create(
        self,
        input: Mapping[str, Any] | None = None,
        *,
        webhook: str | None = None,
        webhook_events_filter: Sequence[WebhookEvent] | None = None,
        stream: bool | None = None,
        wait: WaitOption = None,
        cancel_after: str | int | float | None = None,
        file_encoding_strategy: FileEncodingStrategy | None = None,
    ) -> Prediction:
        """Async :meth:`create`."""
        return await Predictions(self._core).async_create(
            deployment=self._name,
            input=input,
            webhook=webhook,
            webhook_events_filter=webhook_events_filter,
            stream=stream,
            wait=wait,
            cancel_after=cancel_after,
            file_encoding_strategy=file_encoding_strategy,
        )


class DeploymentsPredictions(_Resource):
    """``client.deployments.predictions``: predictions of any deployment by name.

    Example::

        p = client.deployments.predictions.create("me/greeter", input={"text": "hi"}, wait=True)
    """

    def create(
        self,
        deployment: Any,
        input: Mapping[str, Any] | None = None,
        **options: Any,
    ) -> Prediction:
        """Create a prediction on a deployment."""
        return Predictions(self._core).create(deployment=deployment, input=input, **options)

    async def async_create(
        self,
        deployment: Any,
        input: Mapping[str, Any] | None = None,
        **options: Any,
    ) -> Prediction:
        """Async :meth:`create`."""
        return await Predictions(self._core).async_create(
            deployment=deployment, input=input, **options
        )


def _deployment_path(owner_or_name: str, name: str | None) -> dict[str, str]:
    if name is None:
        owner, name = split_name(owner_or_name, "deployment")
    else:
        owner = owner_or_name
    return {"deployment_owner": owner, "deployment_name": name}


class Deployments(_Resource):
    """``client.deployments``: list, get, create, update, delete, predictions, run.

    Example::

        client.deployments.create(
            name="greeter", model="replicate/hello-world", version=VERSION_ID,
            hardware="cpu", min_instances=0, max_instances=1,
        )
        print(client.deployments.run("me/greeter", input={"text": "hi"}))
        client.deployments.update("me", "greeter", max_instances=2)
    """

    def __init__(
        self, core: Core, runner: Callable[..., Any], async_runner: Callable[..., Any]
    ) -> None:
        super().__init__(core)
        self._runner = runner
        self._async_runner = async_runner

    @property
    def predictions(self) -> DeploymentsPredictions:
        """Predictions on deployments."""
        return DeploymentsPredictions(self._core)

    def get(self, name: str, deployment_name: str | None = None) -> Deployment:
        """``get("owner/name")`` (or owner, name)."""
        call = Call("deployments.get", path=_deployment_path(name, deployment_name))
        return self._core.execute(_one(call, Deployment, self._core))

    async def async_get(self, name: str, deployment_name: str | None = None) -> Deployment:
        """Async :meth:`get`."""
        call = Call("deployments.get", path=_deployment_path(name, deployment_name))
        return await self._core.aexecute(_one(call, Deployment, self._core))

    def list(self, cursor: Cursor = ...) -> Page[Deployment]:
        """One page of your deployments."""
        return self._core.execute(_page(Call("deployments.list"), cursor, Deployment, self._core))

    async def async_list(self, cursor: Cursor = ...) -> Page[Deployment]:
        """Async :meth:`list`."""
        return await self._core.aexecute(
            _page(Call("deployments.list"), cursor, Deployment, self._core)
        )

    @staticmethod
    def _create_call(
        name: str, model: str, version: str, hardware: str, min_instances: int, max_instances: int
    ) -> Call:
        body = {
            "name": name,
            "model": model,
            "version": version,
            "hardware": hardware,
            "min_instances": min_instances,
            "max_instances": max_instances,
        }
        return Call("deployments.create", body=body, kind="create")

    def create(
        self,
        name: str,
        model: str,
        version: str,
        hardware: str,
        min_instances: int,
        max_instances: int,
    ) -> Deployment:
        """Create a deployment of ``model`` at ``version``."""
        call = self._create_call(name, model, version, hardware, min_instances, max_instances)
        return self._core.execute(_one(call, Deployment, self._core))

    async def async_create(
        self,
        name: str,
        model: str,
        version: str,
        hardware: str,
        min_instances: int,
        max_instances: int,
    ) -> Deployment:
        """Async :meth:`create`."""
        call = self._create_call(name, model, version, hardware, min_instances, max_instances)
        return await self._core.aexecute(_one(call, Deployment, self._core))

    def update(
        self, deployment_owner: str, deployment_name: str | None = None, **fields: Any
    ) -> Deployment:
        """Change ``version``, ``hardware``, ``min_instances`` or ``max_instances``."""
        path = _deployment_path(deployment_owner, deployment_name)
        call = Call("deployments.update", path=path, body=fields, kind="create")
        return self._core.execute(_one(call, Deployment, self._core))

    async def async_update(
        self, deployment_owner: str, deployment_name: str | None = None, **fields: Any
    ) -> Deployment:
        """Async :meth:`update`."""
        path = _deployment_path(deployment_owner, deployment_name)
        call = Call("deployments.update", path=path, body=fields, kind="create")
        return await self._core.aexecute(_one(call, Deployment, self._core))

    def delete(self, deployment_owner: str, deployment_name: str | None = None) -> bool:
        """Delete a deployment."""
        path = _deployment_path(deployment_owner, deployment_name)
        return self._core.execute(_done(Call("deployments.delete", path=path)))

    async def async_delete(self, deployment_owner: str, deployment_name: str | None = None) -> bool:
        """Async :meth:`delete`."""
        path = _deployment_path(deployment_owner, deployment_name)
        return await self._core.aexecute(_done(Call("deployments.delete", path=path)))

    def run(self, name: str, input: Mapping[str, Any] | None = None, **options: Any) -> Any:
        """Run a deployment and return its output (like ``client.run``)."""
        owner, dep = split_name(name, "deployment")
        return self._runner(_predict.Target("deployment", owner, dep), input, **options)

    async def async_run(
        self, name: str, input: Mapping[str, Any] | None = None, **options: Any
    ) -> Any:
        """Async :meth:`run`."""
        owner, dep = split_name(name, "deployment")
        return await self._async_runner(_predict.Target("deployment", owner, dep), input, **options)


# -- trainings --------------------------------------------------------------------------------


class Trainings(_Resource):
    """``client.trainings``: create, get, list, cancel.

    Example::

        training = client.trainings.create(
            version="owner/trainer:VERSION_ID", input={"steps": 100}, destination="me/tuned"
        )
        training.wait()
        print(training.output["version"])  # "me/tuned:<new version id>"
    """

    def _create(
        self,
        model: Any,
        version: Any,
        input: Mapping[str, Any] | None,
        destination: Any,
        options: Mapping[str, Any],
        file_encoding_strategy: FileEncodingStrategy | None,
    ) -> Flow[Training]:
        if version is None and isinstance(model, str) and ":" in model:
            model, version = None, model
        version_id = getattr(version, "id", version)
        if not isinstance(version_id, str):
            raise TypeError("version must be 'owner/name:version', a version id or a Version")
        if model is None:
            ref = parse_ref(version_id)
            if ref.owner is None or ref.name is None or ref.version is None:
                raise ValueError("version must be 'owner/name:version' unless model= is given")
            owner, name, version_id = ref.owner, ref.name, ref.version
        else:
            owner, name = _predict._name_of(model, "model")
        if destination is None:
            raise ValueError("destination ('owner/name' of a model you own) is required")
        dest = (
            destination
            if isinstance(destination, str)
            else "/".join(_predict._name_of(destination, "model"))
        )
        # Files in the input are uploaded (or inlined) as for predictions.
        encoded = yield from encode_input(dict(input or {}), file_encoding_strategy)
        body: dict[str, Any] = {"destination": dest, "input": encoded}
        for key, value in options.items():
            if value is not None:
                body[key] = builtins.list(value) if key == "webhook_events_filter" else value
        path = {"model_owner": owner, "model_name": name, "version_id": version_id}
        call = Call("trainings.create", path=path, body=body, kind="create")
        training = yield from _one(call, Training, self._core)
        # The API does not echo the destination; keep the one we asked for.
        if training.destination is None:
            training.destination = dest
        return training

    def create(
        self,
        model: Any = None,
        version: Any = None,
        input: Mapping[str, Any] | None = None,
        *,
        destination: Any = None,
        webhook: str | None = None,
        webhook_completed: str | None = None,
        webhook_events_filter: Sequence[WebhookEvent] | None = None,
        file_encoding_strategy: FileEncodingStrategy | None = None,
    ) -> Training:
        """Start a training: ``create(version="o/n:v", input=..., destination="me/model")``.

        Files in ``input`` (``Path`` or file objects) are uploaded first, or inlined with
        ``file_encoding_strategy="base64"``, as for predictions.
        """
        options = {
            "webhook": webhook,
            "webhook_completed": webhook_completed,
            "webhook_events_filter": webhook_events_filter,
        }
        flow = self._create(model, version, input, destination, options, file_encoding_strategy)
        return self._core.execute(flow)

    async def async_create(
        self,
        model: Any = None,
        version: Any = None,
        input: Mapping[str, Any] | None = None,
        *,
        destination: Any = None,
        webhook: str | None = None,
        webhook_completed: str | None = None,
        webhook_events_filter: Sequence[WebhookEvent] | None = None,
        file_encoding_strategy: FileEncodingStrategy | None = None,
    ) -> Training:
        """Async :meth:`create`."""
        options = {
            "webhook": webhook,
            "webhook_completed": webhook_completed,
            "webhook_events_filter": webhook_events_filter,
        }
        flow = self._create(model, version, input, destination, options, file_encoding_strategy)
        return await self._core.aexecute(flow)

    def get(self, id: str) -> Training:
        """A training by id."""
        return self._core.execute(
            _one(Call("trainings.get", path={"training_id": id}), Training, self._core)
        )

    async def async_get(self, id: str) -> Training:
        """Async :meth:`get`."""
        return await self._core.aexecute(
            _one(Call("trainings.get", path={"training_id": id}), Training, self._core)
        )

    def list(self, cursor: Cursor = ...) -> Page[Training]:
        """One page of trainings, newest first."""
        return self._core.execute(_page(Call("trainings.list"), cursor, Training, self._core))

    async def async_list(self, cursor: Cursor = ...) -> Page[Training]:
        """Async :meth:`list`."""
        return await self._core.aexecute(
            _page(Call("trainings.list"), cursor, Training, self._core)
        )

    def cancel(self, id: str) -> Training:
        """Cancel a training."""
        call = Call("trainings.cancel", path={"training_id": id})
        return self._core.execute(_one(call, Training, self._core))

    async def async_cancel(self, id: str) -> Training:
        """Async :meth:`cancel`."""
        call = Call("trainings.cancel", path={"training_id": id})
        return await self._core.aexecute(_one(call, Training, self._core))


# -- files, hardware, collections, account, search, webhooks ----------------------------------


class Files(_Resource):
    """``client.files``: upload, get, list, delete, download.

    Example::

        file = client.files.create(Path("photo.jpg"), metadata={"source": "camera"})
        client.run("owner/model:version", input={"image": file.urls["get"]})
        client.files.delete(file.id)
    """

    @staticmethod
    def _create_call(
        file: Any,
        metadata: Mapping[str, Any] | None,
        content_type: str | None,
        filename: str | None,
    ) -> Call:
        if isinstance(file, str):
            file = Path(file)
        upload = make_upload(file, content_type, filename=filename, metadata=metadata)
        return Call("files.create", upload=upload, kind="create")

    def create(
        self,
        file: Any,
        metadata: Mapping[str, Any] | None = None,
        *,
        content_type: str | None = None,
        filename: str | None = None,
    ) -> File:
        """Upload a ``Path``, a path string or a binary file object (at most 100 MB).

        ``filename`` and ``content_type`` default to the file's name and the MIME
        type guessed from it; ``metadata`` is any JSON object stored with the file.
        """
        call = self._create_call(file, metadata, content_type, filename)
        return self._core.execute(_one(call, File, self._core))

    async def async_create(
        self,
        file: Any,
        metadata: Mapping[str, Any] | None = None,
        *,
        content_type: str | None = None,
        filename: str | None = None,
    ) -> File:
        """Async :meth:`create`."""
        call = self._create_call(file, metadata, content_type, filename)
        return await self._core.aexecute(_one(call, File, self._core))

    def get(self, file_id: str) -> File:
        """File metadata by id."""
        return self._core.execute(
            _one(Call("files.get", path={"file_id": file_id}), File, self._core)
        )

    async def async_get(self, file_id: str) -> File:
        """Async :meth:`get`."""
        return await self._core.aexecute(
            _one(Call("files.get", path={"file_id": file_id}), File, self._core)
        )

    def list(self, cursor: Cursor = ...) -> Page[File]:
        """One page of your files, newest first."""
        return self._core.execute(_page(Call("files.list"), cursor, File, self._core))

    async def async_list(self, cursor: Cursor = ...) -> Page[File]:
        """Async :meth:`list`."""
        return await self._core.aexecute(_page(Call("files.list"), cursor, File, self._core))

    def delete(self, file_id: str) -> bool:
        """Delete a file."""
        return self._core.execute(_done(Call("files.delete", path={"file_id": file_id})))

    async def async_delete(self, file_id: str) -> bool:
        """Async :meth:`delete`."""
        return await self._core.aexecute(_done(Call("files.delete", path={"file_id": file_id})))

    @staticmethod
    def _download_call(
        file: Any, owner: str | None, expiry: int | None, signature: str | None
    ) -> Call:
        file_id = file if isinstance(file, str) else getattr(file, "id", None)
        if not isinstance(file_id, str) or not file_id:
            raise TypeError("file must be a file id or a File")
        link = (getattr(file, "urls", None) or {}).get("download")
        if isinstance(link, str) and None in (owner, expiry, signature):
            params = dict(parse_qsl(urlsplit(link).query))
            owner = owner or params.get("owner")
            expiry = expiry if expiry is not None else _int_or_none(params.get("expiry"))
            signature = signature or params.get("signature")
        if (
            isinstance(link, str)
            and None in (owner, expiry, signature)
            and "signature=" not in link
        ):
            # An unsigned link (what the gRPC transport gives) is authorized by the token.
            return Call("files.download", url=link, raw=True)
        if owner is None or expiry is None or signature is None:
            raise ValueError(
                "files.download needs owner=, expiry= and signature= "
                "(pass the File itself to use its urls['download'] link)"
            )
        query = {"owner": owner, "expiry": expiry, "signature": signature}
        return Call("files.download", path={"file_id": file_id}, query=query, raw=True)

    def download(
        self,
        file: Any,
        *,
        owner: str | None = None,
        expiry: int | None = None,
        signature: str | None = None,
    ) -> bytes:
        """The file's bytes, through its signed download link.

        Pass a :class:`~replicate_kit.types.File` (its ``urls["download"]`` link is
        used) or a file id with the link's ``owner``, ``expiry`` and ``signature``.

        Example::

            data = client.files.download(client.files.get(file_id))
        """
        data = self._core.execute(call(self._download_call(file, owner, expiry, signature)))
        return _bytes(data)

    async def async_download(
        self,
        file: Any,
        *,
        owner: str | None = None,
        expiry: int | None = None,
        signature: str | None = None,
    ) -> bytes:
        """Async :meth:`download`."""
        download = self._download_call(file, owner, expiry, signature)
        return _bytes(await self._core.aexecute(call(download)))


def _int_or_none(value: str | None) -> int | None:
    return int(value) if value is not None and value.isdigit() else None


def _bytes(data: Any) -> bytes:
    # Transports return the raw body for downloads; text is tolerated from simpler ones.
    if isinstance(data, bytes):
        return data
    return _text(data).encode()


class HardwareResource(_Resource):
    """``client.hardware``: the hardware SKUs models and deployments can run on.

    Example::

        skus = [h.sku for h in client.hardware.list()]  # ["cpu", "gpu-t4", ...]
    """

    def list(self) -> builtins.list[Hardware]:
        """Every hardware SKU (not paginated)."""
        data = self._core.execute(call(Call("hardware.list")))
        return [Hardware.from_dict(h, self._core) for h in data or []]

    async def async_list(self) -> builtins.list[Hardware]:
        """Async :meth:`list`."""
        data = await self._core.aexecute(call(Call("hardware.list")))
        return [Hardware.from_dict(h, self._core) for h in data or []]


class Collections(_Resource):
    """``client.collections``: list, get.

    Example::

        for collection in client.collections.list():
            print(collection.slug, [m.id for m in client.collections.get(collection.slug)])
    """

    def list(self, cursor: Cursor = ...) -> Page[Collection]:
        """One page of collections."""
        return self._core.execute(_page(Call("collections.list"), cursor, Collection, self._core))

    async def async_list(self, cursor: Cursor = ...) -> Page[Collection]:
        """Async :meth:`list`."""
        return await self._core.aexecute(
            _page(Call("collections.list"), cursor, Collection, self._core)
        )

    def get(self, slug: str) -> Collection:
        """A collection with its models."""
        call = Call("collections.get", path={"collection_slug": slug})
        return self._core.execute(_one(call, Collection, self._core))

    async def async_get(self, slug: str) -> Collection:
        """Async :meth:`get`."""
        call = Call("collections.get", path={"collection_slug": slug})
        return await self._core.aexecute(_one(call, Collection, self._core))


class Accounts(_Resource):
    """``client.account``/``client.accounts``: the token's account.

    Example::

        me = client.account.current()
        print(me.username, me.type)  # "alice", "user"
    """

    def current(self) -> Account:
        """The account the API token belongs to."""
        return self._core.execute(_one(Call("account.get"), Account, self._core))

    async def async_current(self) -> Account:
        """Async :meth:`current`."""
        return await self._core.aexecute(_one(Call("account.get"), Account, self._core))

    get = current
    async_get = async_current


class Search(_Resource):
    """``client.search(query)``: models, collections and docs (``GET /search``).

    Example::

        result = client.search("llama", limit=5)
        names = [entry["model"].id for entry in result.models]
    """

    @staticmethod
    def _call(query: str, limit: int | None) -> Call:
        params: dict[str, Any] = {"query": query}
        if limit is not None:
            params["limit"] = limit
        return Call("search", query=params)

    def __call__(self, query: str, *, limit: int | None = None) -> SearchResult:
        """Search for ``query``; ``limit`` (1-50) caps the number of models."""
        return self._core.execute(_one(self._call(query, limit), SearchResult, self._core))

    async def async_search(self, query: str, *, limit: int | None = None) -> SearchResult:
        """Async search."""
        return await self._core.aexecute(_one(self._call(query, limit), SearchResult, self._core))


class WebhookDefaults(_Resource):
    """``client.webhooks.default``: the account's default signing secret.

    Example::

        secret = client.webhooks.default.secret()  # secret.key == "whsec_..."
    """

    def secret(self) -> WebhookSigningSecret:
        """The signing secret for webhooks sent to you."""
        return self._core.execute(
            _one(Call("webhooks.default.secret.get"), WebhookSigningSecret, self._core)
        )

    async def async_secret(self) -> WebhookSigningSecret:
        """Async :meth:`secret`."""
        return await self._core.aexecute(
            _one(Call("webhooks.default.secret.get"), WebhookSigningSecret, self._core)
        )


class Webhooks(_Resource):
    """``client.webhooks``: ``default.secret()`` and ``validate(...)``.

    Example::

        secret = client.webhooks.default.secret()
        client.webhooks.validate(headers=request_headers, body=raw_body, secret=secret)
    """

    @property
    def default(self) -> WebhookDefaults:
        """The account's default webhook settings."""
        return WebhookDefaults(self._core)

    @staticmethod
    def validate(
        request: Any = None,
        headers: Mapping[str, str] | None = None,
        body: str | bytes | None = None,
        secret: WebhookSigningSecret | str | None = None,
        tolerance: float | None = _webhook_sig.DEFAULT_TOLERANCE,
    ) -> bool:
        """Check a webhook's signature; raise a ``WebhookValidationError`` subclass if invalid.

        Pass ``request`` (anything with ``headers`` and ``content``/``body``, e.g. an
        ``httpx.Request``) or ``headers`` + raw ``body``. ``secret`` is the
        ``WebhookSigningSecret`` from ``webhooks.default.secret()`` or its ``key``.
        ``tolerance`` (seconds, default 300) bounds the timestamp age; returns True.

        Example::

            replicate_kit.webhooks.validate(headers=request.headers, body=raw_body, secret=secret)
        """
        if secret is None:
            raise ValueError("Missing webhook signing secret")
        if request is not None and (headers is not None or body is not None):
            raise ValueError("Pass either request= or headers= and body=, not both")
        if request is not None:
            headers = dict(request.headers)
            body = getattr(request, "content", None)
            if body is None:
                body = getattr(request, "body", None)
        key = secret if isinstance(secret, str) else secret.key
        _webhook_sig.verify(headers, body, key, tolerance=tolerance)
        return True
