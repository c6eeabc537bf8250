"""``client.with_raw_response``: each resource method that makes one API call, returning a
:class:`~replicate_kit._raw.RawResponse` instead of the bare result.

``*WithRawResponse`` views serve :class:`~replicate_kit.Client` (plain methods and their
``async_`` twins); ``Async*WithRawResponse`` views serve :class:`~replicate_kit.AsyncClient`
(awaitable methods under the plain names). Methods that make several calls (``run``,
``stream``, ``iter``) raise ``TypeError`` naming what to use instead.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NoReturn

from replicate_kit._raw import async_raw, not_raw, raw
from replicate_kit.resources import (
    Accounts,
    Collections,
    Deployments,
    Files,
    HardwareResource,
    Models,
    Predictions,
    Trainings,
    Versions,
    Webhooks,
)

if TYPE_CHECKING:
    from replicate_kit._client import Client

_PAGES = "with_raw_response.{}.list(cursor), one page at a time"
_RUN = "with_raw_response.predictions.create(...), then with_raw_response.predictions.get(id)"


def _validate_is_local() -> NoReturn:
    raise TypeError(
        "webhooks.validate makes no API call, so it has no raw response; "
        "call client.webhooks.validate(...) directly"
    )


# -- views for Client (plain methods and async_ twins) ----------------------------------------


class PredictionsWithRawResponse:
    """``client.with_raw_response.predictions``: create, get, list, cancel."""

    def __init__(self, predictions: Predictions) -> None:
        self.create = raw(predictions.create)
        self.get = raw(predictions.get)
        self.list = raw(predictions.list)
        self.cancel = raw(predictions.cancel)
        self.async_create = async_raw(predictions.async_create)
        self.async_get = async_raw(predictions.async_get)
        self.async_list = async_raw(predictions.async_list)
        self.async_cancel = async_raw(predictions.async_cancel)

    def iter(self, *args: Any, **kwargs: Any) -> NoReturn:
        """Not raw-able: it fetches page after page."""
        not_raw("predictions.iter()", _PAGES.format("predictions"))

    def async_iter(self, *args: Any, **kwargs: Any) -> NoReturn:
        """Not raw-able: it fetches page after page."""
        not_raw("predictions.async_iter()", _PAGES.format("predictions"))


class VersionsWithRawResponse:
    """``client.with_raw_response.models.versions("owner/name")``: get, list, delete."""

    def __init__(self, versions: Versions) -> None:
        self.get = raw(versions.get)
        self.list = raw(versions.list)
        self.delete = raw(versions.delete)
        self.async_get = async_raw(versions.async_get)
        self.async_list = async_raw(versions.async_list)
        self.async_delete = async_raw(versions.async_delete)


class ModelsPredictionsWithRawResponse:
    """``client.with_raw_response.models.predictions``: create."""

    def __init__(self, models: Models) -> None:
        self.create = raw(models.predictions.create)
        self.async_create = async_raw(models.predictions.async_create)


class ModelsWithRawResponse:
    """``client.with_raw_response.models``: get, list, search, create, update, delete, ..."""

    def __init__(self, models: Models) -> None:
        self._models = models
        self.get = raw(models.get)
        self.list = raw(models.list)
        self.search = raw(models.search)
        self.create = raw(models.create)
        self.update = raw(models.update)
        self.delete = raw(models.delete)
        self.examples = raw(models.examples)
        self.readme = raw(models.readme)
        self.async_get = async_raw(models.async_get)
        self.async_list = async_raw(models.async_list)
        self.async_search = async_raw(models.async_search)
        self.async_create = async_raw(models.async_create)
        self.async_update = async_raw(models.async_update)
        self.async_delete = async_raw(models.async_delete)
        self.async_examples = async_raw(models.async_examples)
        self.async_readme = async_raw(models.async_readme)
        self.predictions = ModelsPredictionsWithRawResponse(models)

    def versions(self, *args: str, **kwargs: str) -> VersionsWithRawResponse:
        """Versions of ``"owner/name"`` (or ``owner, name``)."""
        return VersionsWithRawResponse(self._models.versions(*args, **kwargs))

    def iter(self, *args: Any, **kwargs: Any) -> NoReturn:
        """Not raw-able: it fetches page after page."""
        not_raw("models.iter()", _PAGES.format("models"))


class DeploymentsPredictionsWithRawResponse:
    """``client.with_raw_response.deployments.predictions``: create."""

    def __init__(self, deployments: Deployments) -> None:
        self.create = raw(deployments.predictions.create)
        self.async_create = async_raw(deployments.predictions.async_create)


class DeploymentsWithRawResponse:
    """``client.with_raw_response.deployments``: get, list, create, update, delete."""

    def __init__(self, deployments: Deployments) -> None:
        self.get = raw(deployments.get)
        self.list = raw(deployments.list)
        self.create = raw(deployments.create)
        self.update = raw(deployments.update)
        self.delete = raw(deployments.delete)
        self.async_get = async_raw(deployments.async_get)
        self.async_list = async_raw(deployments.async_list)
        self.async_create = async_raw(deployments.async_create)
        self.async_update = async_raw(deployments.async_update)
        self.async_delete = async_raw(deployments.async_delete)
        self.predictions = DeploymentsPredictionsWithRawResponse(deployments)

    def run(self, *args: Any, **kwargs: Any) -> NoReturn:
        """Not raw-able: it creates a prediction, then polls it."""
        not_raw("deployments.run()", "with_raw_response.deployments.predictions.create(...)")

    def async_run(self, *args: Any, **kwargs: Any) -> NoReturn:
        """Not raw-able: it creates a prediction, then polls it."""
        not_raw("deployments.async_run()", "with_raw_response.deployments.predictions.create(...)")


class TrainingsWithRawResponse:
    """``client.with_raw_response.trainings``: create, get, list, cancel."""

    def __init__(self, trainings: Trainings) -> None:
        self.create = raw(trainings.create)
        self.get = raw(trainings.get)
        self.list = raw(trainings.list)
        self.cancel = raw(trainings.cancel)
        self.async_create = async_raw(trainings.async_create)
        self.async_get = async_raw(trainings.async_get)
        self.async_list = async_raw(trainings.async_list)
        self.async_cancel = async_raw(trainings.async_cancel)


class FilesWithRawResponse:
    """``client.with_raw_response.files``: create, get, list, delete, download."""

    def __init__(self, files: Files) -> None:
        self.create = raw(files.create)
        self.get = raw(files.get)
        self.list = raw(files.list)
        self.delete = raw(files.delete)
        self.download = raw(files.download)
        self.async_create = async_raw(files.async_create)
        self.async_get = async_raw(files.async_get)
        self.async_list = async_raw(files.async_list)
        self.async_delete = async_raw(files.async_delete)
        self.async_download = async_raw(files.async_download)


class HardwareWithRawResponse:
    """``client.with_raw_response.hardware``: list."""

    def __init__(self, hardware: HardwareResource) -> None:
        self.list = raw(hardware.list)
        self.async_list = async_raw(hardware.async_list)


class CollectionsWithRawResponse:
    """``client.with_raw_response.collections``: list, get."""

    def __init__(self, collections: Collections) -> None:
        self.list = raw(collections.list)
        self.get = raw(collections.get)
        self.async_list = async_raw(collections.async_list)
        self.async_get = async_raw(collections.async_get)


class AccountsWithRawResponse:
    """``client.with_raw_response.account``: current (alias get)."""

    def __init__(self, accounts: Accounts) -> None:
        self.current = raw(accounts.current)
        self.get = self.current
        self.async_current = async_raw(accounts.async_current)
        self.async_get = self.async_current


class WebhookDefaultsWithRawResponse:
    """``client.with_raw_response.webhooks.default``: secret."""

    def __init__(self, webhooks: Webhooks) -> None:
        self.secret = raw(webhooks.default.secret)
        self.async_secret = async_raw(webhooks.default.async_secret)


class WebhooksWithRawResponse:
    """``client.with_raw_response.webhooks``: default.secret."""

    def __init__(self, webhooks: Webhooks) -> None:
        self.default = WebhookDefaultsWithRawResponse(webhooks)

    def validate(self, *args: Any, **kwargs: Any) -> NoReturn:
        """Not raw-able: it checks a signature locally."""
        _validate_is_local()


class ClientWithRawResponse:
    """``client.with_raw_response``: the client's one-call methods, returning ``RawResponse``.

    Example::

        raw = client.with_raw_response.predictions.create(version=VERSION_ID, input={"text": "hi"})
        assert raw.status_code == 201
        prediction = raw.parse()
    """

    def __init__(self, client: Client) -> None:
        self._client = client
        self.search = raw(client.search.__call__)
        self.async_search = async_raw(client.search.async_search)

    @property
    def predictions(self) -> PredictionsWithRawResponse:
        """Predictions: create, get, list, cancel."""
        return PredictionsWithRawResponse(self._client.predictions)

    @property
    def models(self) -> ModelsWithRawResponse:
        """Models, their versions and official-model predictions."""
        return ModelsWithRawResponse(self._client.models)

    @property
    def deployments(self) -> DeploymentsWithRawResponse:
        """Deployments and their predictions."""
        return DeploymentsWithRawResponse(self._client.deployments)

    @property
    def trainings(self) -> TrainingsWithRawResponse:
        """Trainings."""
        return TrainingsWithRawResponse(self._client.trainings)

    @property
    def files(self) -> FilesWithRawResponse:
        """Files."""
        return FilesWithRawResponse(self._client.files)

    @property
    def hardware(self) -> HardwareWithRawResponse:
        """Hardware SKUs."""
        return HardwareWithRawResponse(self._client.hardware)

    @property
    def collections(self) -> CollectionsWithRawResponse:
        """Collections."""
        return CollectionsWithRawResponse(self._client.collections)

    @property
    def accounts(self) -> AccountsWithRawResponse:
        """The token's account."""
        return AccountsWithRawResponse(self._client.accounts)

    @property
    def webhooks(self) -> WebhooksWithRawResponse:
        """The default webhook signing secret."""
        return WebhooksWithRawResponse(self._client.webhooks)

    account = accounts

    def run(self, *args: Any, **kwargs: Any) -> NoReturn:
        """Not raw-able: it creates a prediction, then polls it."""
        not_raw("run()", _RUN)

    def async_run(self, *args: Any, **kwargs: Any) -> NoReturn:
        """Not raw-able: it creates a prediction, then polls it."""
        not_raw("async_run()", _RUN)

    def stream(self, *args: Any, **kwargs: Any) -> NoReturn:
        """Not raw-able: it creates a prediction, then follows its event stream."""
        not_raw("stream()", "with_raw_response.predictions.create(..., stream=True)")

    def async_stream(self, *args: Any, **kwargs: Any) -> NoReturn:
        """Not raw-able: it creates a prediction, then follows its event stream."""
        not_raw("async_stream()", "with_raw_response.predictions.create(..., stream=True)")


# -- views for AsyncClient (awaitable methods under the plain names) --------------------------


class AsyncPredictionsWithRawResponse:
    """``async_client.with_raw_response.predictions``: create, get, list, cancel."""

    def __init__(self, predictions: Predictions) -> None:
        self.create = async_raw(predictions.async_create)
        self.get = async_raw(predictions.async_get)
        self.list = async_raw(predictions.async_list)
        self.cancel = async_raw(predictions.async_cancel)

    def iter(self, *args: Any, **kwargs: Any) -> NoReturn:
        """Not raw-able: it fetches page after page."""
        not_raw("predictions.iter()", _PAGES.format("predictions"))


class AsyncVersionsWithRawResponse:
    """``async_client.with_raw_response.models.versions("owner/name")``: get, list, delete."""

    def __init__(self, versions: Versions) -> None:
        self.get = async_raw(versions.async_get)
        self.list = async_raw(versions.async_list)
        self.delete = async_raw(versions.async_delete)


class AsyncModelsPredictionsWithRawResponse:
    """``async_client.with_raw_response.models.predictions``: create."""

    def __init__(self, models: Models) -> None:
        self.create = async_raw(models.predictions.async_create)


class AsyncModelsWithRawResponse:
    """``async_client.with_raw_response.models``: get, list, search, create, update, ..."""

    def __init__(self, models: Models) -> None:
        self._models = models
        self.get = async_raw(models.async_get)
        self.list = async_raw(models.async_list)
        self.search = async_raw(models.async_search)
        self.create = async_raw(models.async_create)
        self.update = async_raw(models.async_update)
        self.delete = async_raw(models.async_delete)
        self.examples = async_raw(models.async_examples)
        self.readme = async_raw(models.async_readme)
        self.predictions = AsyncModelsPredictionsWithRawResponse(models)

    def versions(self, *args: str, **kwargs: str) -> AsyncVersionsWithRawResponse:
        """Versions of ``"owner/name"`` (or ``owner, name``)."""
        return AsyncVersionsWithRawResponse(self._models.versions(*args, **kwargs))


class AsyncDeploymentsPredictionsWithRawResponse:
    """``async_client.with_raw_response.deployments.predictions``: create."""

    def __init__(self, deployments: Deployments) -> None:
        self.create = async_raw(deployments.predictions.async_create)


class AsyncDeploymentsWithRawResponse:
    """``async_client.with_raw_response.deployments``: get, list, create, update, delete."""

    def __init__(self, deployments: Deployments) -> None:
        self.get = async_raw(deployments.async_get)
        self.list = async_raw(deployments.async_list)
        self.create = async_raw(deployments.async_create)
        self.update = async_raw(deployments.async_update)
        self.delete = async_raw(deployments.async_delete)
        self.predictions = AsyncDeploymentsPredictionsWithRawResponse(deployments)

    def run(self, *args: Any, **kwargs: Any) -> NoReturn:
        """Not raw-able: it creates a prediction, then polls it."""
        not_raw("deployments.run()", "with_raw_response.deployments.predictions.create(...)")


class AsyncTrainingsWithRawResponse:
    """``async_client.with_raw_response.trainings``: create, get, list, cancel."""

    def __init__(self, trainings: Trainings) -> None:
        self.create = async_raw(trainings.async_create)
        self.get = async_raw(trainings.async_get)
        self.list = async_raw(trainings.async_list)
        self.cancel = async_raw(trainings.async_cancel)


class AsyncFilesWithRawResponse:
    """``async_client.with_raw_response.files``: create, get, list, delete, download."""

    def __init__(self, files: Files) -> None:
        self.create = async_raw(files.async_create)
        self.get = async_raw(files.async_get)
        self.list = async_raw(files.async_list)
        self.delete = async_raw(files.async_delete)
        self.download = async_raw(files.async_download)


class AsyncHardwareWithRawResponse:
    """``async_client.with_raw_response.hardware``: list."""

    def __init__(self, hardware: HardwareResource) -> None:
        self.list = async_raw(hardware.async_list)


class AsyncCollectionsWithRawResponse:
    """``async_client.with_raw_response.collections``: list, get."""

    def __init__(self, collections: Collections) -> None:
        self.list = async_raw(collections.async_list)
        self.get = async_raw(collections.async_get)


class AsyncAccountsWithRawResponse:
    """``async_client.with_raw_response.account``: current (alias get)."""

    def __init__(self, accounts: Accounts) -> None:
        self.current = async_raw(accounts.async_current)
        self.get = self.current


class AsyncWebhookDefaultsWithRawResponse:
    """``async_client.with_raw_response.webhooks.default``: secret."""

    def __init__(self, webhooks: Webhooks) -> None:
        self.secret = async_raw(webhooks.default.async_secret)


class AsyncWebhooksWithRawResponse:
    """``async_client.with_raw_response.webhooks``: default.secret."""

    def __init__(self, webhooks: Webhooks) -> None:
        self.default = AsyncWebhookDefaultsWithRawResponse(webhooks)

    def validate(self, *args: Any, **kwargs: Any) -> NoReturn:
        """Not raw-able: it checks a signature locally."""
        _validate_is_local()


class AsyncClientWithRawResponse:
    """``async_client.with_raw_response``: awaitable one-call methods returning ``RawResponse``.

    Example::

        raw = await async_client.with_raw_response.predictions.get(prediction_id)
        print(raw.status_code, raw.parse().status)
    """

    def __init__(self, client: Client) -> None:
        self._client = client
        self.search = async_raw(client.search.async_search)

    @property
    def predictions(self) -> AsyncPredictionsWithRawResponse:
        """Predictions: create, get, list, cancel."""
        return AsyncPredictionsWithRawResponse(self._client.predictions)

    @property
    def models(self) -> AsyncModelsWithRawResponse:
        """Models, their versions and official-model predictions."""
        return AsyncModelsWithRawResponse(self._client.models)

    @property
    def deployments(self) -> AsyncDeploymentsWithRawResponse:
        """Deployments and their predictions."""
        return AsyncDeploymentsWithRawResponse(self._client.deployments)

    @property
    def trainings(self) -> AsyncTrainingsWithRawResponse:
        """Trainings."""
        return AsyncTrainingsWithRawResponse(self._client.trainings)

    @property
    def files(self) -> AsyncFilesWithRawResponse:
        """Files."""
        return AsyncFilesWithRawResponse(self._client.files)

    @property
    def hardware(self) -> AsyncHardwareWithRawResponse:
        """Hardware SKUs."""
        return AsyncHardwareWithRawResponse(self._client.hardware)

    @property
    def collections(self) -> AsyncCollectionsWithRawResponse:
        """Collections."""
        return AsyncCollectionsWithRawResponse(self._client.collections)

    @property
    def accounts(self) -> AsyncAccountsWithRawResponse:
        """The token's account."""
        return AsyncAccountsWithRawResponse(self._client.accounts)

    @property
    def webhooks(self) -> AsyncWebhooksWithRawResponse:
        """The default webhook signing secret."""
        return AsyncWebhooksWithRawResponse(self._client.webhooks)

    account = accounts

    def run(self, *args: Any, **kwargs: Any) -> NoReturn:
        """Not raw-able: it creates a prediction, then polls it."""
        not_raw("run()", _RUN)

    def stream(self, *args: Any, **kwargs: Any) -> NoReturn:
        """Not raw-able: it creates a prediction, then follows its event stream."""
        not_raw("stream()", "with_raw_response.predictions.create(..., stream=True)")
