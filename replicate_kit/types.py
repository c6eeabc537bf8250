"""Result objects: :class:`Prediction`, :class:`Training`, :class:`Model`, ...

Each object keeps the JSON it was built from (``to_dict()``); attributes the API
adds later stay reachable there. Objects returned by a client are bound to it,
so ``prediction.wait()``, ``.reload()``, ``.cancel()`` and ``.stream()`` work.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Callable, Coroutine, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, fields
from types import EllipsisType
from typing import Any, ClassVar, Generic, Protocol, TypeVar, Unpack

from replicate_kit import _flows, _output, _predict
from replicate_kit._calls import Call, Flow, Sleep
from replicate_kit._methods import Blocking, Engine, Item, ItemFlow, Items, iterating, method, ready
from replicate_kit._predict import PredictionOptions
from replicate_kit._reconcile import Reconciler
from replicate_kit._status import is_terminal
from replicate_kit.exceptions import ReplicateError
from replicate_kit.helpers import Fetcher, transform_output
from replicate_kit.stream import ServerSentEvent

__all__ = [
    "Account",
    "Collection",
    "Deployment",
    "File",
    "Hardware",
    "Model",
    "Page",
    "Prediction",
    "SearchResult",
    "Training",
    "Version",
    "WebhookSigningSecret",
]

T = TypeVar("T")
ObjT = TypeVar("ObjT", bound="_Object")
#: ``...`` for the first page, a ``next`` URL for another; None is the end and refused.
Cursor = str | EllipsisType | None


class ModelVersions(Protocol):
    """What ``model.versions`` offers (:class:`~replicate_kit.resources.Versions`)."""

    def get(self, id: str) -> Version:
        """A version by id."""
        ...

    def list(self, cursor: Cursor = ...) -> Page[Version]:
        """One page of versions, newest first."""
        ...

    def delete(self, id: str) -> bool:
        """Delete a version."""
        ...

    def async_get(self, id: str) -> Coroutine[Any, Any, Version]:
        """Async :meth:`get`."""
        ...

    def async_list(self, cursor: Cursor = ...) -> Coroutine[Any, Any, Page[Version]]:
        """Async :meth:`list`."""
        ...

    def async_delete(self, id: str) -> Coroutine[Any, Any, bool]:
        """Async :meth:`delete`."""
        ...


class DeploymentPredictionsAPI(Protocol):
    """What ``deployment.predictions`` offers (:class:`~replicate_kit.resources.DeploymentPredictions`)."""

    def create(
        self, input: Mapping[str, Any] | None = None, **options: Unpack[PredictionOptions]
    ) -> Prediction:
        """Create a prediction on this deployment."""
        ...

    def async_create(
        self, input: Mapping[str, Any] | None = None, **options: Unpack[PredictionOptions]
    ) -> Coroutine[Any, Any, Prediction]:
        """Async :meth:`create`."""
        ...


class Binding(Engine, Fetcher, Protocol):
    """What an object needs of the client that returned it (its core, in practice).

    Objects sit below the client in the import graph: they reach it only through this.
    """

    schema_cache: dict[str, Any]
    reconciler: Reconciler

    @property
    def poll_interval(self) -> float:
        """Seconds between polls."""
        ...

    def events(self, url: str, prediction_id: str | None = None) -> Iterator[ServerSentEvent]:
        """Follow an event stream to its end; an error ending it names ``prediction_id``."""
        ...

    def aevents(self, url: str, prediction_id: str | None = None) -> AsyncIterator[ServerSentEvent]:
        """Async :meth:`events`."""
        ...

    def model_versions(self, owner: str, name: str) -> ModelVersions:
        """The versions resource of ``owner/name``."""
        ...

    def deployment_predictions(self, owner: str, name: str) -> DeploymentPredictionsAPI:
        """The predictions resource of deployment ``owner/name``."""
        ...


_PUBLIC_FIELDS: dict[type, tuple[str, ...]] = {}


def _public_fields(cls: type) -> tuple[str, ...]:
    # dataclasses.fields() rebuilds its tuple on every call; every response paid for it.
    names = _PUBLIC_FIELDS.get(cls)
    if names is None:
        names = tuple(f.name for f in fields(cls) if not f.name.startswith("_"))
        _PUBLIC_FIELDS[cls] = names
    return names


@dataclass(eq=False)
class _Object:
    """Base: construction from API JSON, raw access, binding to a client core."""

    _core: Binding | None = field(default=None, repr=False, compare=False, kw_only=True)
    _raw: dict[str, Any] = field(default_factory=dict, repr=False, compare=False, kw_only=True)

    _nested: ClassVar[dict[str, type[_Object]]] = {}
    #: The spec's component schemas this object carries (checked by
    #: ``tests/unit/test_types_follow_spec.py``).
    _schemas: ClassVar[tuple[str, ...]] = ()
    #: Objects' methods block, with ``async_`` twins (see :mod:`replicate_kit._methods`).
    _mode: ClassVar[type[Blocking]] = Blocking

    @classmethod
    def from_dict(cls: type[ObjT], data: Mapping[str, Any], core: Binding | None = None) -> ObjT:
        """Build from API JSON (unknown keys are kept in ``to_dict()`` only)."""
        if not isinstance(data, Mapping):
            raise ReplicateError(
                None,
                "Unexpected response",
                None,
                f"Expected a JSON object for {cls.__name__}, got {type(data).__name__}",
            )
        kwargs: dict[str, Any] = {}
        for name in _public_fields(cls):
            if name not in data:
                continue
            value = data[name]
            nested = cls._nested.get(name)
            if nested is not None and isinstance(value, Mapping):
                value = nested.from_dict(value, core)
            kwargs[name] = value
        obj = cls(**kwargs, _core=core, _raw=dict(data))
        obj.__post_init_from_api__()
        return obj

    def __post_init_from_api__(self) -> None:
        """Hook for derived fields."""

    def to_dict(self) -> dict[str, Any]:
        """The JSON object this was built from (updated on reload)."""
        return dict(self._raw)

    def dict(self) -> dict[str, Any]:
        """Alias of :meth:`to_dict` (pydantic v1 spelling used with the official client)."""
        return self.to_dict()

    def _update(self, data: Mapping[str, Any]) -> None:
        fresh = type(self).from_dict(data, self._core)
        for f in fields(self):
            if f.name != "_core":
                setattr(self, f.name, getattr(fresh, f.name))

    def _bound(self) -> Binding:
        if self._core is None:
            raise RuntimeError(f"This {type(self).__name__} is not bound to a client")
        return self._core

    def _engine(self) -> Engine:
        return self._bound()


@dataclass(eq=False)
class Version(_Object):
    """A model version; ``openapi_schema`` holds its Cog input/output schema.

    Example::

        version = client.models.get("replicate/hello-world").latest_version
        inputs = version.openapi_schema["components"]["schemas"]["Input"]["properties"]
    """

    _schemas = ("ModelVersion",)

    id: str = ""
    created_at: str | None = None
    cog_version: str | None = None
    openapi_schema: dict[str, Any] | None = field(default=None, repr=False)


class _Job(_Object):
    """What predictions and trainings share: a status polled until terminal."""

    #: ``prediction`` or ``training``: names the get/cancel operations and their path key.
    _kind: ClassVar[str]
    id: str
    status: str

    @property
    def done(self) -> bool:
        """True once the status is terminal (succeeded, failed, canceled, aborted)."""
        return is_terminal(self.status)

    def _get(self, id: str) -> Flow[Any]:
        return _flows.get_job(f"{self._kind}s.get", f"{self._kind}_id", id)

    @method
    def wait(self, timeout: float | None = None) -> Flow[None]:
        """Poll every ``poll_interval`` until terminal, refreshing this object in place.

        Terminal means succeeded, failed, canceled or aborted. A failure does not raise
        (check ``status`` and ``error``); ``timeout`` (seconds) raises
        :class:`~replicate_kit.exceptions.APITimeoutError` if it is still running then.
        The official client has no ``Training.wait`` (its users poll ``reload()``);
        here trainings wait like predictions.
        """
        data = yield from _flows.poll(self._raw, self._get, self._bound().poll_interval, timeout)
        self._update(data)

    @method
    def reload(self) -> Flow[None]:
        """Refresh from the API."""
        self._update((yield from self._get(self.id)))

    @method
    def cancel(self) -> Flow[None]:
        """Cancel it and refresh this object."""
        path = {f"{self._kind}_id": self.id}
        self._update((yield Call(f"{self._kind}s.cancel", path=path)))

    async_wait = wait.async_form()
    async_reload = reload.async_form()
    async_cancel = cancel.async_form()


@dataclass(eq=False)
class Prediction(_Job):
    """A prediction. ``wait()``, ``reload()``, ``cancel()`` refresh it in place.

    Example::

        prediction = replicate_kit.predictions.create(version=VERSION, input={"text": "you"})
        prediction.wait()
        print(prediction.status, prediction.output)
    """

    _schemas = ("Prediction",)
    _kind = "prediction"

    id: str = ""
    model: str | None = None
    version: str | None = None
    status: str = "starting"
    input: dict[str, Any] | None = None
    output: Any = None
    logs: str | None = None
    error: Any = None
    metrics: dict[str, Any] | None = None
    created_at: str | None = None
    started_at: str | None = None
    completed_at: str | None = None
    urls: dict[str, str] | None = None
    data_removed: bool | None = None
    source: str | None = None
    deadline: str | None = None
    deployment: str | None = None
    webhook: str | None = None
    webhook_events_filter: list[str] | None = None

    @dataclass(frozen=True)
    class Progress:
        """Progress parsed from tqdm-style log lines (``42%|...| 42/100``)."""

        percentage: float
        current: int
        total: int

    _PROGRESS: ClassVar[re.Pattern[str]] = re.compile(r"^\s*(\d+)%\s*\|.+?\|\s*(\d+)\/(\d+)")

    @property
    def progress(self) -> Prediction.Progress | None:
        """Latest progress line of the logs, if any."""
        for line in reversed((self.logs or "").splitlines()):
            match = self._PROGRESS.search(line)
            if match:
                pct, cur, total = (int(g) for g in match.groups())
                return Prediction.Progress(pct / 100.0, cur, total)
        return None

    @iterating("")
    def stream(self, use_file_output: bool | None = None) -> Flow[_Events]:
        """Server-sent events of this prediction (needs ``urls.stream``).

        ``use_file_output=True`` turns the data of ``output`` events that are files into
        :class:`~replicate_kit.helpers.FileOutput`, by the rule ``run()`` uses (the version's
        output schema, looked up once per version; else ``https:``/``data:`` strings). By
        default event data stays text, so token streams are never mistaken for files.
        """
        core = self._bound()
        url = self._stream_url()
        if not use_file_output:
            return (yield from ready(_Events(core, url, self.id, None)))
        schema = yield from self._event_schema_flow()
        return _Events(core, url, self.id, lambda event: _with_file_output(event, core, schema))

    @iterating("")
    def output_iterator(self) -> Flow[Items[Any]]:
        """Yield output items as they appear (for iterator outputs), polling until done."""

        def items() -> ItemFlow[Any]:
            seen = 0
            while True:
                current = self.output if isinstance(self.output, list) else []
                for item in current[seen:]:
                    yield Item(item)
                seen = max(seen, len(current))
                if self.done:
                    return
                yield Sleep(self._bound().poll_interval)
                yield from Prediction.reload.flow(self)

        return (yield from ready(Items(self._bound(), items)))

    async_stream = stream.async_form()
    async_output_iterator = output_iterator.async_form()

    def _stream_url(self) -> str:
        url = (self.urls or {}).get("stream")
        if not url:
            raise ReplicateError("Model does not support streaming")
        return url

    def _event_schema_flow(self) -> Flow[dict[str, Any] | None]:
        owner, _, name = (self.model or "").partition("/")
        cache = self._bound().schema_cache
        schema = yield from _predict.output_schema_of(owner, name, self.version, cache)
        # An iterator output streams one item per event; any other output comes whole.
        items = _output.item_schema(schema)
        return dict(items) if items is not None else schema


class _Events:
    """A prediction's event stream, followed blocking or awaited, each event converted.

    An error ending it carries the prediction's id (``error.prediction_id``): it may still run.
    """

    def __init__(
        self,
        core: Binding,
        url: str,
        prediction_id: str,
        convert: Callable[[ServerSentEvent], ServerSentEvent] | None,
    ) -> None:
        self._core = core
        self._url = url
        self._id = prediction_id
        self._convert = convert

    def __iter__(self) -> Iterator[ServerSentEvent]:
        events = self._core.events(self._url, self._id)
        # Returned as is when nothing is converted: no frame of ours runs per token.
        return events if self._convert is None else map(self._convert, events)

    async def __aiter__(self) -> AsyncIterator[ServerSentEvent]:
        async for event in self._core.aevents(self._url, self._id):
            yield event if self._convert is None else self._convert(event)


def _with_file_output(
    event: ServerSentEvent, core: Binding, schema: dict[str, Any] | None
) -> ServerSentEvent:
    if event.event != "output":
        return event
    return event._replace(data=transform_output(event.data, core, schema))


@dataclass(eq=False)
class Training(_Job):
    """A training. ``wait()`` polls until it is terminal; ``output["version"]`` is the new version.

    Example::

        training = client.trainings.get("tr_123")
        training.wait(timeout=3600)
        model_ref = training.output["version"]  # "me/tuned:<id>", ready for client.run()
    """

    _schemas = ("Training",)
    _kind = "training"

    id: str = ""
    model: str | None = None
    version: str | None = None
    destination: str | None = None
    status: str = "starting"
    input: dict[str, Any] | None = None
    output: Any = None
    logs: str | None = None
    error: Any = None
    metrics: dict[str, Any] | None = None
    created_at: str | None = None
    started_at: str | None = None
    completed_at: str | None = None
    urls: dict[str, str] | None = None
    source: str | None = None

    def __post_init_from_api__(self) -> None:
        # Like the official client: the destination is derivable from the output version.
        if self.destination is None and isinstance(self.output, Mapping):
            produced = self.output.get("version")
            if isinstance(produced, str) and ":" in produced:
                self.destination = produced.split(":", 1)[0]

    def _update(self, data: Mapping[str, Any]) -> None:
        destination = self.destination
        super()._update(data)
        if self.destination is None:
            self.destination = destination


class _Owned:
    """Named ``owner/name``, like models and deployments."""

    owner: str
    name: str

    @property
    def id(self) -> str:
        """``owner/name``."""
        return f"{self.owner}/{self.name}"

    @property
    def username(self) -> str:
        """Alias of ``owner`` (official client)."""
        return self.owner


@dataclass(eq=False)
class Model(_Owned, _Object):
    """A model. ``model.versions`` lists and gets its versions.

    Example::

        model = client.models.get("replicate/hello-world")
        print(model.id, model.run_count, [v.id for v in model.versions.list()])
    """

    _schemas = ("Model",)

    url: str | None = None
    owner: str = ""
    name: str = ""
    description: str | None = None
    visibility: str | None = None
    github_url: str | None = None
    paper_url: str | None = None
    license_url: str | None = None
    cover_image_url: str | None = None
    run_count: int | None = None
    default_example: Prediction | None = None
    latest_version: Version | None = None
    is_official: bool | None = None
    created_at: str | None = None

    _nested: ClassVar[dict[str, type[_Object]]] = {}

    @property
    def versions(self) -> ModelVersions:
        """Versions of this model."""
        return self._bound().model_versions(self.owner, self.name)

    @method
    def reload(self) -> Flow[None]:
        """Refresh from the API."""
        path = {"model_owner": self.owner, "model_name": self.name}
        self._update((yield Call("models.get", path=path)))

    async_reload = reload.async_form()


Model._nested = {"default_example": Prediction, "latest_version": Version}


@dataclass(eq=False)
class Account(_Object):
    """The account (user or organization) behind a token, or a release's creator."""

    _schemas = ("Account",)

    type: str | None = None
    username: str = ""
    name: str | None = None
    github_url: str | None = None
    avatar_url: str | None = None


@dataclass(eq=False)
class DeploymentConfiguration(_Object):
    """Hardware and scaling of a deployment release."""

    _schemas = ("DeploymentConfiguration",)

    hardware: str | None = None
    min_instances: int | None = None
    max_instances: int | None = None


@dataclass(eq=False)
class DeploymentRelease(_Object):
    """The current release of a deployment."""

    _schemas = ("DeploymentRelease",)

    number: int | None = None
    model: str | None = None
    version: str | None = None
    created_at: str | None = None
    created_by: Account | None = None
    configuration: DeploymentConfiguration | None = None

    _nested: ClassVar[dict[str, type[_Object]]] = {
        "created_by": Account,
        "configuration": DeploymentConfiguration,
    }


@dataclass(eq=False)
class Deployment(_Owned, _Object):
    """A deployment. ``deployment.predictions.create(input=...)`` runs it.

    Example::

        deployment = client.deployments.get("me/greeter")
        print(deployment.current_release.configuration.hardware)
        deployment.predictions.create(input={"text": "hi"}).wait()
    """

    _schemas = ("Deployment",)

    owner: str = ""
    name: str = ""
    current_release: DeploymentRelease | None = None

    _nested: ClassVar[dict[str, type[_Object]]] = {"current_release": DeploymentRelease}

    @property
    def predictions(self) -> DeploymentPredictionsAPI:
        """Create predictions on this deployment."""
        return self._bound().deployment_predictions(self.owner, self.name)


@dataclass(eq=False)
class File(_Object):
    """A file uploaded through the Files API (``urls["get"]`` is usable as model input).

    Example::

        file = client.files.create(Path("photo.jpg"))
        print(file.id, file.size, file.checksums["sha256"], file.urls["get"])
    """

    _schemas = ("FileObject",)

    id: str = ""
    name: str | None = None
    content_type: str | None = None
    size: int | None = None
    etag: str | None = None
    checksums: dict[str, str] | None = None
    metadata: dict[str, Any] | None = None
    created_at: str | None = None
    expires_at: str | None = None
    urls: dict[str, str] | None = None


@dataclass(eq=False)
class Hardware(_Object):
    """A hardware SKU."""

    _schemas = ("Hardware",)

    name: str = ""
    sku: str = ""


@dataclass(eq=False)
class Collection(_Object):
    """A curated collection; ``models`` is filled by ``collections.get``."""

    _schemas = ("Collection", "CollectionSummary")

    name: str = ""
    slug: str = ""
    description: str | None = None
    full_description: str | None = None
    models: list[Model] | None = None

    def __post_init_from_api__(self) -> None:
        if isinstance(self.models, list):
            self.models = [
                Model.from_dict(m, self._core) if isinstance(m, Mapping) else m for m in self.models
            ]

    def __iter__(self) -> Iterator[Model]:
        return iter(self.models or [])

    def __len__(self) -> int:
        return len(self.models or [])


@dataclass(eq=False)
class WebhookSigningSecret(_Object):
    """The signing secret (``key`` = ``whsec_...``). Its repr never shows the key."""

    _schemas = ("WebhookSigningSecret",)

    key: str = field(default="", repr=False)


@dataclass(eq=False)
class SearchResult(_Object):
    """``GET /search`` answer: models (with metadata), collections and doc pages."""

    _schemas = ("SearchResults",)

    query: str = ""
    models: list[dict[str, Any]] = field(default_factory=list)
    collections: list[dict[str, Any]] = field(default_factory=list)
    pages: list[dict[str, Any]] = field(default_factory=list)

    def __post_init_from_api__(self) -> None:
        wrapped = []
        for entry in self.models:
            if isinstance(entry, Mapping) and isinstance(entry.get("model"), Mapping):
                entry = {**entry, "model": Model.from_dict(entry["model"], self._core)}
            wrapped.append(dict(entry))
        self.models = wrapped


@dataclass(eq=False)
class Page(Generic[T]):
    """One page of a list: ``results``, ``next``/``previous`` cursor URLs; iterable.

    Example::

        page = client.predictions.list()
        while page.next:
            page = client.predictions.list(page.next)
    """

    results: list[T]
    next: str | None = None
    previous: str | None = None

    def __iter__(self) -> Iterator[T]:
        return iter(self.results)

    def __getitem__(self, index: int) -> T:
        return self.results[index]

    def __len__(self) -> int:
        return len(self.results)


def page_from(data: Mapping[str, Any], cls: type[ObjT], core: Binding | None) -> Page[ObjT]:
    """Wrap a ``{next, previous, results}`` envelope."""
    results: Sequence[Any] = data.get("results") or []
    return Page(
        results=[cls.from_dict(r, core) for r in results],
        next=data.get("next"),
        previous=data.get("previous"),
    )
