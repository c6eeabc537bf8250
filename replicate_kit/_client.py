"""``Client`` (blocking + ``async_`` methods, like the official client) and ``AsyncClient``."""

from __future__ import annotations

import inspect
import os
from collections.abc import (
    AsyncIterator,
    Awaitable,
    Callable,
    Generator,
    Iterator,
    Mapping,
    Sequence,
)
from types import TracebackType
from typing import TYPE_CHECKING, Any, Generic, Self, TypeVar

import httpx

from replicate_kit import _flows, _predict
from replicate_kit._calls import Flow
from replicate_kit._config import ClientConfig
from replicate_kit._core import Core, TransportName
from replicate_kit._files import FileEncodingStrategy
from replicate_kit._output import item_schema
from replicate_kit._predict import RunResult, Target, WebhookEvent
from replicate_kit._retry import RetryPolicy
from replicate_kit._status import ABORTED, FAILED
from replicate_kit._transport.base import SyncTransport
from replicate_kit.exceptions import ModelError
from replicate_kit.helpers import FileOutput, transform_output
from replicate_kit.resources import (
    Accounts,
    Collections,
    Deployments,
    Files,
    HardwareResource,
    Models,
    Predictions,
    Search,
    Trainings,
    Versions,
    Webhooks,
)
from replicate_kit.stream import ServerSentEvent
from replicate_kit.types import Prediction

if TYPE_CHECKING:
    from replicate_kit._raw_resources import AsyncClientWithRawResponse, ClientWithRawResponse

T = TypeVar("T")
#: An httpx transport passed as ``transport=`` (what the official client forwards to httpx).
HTTPXTransport = httpx.BaseTransport | httpx.AsyncBaseTransport

#: Environment defaults for ``transport`` and ``grpc_target`` (e.g. for the module-level client).
TRANSPORT_ENV = "REPLICATE_TRANSPORT"
GRPC_TARGET_ENV = "REPLICATE_GRPC_TARGET"


class _AwaitableAsyncIterator(Generic[T]):
    """Works both as ``async for x in it`` and ``async for x in await it`` (official style)."""

    def __init__(self, iterator: AsyncIterator[T]) -> None:
        self._iterator = iterator

    def __aiter__(self) -> AsyncIterator[T]:
        return self._iterator

    def __await__(self) -> Generator[Any, None, AsyncIterator[T]]:
        async def _self() -> AsyncIterator[T]:
            return self._iterator

        return _self().__await__()


# httpx.Client settings a caller may pass through as extra keyword arguments, as the official
# client allows (verify=, proxy=, limits=, ...). The rest are ours: auth is added per request
# (only for the API's host), and base_url, headers, timeout and transport are named parameters.
_OWN_HTTPX_OPTIONS = frozenset({"auth", "base_url", "headers", "timeout", "transport"})


def _httpx_options(
    options: Mapping[str, Any] | None,
    own_client: httpx.Client | httpx.AsyncClient | None,
    caller: str = "Client",
) -> dict[str, Any]:
    chosen = dict(options or {})
    if not chosen:
        return chosen
    accepted = set(inspect.signature(httpx.Client).parameters) - _OWN_HTTPX_OPTIONS
    for name in sorted(chosen):
        if name not in accepted:
            raise TypeError(
                f"{caller}() got an unexpected keyword argument {name!r} "
                f"(extra keyword arguments go to httpx.Client: {', '.join(sorted(accepted))})"
            )
    if own_client is not None:
        raise TypeError(
            f"{caller}() got httpx settings ({', '.join(sorted(chosen))}) and http_client=: "
            "set them on the httpx client you pass instead"
        )
    return chosen


def _check_outcome(prediction: Prediction) -> None:
    # `aborted` means the deadline passed before the model ever ran: no output will come.
    if prediction.status in (FAILED, ABORTED):
        raise ModelError(prediction)


class _Base:
    _core: Core
    _use_file_output: bool
    _file_encoding_strategy: FileEncodingStrategy | None

    def _setup(
        self,
        api_token: str | None,
        *,
        base_url: str | None,
        timeout: float | httpx.Timeout | None,
        max_retries: int | None,
        retry: RetryPolicy | None,
        poll_interval: float | None,
        transport: TransportName | SyncTransport | HTTPXTransport | None,
        use_file_output: bool,
        file_encoding_strategy: FileEncodingStrategy | None,
        http_client: httpx.Client | None,
        async_http_client: httpx.AsyncClient | None,
        user_agent: str | None,
        headers: Mapping[str, str] | None,
        grpc_target: str | None = None,
        httpx_options: Mapping[str, Any] | None = None,
    ) -> None:
        config = ClientConfig.resolve(
            api_token=api_token,
            base_url=base_url,
            timeout=timeout,
            max_retries=max_retries,
            retry=retry,
            poll_interval=poll_interval,
            user_agent=user_agent,
            headers=headers,
        )
        options = _httpx_options(
            httpx_options, http_client or async_http_client, type(self).__name__
        )
        async_options = dict(options)
        if isinstance(transport, httpx.BaseTransport | httpx.AsyncBaseTransport):
            # The official client passes `transport=` to httpx (e.g. httpx.MockTransport in tests).
            if isinstance(transport, httpx.BaseTransport):
                options["transport"] = transport
            if isinstance(transport, httpx.AsyncBaseTransport):
                async_options["transport"] = transport
            transport = "http"
        # After resolve(): .env is loaded, so these variables may come from it too.
        chosen: str | SyncTransport
        if transport is None:
            chosen = os.environ.get(TRANSPORT_ENV, "").strip().lower() or "http"
            if chosen not in ("http", "grpc"):
                raise ValueError(f"{TRANSPORT_ENV} must be 'http' or 'grpc', not {chosen!r}")
        else:
            chosen = transport
        self._core = Core(
            config,
            transport=chosen,  # type: ignore[arg-type]
            http_client=http_client,
            async_http_client=async_http_client,
            httpx_options=options,
            async_httpx_options=async_options,
            grpc_target=grpc_target or os.environ.get(GRPC_TARGET_ENV) or None,
        )
        self._use_file_output = use_file_output
        self._file_encoding_strategy = file_encoding_strategy

    @property
    def base_url(self) -> str:
        """The API root, ending in ``/v1``."""
        return self._core.config.base_url

    @property
    def poll_interval(self) -> float:
        """Seconds between polls while waiting for a prediction."""
        return self._core.config.poll_interval

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_url={self.base_url!r})"

    def file_output(self, url: str) -> FileOutput:
        """A :class:`~replicate_kit.helpers.FileOutput` for ``url`` that downloads through this client."""
        return FileOutput(url, self._core)

    # -- run / stream flows -------------------------------------------------------------------

    def _run_flow(
        self,
        ref: Any,
        input: Mapping[str, Any] | None,
        wait: bool | int | float,
        file_encoding_strategy: FileEncodingStrategy | None,
        options: Mapping[str, Any],
    ) -> Flow[RunResult]:
        encoding = file_encoding_strategy or self._file_encoding_strategy
        if isinstance(ref, Target):  # deployments.run: no version is named, so no schema
            return self._deployment_run_flow(ref, input, wait, encoding, options)
        return _predict.run(
            ref,
            input,
            poll_interval=self._core.config.poll_interval,
            schema_cache=self._core.schema_cache,
            wait=wait,
            file_encoding_strategy=encoding,
            **options,
        )

    def _deployment_run_flow(
        self,
        target: Target,
        input: Mapping[str, Any] | None,
        wait: bool | int | float,
        file_encoding_strategy: FileEncodingStrategy | None,
        options: Mapping[str, Any],
    ) -> Flow[RunResult]:
        data = yield from _predict.create_prediction(
            target, input, file_encoding_strategy=file_encoding_strategy, wait=wait, **options
        )
        data = yield from _flows.poll(data, _flows.get_prediction, self._core.config.poll_interval)
        return RunResult(prediction=data, output_schema=None, iterator=False)

    def _output_transform(
        self, schema: Mapping[str, Any] | None, use_file_output: bool | None
    ) -> Callable[[Any], Any]:
        wrap = self._use_file_output if use_file_output is None else use_file_output
        if not wrap:
            return lambda value: value
        known = dict(schema) if schema else None
        return lambda value: transform_output(value, self._core, known)

    def _finish(self, result: RunResult, use_file_output: bool | None) -> Any:
        prediction = Prediction.from_dict(result.prediction, self._core)
        _check_outcome(prediction)
        return self._output_transform(result.output_schema, use_file_output)(prediction.output)

    def _iterate_output(self, result: RunResult, use_file_output: bool | None) -> Iterator[Any]:
        prediction = Prediction.from_dict(result.prediction, self._core)
        transform = self._output_transform(item_schema(result.output_schema), use_file_output)
        for item in prediction.output_iterator():
            yield transform(item)
        _check_outcome(prediction)

    async def _aiterate_output(
        self, result: RunResult, use_file_output: bool | None
    ) -> AsyncIterator[Any]:
        prediction = Prediction.from_dict(result.prediction, self._core)
        transform = self._output_transform(item_schema(result.output_schema), use_file_output)
        async for item in prediction.async_output_iterator():
            yield transform(item)
        _check_outcome(prediction)

    def _stream_create(
        self,
        ref: Any,
        input: Mapping[str, Any] | None,
        file_encoding_strategy: FileEncodingStrategy | None,
        options: Mapping[str, Any],
    ) -> Flow[Prediction]:
        target, _, _ = _predict.run_ref(ref)
        data = yield from _predict.create_prediction(
            target,
            input,
            file_encoding_strategy=file_encoding_strategy or self._file_encoding_strategy,
            **options,
        )
        return Prediction.from_dict(data, self._core)

    def _sync_run(
        self,
        ref: Any,
        input: Mapping[str, Any] | None,
        *,
        use_file_output: bool | None = None,
        wait: bool | int | float = True,
        file_encoding_strategy: FileEncodingStrategy | None = None,
        **options: Any,
    ) -> Any:
        result = self._core.execute(
            self._run_flow(ref, input, wait, file_encoding_strategy, options)
        )
        if result.iterator:
            return self._iterate_output(result, use_file_output)
        return self._finish(result, use_file_output)

    async def _async_run(
        self,
        ref: Any,
        input: Mapping[str, Any] | None,
        *,
        use_file_output: bool | None = None,
        wait: bool | int | float = True,
        file_encoding_strategy: FileEncodingStrategy | None = None,
        **options: Any,
    ) -> Any:
        result = await self._core.aexecute(
            self._run_flow(ref, input, wait, file_encoding_strategy, options)
        )
        if result.iterator:
            return self._aiterate_output(result, use_file_output)
        return self._finish(result, use_file_output)


class Client(_Base):
    """Blocking client with ``async_*`` twins, call-compatible with the official ``replicate.Client``.

    Example::

        client = Client(api_token="r8_...", base_url="http://127.0.0.1:8000")
        print(client.run("replicate/hello-world", input={"text": "you"}))

    Options: ``timeout`` (seconds or ``httpx.Timeout``), ``max_retries`` (or a full
    ``retry=RetryPolicy(...)``), ``poll_interval`` (default from
    ``REPLICATE_POLL_INTERVAL`` or 0.5 s), ``use_file_output`` (wrap file URLs as
    :class:`~replicate_kit.helpers.FileOutput`), ``file_encoding_strategy``
    (``"url"`` uploads input files, ``"base64"`` inlines them), ``http_client`` /
    ``async_http_client`` (your own httpx clients), ``transport`` (``"http"``, or ``"grpc"``
    with ``grpc_target="host:port"``: same API, objects, errors and retry rules over gRPC;
    defaults from ``REPLICATE_TRANSPORT`` and ``REPLICATE_GRPC_TARGET``; an ``httpx``
    transport such as ``httpx.MockTransport`` is accepted too, as by the official client).
    Any other keyword argument is an ``httpx.Client`` setting (``verify=``, ``proxy=``,
    ``limits=``, ``follow_redirects=``, ...), as with the official client::

        client = Client(api_token="r8_...", verify="/etc/ssl/corp-ca.pem", proxy="http://proxy:3128")
    """

    def __init__(
        self,
        api_token: str | None = None,
        *,
        base_url: str | None = None,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        retry: RetryPolicy | None = None,
        poll_interval: float | None = None,
        transport: TransportName | SyncTransport | HTTPXTransport | None = None,
        use_file_output: bool = True,
        file_encoding_strategy: FileEncodingStrategy | None = None,
        http_client: httpx.Client | None = None,
        async_http_client: httpx.AsyncClient | None = None,
        user_agent: str | None = None,
        headers: Mapping[str, str] | None = None,
        grpc_target: str | None = None,
        **httpx_settings: Any,
    ) -> None:
        self._httpx_settings = httpx_settings
        self._options = {
            "base_url": base_url,
            "timeout": timeout,
            "max_retries": max_retries,
            "retry": retry,
            "poll_interval": poll_interval,
            "transport": transport,
            "use_file_output": use_file_output,
            "file_encoding_strategy": file_encoding_strategy,
            "http_client": http_client,
            "async_http_client": async_http_client,
            "user_agent": user_agent,
            "headers": headers,
            "grpc_target": grpc_target,
        }
        self._setup(
            api_token,
            **self._options,  # type: ignore[arg-type]
            httpx_options=httpx_settings,
        )

    def with_options(self, **overrides: Any) -> Client:
        """A new client with some options changed (shares nothing mutable)."""
        options = {**self._options, **self._httpx_settings, **overrides}
        token = overrides.pop("api_token", self._core.config.api_token)
        options.pop("api_token", None)
        return type(self)(token, **options)

    @property
    def with_raw_response(self) -> ClientWithRawResponse:
        """The same one-call methods, returning a :class:`~replicate_kit.RawResponse`.

        ``.status_code``, ``.headers`` (case-insensitive), ``.parse()`` (the usual typed
        result) and ``.http_response`` (the ``httpx.Response``; None on gRPC, where
        ``status_code`` is 200 for any successful RPC and ``headers`` holds the response
        metadata). Retries and typed errors are unchanged; ``run``, ``stream`` and
        ``iter`` make several calls and raise ``TypeError`` here.

        Example::

            raw = client.with_raw_response.predictions.get(prediction_id)
            print(raw.status_code, raw.headers.get("ratelimit-remaining"))
            prediction = raw.parse()
            page = await client.with_raw_response.predictions.async_list()  # async twins too
        """
        # Imported on first use: most programs never ask for raw responses.
        from replicate_kit._raw_resources import ClientWithRawResponse

        return ClientWithRawResponse(self)

    # resources
    @property
    def predictions(self) -> Predictions:
        """Predictions."""
        return Predictions(self._core)

    @property
    def models(self) -> Models:
        """Models, versions, examples, readme."""
        return Models(self._core)

    @property
    def deployments(self) -> Deployments:
        """Deployments."""
        return Deployments(self._core, self._sync_run, self._async_run)

    @property
    def trainings(self) -> Trainings:
        """Trainings."""
        return Trainings(self._core)

    @property
    def files(self) -> Files:
        """Files API."""
        return Files(self._core)

    @property
    def hardware(self) -> HardwareResource:
        """Hardware SKUs."""
        return HardwareResource(self._core)

    @property
    def collections(self) -> Collections:
        """Collections."""
        return Collections(self._core)

    @property
    def accounts(self) -> Accounts:
        """The token's account (``accounts.current()``)."""
        return Accounts(self._core)

    account = accounts

    @property
    def webhooks(self) -> Webhooks:
        """Webhook secret and validation."""
        return Webhooks(self._core)

    @property
    def search(self) -> Search:
        """``client.search("query")``."""
        return Search(self._core)

    # run / stream
    def run(
        self,
        ref: Any,
        input: Mapping[str, Any] | None = None,
        *,
        use_file_output: bool | None = None,
        wait: bool | int | float = True,
        webhook: str | None = None,
        webhook_completed: str | None = None,
        webhook_events_filter: Sequence[WebhookEvent] | None = None,
        cancel_after: str | int | float | None = None,
        file_encoding_strategy: FileEncodingStrategy | None = None,
    ) -> Any:
        """Run a model and return its output.

        ``ref`` is ``"owner/name"`` (official models), ``"owner/name:version"``, a
        64-hex version id, or a ``Model``/``Version``. Holds the create request
        (``Prefer: wait``) then polls until terminal. Raises ``ModelError`` if the
        prediction failed or was aborted. File outputs become ``FileOutput``;
        iterator outputs of a named version come back as an iterator.

        Example::

            client.run("replicate/hello-world:5c7d...", input={"text": "Alice"})  # 'hello Alice'
        """
        return self._sync_run(
            ref,
            input,
            use_file_output=use_file_output,
            wait=wait,
            file_encoding_strategy=file_encoding_strategy,
            **_webhook_options(webhook, webhook_completed, webhook_events_filter, cancel_after),
        )

    async def async_run(
        self,
        ref: Any,
        input: Mapping[str, Any] | None = None,
        *,
        use_file_output: bool | None = None,
        wait: bool | int | float = True,
        webhook: str | None = None,
        webhook_completed: str | None = None,
        webhook_events_filter: Sequence[WebhookEvent] | None = None,
        cancel_after: str | int | float | None = None,
        file_encoding_strategy: FileEncodingStrategy | None = None,
    ) -> Any:
        """Async :meth:`run` (iterator outputs come back as async iterators)."""
        return await self._async_run(
            ref,
            input,
            use_file_output=use_file_output,
            wait=wait,
            file_encoding_strategy=file_encoding_strategy,
            **_webhook_options(webhook, webhook_completed, webhook_events_filter, cancel_after),
        )

    def stream(
        self,
        ref: Any,
        input: Mapping[str, Any] | None = None,
        *,
        webhook: str | None = None,
        webhook_events_filter: Sequence[WebhookEvent] | None = None,
        cancel_after: str | int | float | None = None,
        file_encoding_strategy: FileEncodingStrategy | None = None,
        use_file_output: bool | None = None,
    ) -> Iterator[ServerSentEvent]:
        """Run a model and yield its server-sent events as they happen.

        ``str(event)`` is the output text. A dropped connection resumes with
        ``Last-Event-ID``; unknown events are skipped; an ``error`` raises
        :class:`~replicate_kit.exceptions.StreamError`. ``use_file_output=True``
        makes file outputs :class:`~replicate_kit.helpers.FileOutput` objects in
        ``event.data`` (see :meth:`Prediction.stream`); by default data stays text.

        Example::

            for event in client.stream("meta/meta-llama-3-8b-instruct", input={"prompt": "Hi"}):
                print(event, end="")
        """
        options = _webhook_options(webhook, None, webhook_events_filter, cancel_after)
        create = self._stream_create(ref, input, file_encoding_strategy, options)
        prediction = self._core.execute(create)
        return prediction.stream(use_file_output=use_file_output)

    def async_stream(
        self,
        ref: Any,
        input: Mapping[str, Any] | None = None,
        *,
        webhook: str | None = None,
        webhook_events_filter: Sequence[WebhookEvent] | None = None,
        cancel_after: str | int | float | None = None,
        file_encoding_strategy: FileEncodingStrategy | None = None,
        use_file_output: bool | None = None,
    ) -> _AwaitableAsyncIterator[ServerSentEvent]:
        """Async :meth:`stream`: use ``async for e in client.async_stream(...)`` (awaiting first also works)."""
        options = _webhook_options(webhook, None, webhook_events_filter, cancel_after)
        create = self._stream_create(ref, input, file_encoding_strategy, options)

        async def events() -> AsyncIterator[ServerSentEvent]:
            prediction = await self._core.aexecute(create)
            async for event in prediction.async_stream(use_file_output=use_file_output):
                yield event

        return _AwaitableAsyncIterator(events())

    # lifecycle
    def close(self) -> None:
        """Close the blocking connection pool."""
        self._core.close()

    async def aclose(self) -> None:
        """Close the async connection pool."""
        await self._core.aclose()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()


def _webhook_options(
    webhook: str | None,
    webhook_completed: str | None,
    webhook_events_filter: Sequence[WebhookEvent] | None,
    cancel_after: str | int | float | None,
) -> dict[str, Any]:
    options: dict[str, Any] = {}
    if webhook is not None:
        options["webhook"] = webhook
    if webhook_completed is not None:
        options["webhook_completed"] = webhook_completed
    if webhook_events_filter is not None:
        options["webhook_events_filter"] = webhook_events_filter
    if cancel_after is not None:
        options["cancel_after"] = cancel_after
    return options


# -- AsyncClient ------------------------------------------------------------------------------


class _AsyncView:
    """Names the ``async_*`` methods of a resource without the prefix."""


class AsyncPredictions(_AsyncView):
    """``await client.predictions.create(...)`` etc."""

    def __init__(self, inner: Predictions) -> None:
        self.create = inner.async_create
        self.get = inner.async_get
        self.list = inner.async_list
        self.iter = inner.async_iter
        self.cancel = inner.async_cancel


class AsyncModelsPredictions(_AsyncView):
    """Predictions of official models."""

    def __init__(self, inner: Models) -> None:
        self.create = inner.predictions.async_create


class AsyncVersions(_AsyncView):
    """Versions of one model, awaitable: ``await client.models.versions("o/n").list()``."""

    def __init__(self, inner: Versions) -> None:
        self.get = inner.async_get
        self.list = inner.async_list
        self.delete = inner.async_delete


class AsyncModels(_AsyncView):
    """Async models resource."""

    def versions(self, *args: str, **kwargs: str) -> AsyncVersions:
        """Versions of ``"owner/name"`` (or ``owner, name``)."""
        return AsyncVersions(self._inner.versions(*args, **kwargs))

    def __init__(self, inner: Models) -> None:
        self._inner = inner
        self.get = inner.async_get
        self.list = inner.async_list
        self.search = inner.async_search
        self.create = inner.async_create
        self.update = inner.async_update
        self.delete = inner.async_delete
        self.examples = inner.async_examples
        self.readme = inner.async_readme
        self.predictions = AsyncModelsPredictions(inner)


class AsyncDeploymentsPredictions(_AsyncView):
    """Async deployment predictions."""

    def __init__(self, inner: Deployments) -> None:
        self.create = inner.predictions.async_create


class AsyncDeployments(_AsyncView):
    """Async deployments resource."""

    def __init__(self, inner: Deployments) -> None:
        self.get = inner.async_get
        self.list = inner.async_list
        self.create = inner.async_create
        self.update = inner.async_update
        self.delete = inner.async_delete
        self.run = inner.async_run
        self.predictions = AsyncDeploymentsPredictions(inner)


class AsyncTrainings(_AsyncView):
    """Async trainings resource."""

    def __init__(self, inner: Trainings) -> None:
        self.create = inner.async_create
        self.get = inner.async_get
        self.list = inner.async_list
        self.cancel = inner.async_cancel


class AsyncFiles(_AsyncView):
    """Async files resource."""

    def __init__(self, inner: Files) -> None:
        self.create = inner.async_create
        self.get = inner.async_get
        self.list = inner.async_list
        self.delete = inner.async_delete
        self.download = inner.async_download


class AsyncHardware(_AsyncView):
    """Async hardware resource."""

    def __init__(self, inner: HardwareResource) -> None:
        self.list = inner.async_list


class AsyncCollections(_AsyncView):
    """Async collections resource."""

    def __init__(self, inner: Collections) -> None:
        self.list = inner.async_list
        self.get = inner.async_get


class AsyncAccounts(_AsyncView):
    """Async account resource."""

    def __init__(self, inner: Accounts) -> None:
        self.current = inner.async_current
        self.get = inner.async_current


class AsyncWebhookDefaults(_AsyncView):
    """``await client.webhooks.default.secret()``."""

    def __init__(self, inner: Webhooks) -> None:
        self.secret = inner.default.async_secret


class AsyncWebhooks(_AsyncView):
    """Async webhooks resource (``validate`` is synchronous: it does no I/O)."""

    def __init__(self, inner: Webhooks) -> None:
        self.default = AsyncWebhookDefaults(inner)
        self.validate = inner.validate


class AsyncClient(_Base):
    """Asyncio client: the same resources with awaitable methods under plain names.

    Example::

        async with AsyncClient() as client:
            outputs = await asyncio.gather(*(client.run(ref, input={"text": t}) for t in texts))
    """

    def __init__(
        self,
        api_token: str | None = None,
        *,
        base_url: str | None = None,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        retry: RetryPolicy | None = None,
        poll_interval: float | None = None,
        transport: TransportName | SyncTransport | HTTPXTransport | None = None,
        use_file_output: bool = True,
        file_encoding_strategy: FileEncodingStrategy | None = None,
        http_client: httpx.AsyncClient | None = None,
        user_agent: str | None = None,
        headers: Mapping[str, str] | None = None,
        grpc_target: str | None = None,
        **httpx_settings: Any,
    ) -> None:
        self._setup(
            api_token,
            base_url=base_url,
            timeout=timeout,
            max_retries=max_retries,
            retry=retry,
            poll_interval=poll_interval,
            transport=transport,
            use_file_output=use_file_output,
            file_encoding_strategy=file_encoding_strategy,
            http_client=None,
            async_http_client=http_client,
            user_agent=user_agent,
            headers=headers,
            grpc_target=grpc_target,
            httpx_options=httpx_settings,
        )
        self._sync = Client.__new__(Client)
        self._sync._core = self._core
        self._sync._use_file_output = use_file_output
        self._sync._file_encoding_strategy = file_encoding_strategy

    @property
    def with_raw_response(self) -> AsyncClientWithRawResponse:
        """Awaitable one-call methods returning a :class:`~replicate_kit.RawResponse`.

        See :attr:`Client.with_raw_response`.

        Example::

            raw = await client.with_raw_response.predictions.get(prediction_id)
            print(raw.status_code, raw.parse().status)
        """
        from replicate_kit._raw_resources import AsyncClientWithRawResponse

        return AsyncClientWithRawResponse(self._sync)

    @property
    def predictions(self) -> AsyncPredictions:
        """Predictions."""
        return AsyncPredictions(self._sync.predictions)

    @property
    def models(self) -> AsyncModels:
        """Models."""
        return AsyncModels(self._sync.models)

    @property
    def deployments(self) -> AsyncDeployments:
        """Deployments."""
        return AsyncDeployments(self._sync.deployments)

    @property
    def trainings(self) -> AsyncTrainings:
        """Trainings."""
        return AsyncTrainings(self._sync.trainings)

    @property
    def files(self) -> AsyncFiles:
        """Files."""
        return AsyncFiles(self._sync.files)

    @property
    def hardware(self) -> AsyncHardware:
        """Hardware SKUs."""
        return AsyncHardware(self._sync.hardware)

    @property
    def collections(self) -> AsyncCollections:
        """Collections."""
        return AsyncCollections(self._sync.collections)

    @property
    def accounts(self) -> AsyncAccounts:
        """The token's account (``await client.accounts.current()``)."""
        return AsyncAccounts(self._sync.accounts)

    account = accounts

    @property
    def webhooks(self) -> AsyncWebhooks:
        """Webhook secret and ``validate``."""
        return AsyncWebhooks(self._sync.webhooks)

    def search(self, query: str, *, limit: int | None = None) -> Awaitable[Any]:
        """Search models, collections and docs."""
        return Search(self._core).async_search(query, limit=limit)

    async def run(
        self,
        ref: Any,
        input: Mapping[str, Any] | None = None,
        *,
        use_file_output: bool | None = None,
        wait: bool | int | float = True,
        webhook: str | None = None,
        webhook_completed: str | None = None,
        webhook_events_filter: Sequence[WebhookEvent] | None = None,
        cancel_after: str | int | float | None = None,
        file_encoding_strategy: FileEncodingStrategy | None = None,
    ) -> Any:
        """Run a model and return its output (see :meth:`Client.run`)."""
        return await self._sync.async_run(
            ref,
            input,
            use_file_output=use_file_output,
            wait=wait,
            webhook=webhook,
            webhook_completed=webhook_completed,
            webhook_events_filter=webhook_events_filter,
            cancel_after=cancel_after,
            file_encoding_strategy=file_encoding_strategy,
        )

    def stream(
        self,
        ref: Any,
        input: Mapping[str, Any] | None = None,
        *,
        webhook: str | None = None,
        webhook_events_filter: Sequence[WebhookEvent] | None = None,
        cancel_after: str | int | float | None = None,
        file_encoding_strategy: FileEncodingStrategy | None = None,
        use_file_output: bool | None = None,
    ) -> _AwaitableAsyncIterator[ServerSentEvent]:
        """``async for event in client.stream(...)`` (see :meth:`Client.stream`)."""
        return self._sync.async_stream(
            ref,
            input,
            webhook=webhook,
            webhook_events_filter=webhook_events_filter,
            cancel_after=cancel_after,
            file_encoding_strategy=file_encoding_strategy,
            use_file_output=use_file_output,
        )

    async def aclose(self) -> None:
        """Close the connection pool."""
        await self._core.aclose()
        self._core.close()

    close = aclose

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()


__all__ = ["AsyncClient", "Client"]
