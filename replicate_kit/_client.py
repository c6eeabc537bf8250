"""``Client`` (blocking + ``async_`` methods, like the official client), ``AsyncClient`` and
their ``with_raw_response`` views.

All three are one surface (:class:`_Surface`) in different modes (see
:mod:`replicate_kit._methods`): the resources, ``run`` and ``stream`` are written once there.
"""

from __future__ import annotations

import inspect
import os
from collections.abc import AsyncIterator, Callable, Iterator, Mapping, Sequence
from types import TracebackType
from typing import Any, Generic, Self, TypeVar

import httpx

from replicate_kit import _flows, _predict
from replicate_kit._calls import Flow
from replicate_kit._config import ClientConfig
from replicate_kit._core import Core, TransportName
from replicate_kit._files import FileEncodingStrategy
from replicate_kit._methods import (
    Awaiting,
    Blocking,
    Feed,
    M,
    RawAwaiting,
    RawBlocking,
    finishing,
    iterating,
)
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
    DeploymentPredictions,
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

H = TypeVar("H", httpx.Client, httpx.AsyncClient)
#: An httpx transport passed as ``transport=`` (what the official client forwards to httpx).
HTTPXTransport = httpx.BaseTransport | httpx.AsyncBaseTransport

#: Environment defaults for ``transport`` and ``grpc_target`` (e.g. for the module-level client).
TRANSPORT_ENV = "REPLICATE_TRANSPORT"
GRPC_TARGET_ENV = "REPLICATE_GRPC_TARGET"
_RUN = "with_raw_response.predictions.create(...), then with_raw_response.predictions.get(id)"


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


class _ClientCore(Core):
    """The core objects are bound to: it also hands them the resources they open."""

    def model_versions(self, owner: str, name: str) -> Versions[Blocking]:
        return Versions(self, Blocking, owner, name)

    def deployment_predictions(self, owner: str, name: str) -> DeploymentPredictions[Blocking]:
        return DeploymentPredictions(self, Blocking, owner, name)


def _finish_run(
    surface: _Surface[Any], finished: tuple[RunResult, bool | None], awaited: bool
) -> Any:
    result, use_file_output = finished
    return surface._run_output(result, use_file_output, awaited)


class _Surface(Generic[M]):
    """The resources, ``run`` and ``stream`` of a client, in one mode."""

    _core: _ClientCore
    _mode: type[M]
    _use_file_output: bool
    _file_encoding_strategy: FileEncodingStrategy | None

    def _engine(self) -> _ClientCore:
        return self._core

    # -- resources ----------------------------------------------------------------------------

    @property
    def predictions(self) -> Predictions[M]:
        """Predictions."""
        return Predictions(self._core, self._mode)

    @property
    def models(self) -> Models[M]:
        """Models, versions, examples, readme."""
        return Models(self._core, self._mode)

    @property
    def deployments(self) -> Deployments[M]:
        """Deployments."""
        return Deployments(self._core, self._mode, self)

    @property
    def trainings(self) -> Trainings[M]:
        """Trainings."""
        return Trainings(self._core, self._mode)

    @property
    def files(self) -> Files[M]:
        """Files API."""
        return Files(self._core, self._mode)

    @property
    def hardware(self) -> HardwareResource[M]:
        """Hardware SKUs."""
        return HardwareResource(self._core, self._mode)

    @property
    def collections(self) -> Collections[M]:
        """Collections."""
        return Collections(self._core, self._mode)

    @property
    def accounts(self) -> Accounts[M]:
        """The token's account (``accounts.current()``)."""
        return Accounts(self._core, self._mode)

    account = accounts

    @property
    def webhooks(self) -> Webhooks[M]:
        """Webhook secret and validation."""
        return Webhooks(self._core, self._mode)

    @property
    def search(self) -> Search[M]:
        """``client.search("query")``."""
        return Search(self._core, self._mode)

    # -- run / stream -------------------------------------------------------------------------

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
            poll_interval=self._core.poll_interval,
            schema_cache=self._core.schema_cache,
            reconciler=self._core.reconciler,
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
            target,
            input,
            reconciler=self._core.reconciler,
            file_encoding_strategy=file_encoding_strategy,
            wait=wait,
            **options,
        )
        data = yield from _flows.poll(data, _flows.get_prediction, self._core.poll_interval)
        return RunResult(prediction=data, output_schema=None, iterator=False)

    def _output_transform(
        self, schema: Mapping[str, Any] | None, use_file_output: bool | None
    ) -> Callable[[Any], Any]:
        wrap = self._use_file_output if use_file_output is None else use_file_output
        if not wrap:
            return lambda value: value
        known = dict(schema) if schema else None
        return lambda value: transform_output(value, self._core, known)

    def _run_output(self, result: RunResult, use_file_output: bool | None, awaited: bool) -> Any:
        """What ``run()`` returns for a finished run flow (an iterator for iterator outputs)."""
        prediction = Prediction.from_dict(result.prediction, self._core)
        if not result.iterator:
            _check_outcome(prediction)
            return self._output_transform(result.output_schema, use_file_output)(prediction.output)
        transform = self._output_transform(item_schema(result.output_schema), use_file_output)
        if awaited:
            return self._aiterate_output(prediction, transform)
        return self._iterate_output(prediction, transform)

    @staticmethod
    def _iterate_output(prediction: Prediction, transform: Callable[[Any], Any]) -> Iterator[Any]:
        yield from map(transform, prediction.output_iterator())
        _check_outcome(prediction)

    @staticmethod
    async def _aiterate_output(
        prediction: Prediction, transform: Callable[[Any], Any]
    ) -> AsyncIterator[Any]:
        async for item in prediction.async_output_iterator():
            yield transform(item)
        _check_outcome(prediction)

    @finishing(_finish_run, instead=_RUN)
    def run(
        self,
        /,
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
    ) -> Flow[tuple[RunResult, bool | None]]:
        """Run a model and return its output.

        ``ref`` is ``"owner/name"`` (official models), ``"owner/name:version"``, a
        64-hex version id, or a ``Model``/``Version``. Holds the create request
        (``Prefer: wait``) then polls until terminal. Raises ``ModelError`` if the
        prediction failed or was aborted. File outputs become ``FileOutput``;
        iterator outputs of a named version come back as an iterator.

        Example::

            client.run("replicate/hello-world:5c7d...", input={"text": "Alice"})  # 'hello Alice'
        """
        options = _webhook_options(webhook, webhook_completed, webhook_events_filter, cancel_after)
        result = yield from self._run_flow(ref, input, wait, file_encoding_strategy, options)
        return result, use_file_output

    @iterating("with_raw_response.predictions.create(..., stream=True)")
    def stream(
        self,
        /,
        ref: Any,
        input: Mapping[str, Any] | None = None,
        *,
        webhook: str | None = None,
        webhook_events_filter: Sequence[WebhookEvent] | None = None,
        cancel_after: str | int | float | None = None,
        file_encoding_strategy: FileEncodingStrategy | None = None,
        use_file_output: bool | None = None,
    ) -> Flow[Feed[ServerSentEvent]]:
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
        target, _, _ = _predict.run_ref(ref)
        data = yield from _predict.create_prediction(
            target,
            input,
            reconciler=self._core.reconciler,
            file_encoding_strategy=file_encoding_strategy or self._file_encoding_strategy,
            **_webhook_options(webhook, None, webhook_events_filter, cancel_after),
        )
        prediction = Prediction.from_dict(data, self._core)
        return (yield from Prediction.stream.flow(prediction, use_file_output))

    async_run = run.async_form()
    async_stream = stream.async_form()


class _Client(_Surface[M], Generic[M, H]):
    """Configuration shared by :class:`Client` and :class:`AsyncClient`.

    ``http_client`` is an ``httpx.Client`` for ``Client`` and an ``httpx.AsyncClient`` for
    ``AsyncClient`` (which also accepts it as ``async_http_client``).
    """

    _mode: type[M]

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
        http_client: H | None = None,
        async_http_client: httpx.AsyncClient | None = None,
        user_agent: str | None = None,
        headers: Mapping[str, str] | None = None,
        grpc_target: str | None = None,
        **httpx_settings: Any,
    ) -> None:
        self._httpx_settings = httpx_settings
        self._options: dict[str, Any] = {
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
        if isinstance(http_client, httpx.AsyncClient):  # AsyncClient's own
            http_client, async_http_client = None, http_client
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
            httpx_settings, http_client or async_http_client, type(self).__name__
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
        self._core = _ClientCore(
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

    def with_options(self, **overrides: Any) -> Self:
        """A new client with some options changed (shares nothing mutable)."""
        options = {**self._options, **self._httpx_settings, **overrides}
        token = overrides.pop("api_token", self._core.config.api_token)
        options.pop("api_token", None)
        return type(self)(token, **options)

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


class Client(_Client[Blocking, httpx.Client]):
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

    _mode = Blocking

    @property
    def with_raw_response(self) -> WithRawResponse[RawBlocking]:
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
        return WithRawResponse(self, RawBlocking)

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


class AsyncClient(_Client[Awaiting, httpx.AsyncClient]):
    """Asyncio client: the same resources with awaitable methods under plain names.

    Example::

        async with AsyncClient() as client:
            outputs = await asyncio.gather(*(client.run(ref, input={"text": t}) for t in texts))
    """

    _mode = Awaiting

    @property
    def with_raw_response(self) -> WithRawResponse[RawAwaiting]:
        """Awaitable one-call methods returning a :class:`~replicate_kit.RawResponse`.

        See :attr:`Client.with_raw_response`.

        Example::

            raw = await client.with_raw_response.predictions.get(prediction_id)
            print(raw.status_code, raw.parse().status)
        """
        return WithRawResponse(self, RawAwaiting)

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


class WithRawResponse(_Surface[M]):
    """``client.with_raw_response``: the client's one-call methods, returning ``RawResponse``.

    The same resources in a raw mode: blocking for ``Client`` (with ``async_`` twins),
    awaitable for ``AsyncClient``. ``run``, ``stream`` and ``iter`` make several calls and
    raise ``TypeError`` naming what to use instead.

    Example::

        raw = client.with_raw_response.predictions.create(version=VERSION_ID, input={"text": "hi"})
        assert raw.status_code == 201
        prediction = raw.parse()
    """

    def __init__(self, client: _Client[Any, Any], mode: type[M]) -> None:
        self._core = client._core
        self._mode = mode
        self._use_file_output = client._use_file_output
        self._file_encoding_strategy = client._file_encoding_strategy


__all__ = ["AsyncClient", "Client"]
