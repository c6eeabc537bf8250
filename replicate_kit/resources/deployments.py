"""``client.deployments``: deployments, their predictions, and ``run``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol, Unpack

from replicate_kit import _predict
from replicate_kit._calls import Call, Flow
from replicate_kit._files import FileEncodingStrategy
from replicate_kit._methods import M, finishing, method
from replicate_kit._predict import PredictionOptions, RunResult
from replicate_kit._refs import split_name
from replicate_kit.resources._base import Cursor, Resource, done, one, page
from replicate_kit.resources.predictions import Predictions
from replicate_kit.types import Binding, Deployment, Page, Prediction


class Runner(Protocol):
    """What ``deployments.run`` borrows from its client: the ``run()`` flow and its output."""

    def _run_flow(
        self,
        ref: Any,
        input: Mapping[str, Any] | None,
        wait: bool | int | float,
        file_encoding_strategy: FileEncodingStrategy | None,
        options: Mapping[str, Any],
    ) -> Flow[RunResult]: ...

    def _run_output(
        self, result: RunResult, use_file_output: bool | None, awaited: bool
    ) -> Any: ...


class DeploymentPredictions(Resource[M]):
    """``deployment.predictions``: predictions of one deployment.

    Example::

        p = client.deployments.get("me/greeter").predictions.create(input={"text": "hi"})
        p.wait()
    """

    _name = "deployment.predictions"

    def __init__(self, core: Binding, mode: type[M], owner: str, name: str) -> None:
        super().__init__(core, mode)
        self._deployment = (owner, name)

    @method
    def create(
        self,
        input: Mapping[str, Any] | None = None,
        **options: Unpack[PredictionOptions],
    ) -> Flow[Prediction]:
        """Create a prediction on this deployment."""
        create = Predictions.create.flow
        return (yield from create(self, deployment=self._deployment, input=input, **options))

    async_create = create.async_form()


class DeploymentsPredictions(Resource[M]):
    """``client.deployments.predictions``: predictions of any deployment by name.

    Example::

        p = client.deployments.predictions.create("me/greeter", input={"text": "hi"}, wait=True)
    """

    _name = "deployments.predictions"

    @method
    def create(
        self,
        /,
        deployment: Any,
        input: Mapping[str, Any] | None = None,
        **options: Unpack[PredictionOptions],
    ) -> Flow[Prediction]:
        """Create a prediction on a deployment."""
        create = Predictions.create.flow
        return (yield from create(self, deployment=deployment, input=input, **options))

    async_create = create.async_form()


def _deployment_path(owner_or_name: str, name: str | None) -> dict[str, str]:
    if name is None:
        owner, name = split_name(owner_or_name, "deployment")
    else:
        owner = owner_or_name
    return {"deployment_owner": owner, "deployment_name": name}


def _finish_run(
    deployments: Deployments[Any], finished: tuple[RunResult, bool | None], awaited: bool
) -> Any:
    result, use_file_output = finished
    return deployments._runner._run_output(result, use_file_output, awaited)


class Deployments(Resource[M]):
    """``client.deployments``: list, get, create, update, delete, predictions, run.

    Example::

        client.deployments.create(
            name="greeter", model="replicate/hello-world", version=VERSION_ID,
            hardware="cpu", min_instances=0, max_instances=1,
        )
        print(client.deployments.run("me/greeter", input={"text": "hi"}))
        client.deployments.update("me", "greeter", max_instances=2)
    """

    _name = "deployments"

    def __init__(self, core: Binding, mode: type[M], runner: Runner) -> None:
        super().__init__(core, mode)
        self._runner = runner

    @property
    def predictions(self) -> DeploymentsPredictions[M]:
        """Predictions on deployments."""
        return DeploymentsPredictions(self._core, self._mode)

    @method
    def get(self, name: str, deployment_name: str | None = None) -> Flow[Deployment]:
        """``get("owner/name")`` (or owner, name)."""
        call = Call("deployments.get", path=_deployment_path(name, deployment_name))
        return (yield from one(call, Deployment, self._core))

    @method
    def list(self, cursor: Cursor = ...) -> Flow[Page[Deployment]]:
        """One page of your deployments."""
        return (yield from page(Call("deployments.list"), cursor, Deployment, self._core))

    @method
    def create(
        self,
        name: str,
        model: str,
        version: str,
        hardware: str,
        min_instances: int,
        max_instances: int,
    ) -> Flow[Deployment]:
        """Create a deployment of ``model`` at ``version``."""
        body = {
            "name": name,
            "model": model,
            "version": version,
            "hardware": hardware,
            "min_instances": min_instances,
            "max_instances": max_instances,
        }
        call = Call("deployments.create", body=body)
        return (yield from one(call, Deployment, self._core))

    @method
    def update(
        self, /, deployment_owner: str, deployment_name: str | None = None, **fields: Any
    ) -> Flow[Deployment]:
        """Change ``version``, ``hardware``, ``min_instances`` or ``max_instances``."""
        path = _deployment_path(deployment_owner, deployment_name)
        call = Call("deployments.update", path=path, body=fields)
        return (yield from one(call, Deployment, self._core))

    @method
    def delete(self, deployment_owner: str, deployment_name: str | None = None) -> Flow[bool]:
        """Delete a deployment."""
        path = _deployment_path(deployment_owner, deployment_name)
        return (yield from done(Call("deployments.delete", path=path)))

    @finishing(_finish_run, instead="with_raw_response.deployments.predictions.create(...)")
    def run(
        self,
        /,
        name: str,
        input: Mapping[str, Any] | None = None,
        *,
        use_file_output: bool | None = None,
        wait: bool | int | float = True,
        file_encoding_strategy: FileEncodingStrategy | None = None,
        **options: Any,
    ) -> Flow[tuple[RunResult, bool | None]]:
        """Run a deployment and return its output (like ``client.run``)."""
        owner, deployment = split_name(name, "deployment")
        target = _predict.Target("deployment", owner, deployment)
        flow = self._runner._run_flow(target, input, wait, file_encoding_strategy, options)
        return ((yield from flow), use_file_output)

    async_get = get.async_form()
    async_list = list.async_form()
    async_create = create.async_form()
    async_update = update.async_form()
    async_delete = delete.async_form()
    async_run = run.async_form()
