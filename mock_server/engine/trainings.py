"""Trainings: jobs of a version's training runner whose success adds a version to a model.

A training is an ordinary `Job` (``kind="training"``) on the clock; the only extra rule is
`complete_training`, applied by the engine when such a job becomes terminal.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

from mock_server.engine import examples
from mock_server.engine.accounts import Account
from mock_server.engine.catalogue import Version
from mock_server.engine.errors import ApiError, not_found, unprocessable
from mock_server.engine.host import Host
from mock_server.engine.ids import stable_hex
from mock_server.engine.jobs import Job
from mock_server.engine.render import render_training as render_training

ROUTE = "trainings.create"


@dataclass(frozen=True)
class TrainingRequest:
    destination: str  # owner/name
    input: dict[str, Any]
    webhook: str | None = None
    webhook_events_filter: list[str] | None = None
    webhook_completed: str | None = None


def destination_missing() -> ApiError:
    return not_found("The specified training destination does not exist")


def create_training(
    engine: Host,
    account: Account,
    model_owner: str,
    model_name: str,
    version_id: str,
    request: TrainingRequest,
) -> Job:
    """Validate everything first (a refused request changes nothing), then start the job."""
    model = engine.get_model(model_owner, model_name, account.username)
    dest_owner, _, dest_name = request.destination.partition("/")
    if engine.config.examples:
        if examples.nameable(version_id):
            examples.ensure_model_version(engine, model.owner, model.name, version_id)
        if examples.nameable(dest_owner, dest_name):
            examples.ensure_model(engine, dest_owner, dest_name)
    base = next((v for v in model.versions if v.id == version_id), None)
    if base is None:
        raise not_found(f"The version {version_id} of {model.full_name} does not exist")
    if base.training_runner is None or base.training_validator is None:
        raise unprocessable(
            "Version not trainable",
            f"The version {version_id} of {model.full_name} cannot be trained",
        )
    destination = engine.catalogue.get(dest_owner, dest_name, account.username)
    mine = destination is not None and (
        destination.owner == account.username or engine.config.examples
    )
    if destination is None or not mine:
        raise destination_missing()
    run_input = base.training_validator.validate(request.input)
    return engine.start_job(
        account,
        model,
        base,
        request.input,
        run_input,
        kind="training",
        runner=base.training_runner,
        route=ROUTE,
        webhook=request.webhook,
        webhook_events_filter=request.webhook_events_filter,
        webhook_completed=request.webhook_completed,
        extra={"destination": destination.full_name, "base": base},
    )


def complete_training(engine: Host, job: Job) -> None:
    """On success, publish the trained version on the destination and name it in the output."""
    if job.status != "succeeded":
        return
    owner, _, name = str(job.extra["destination"]).partition("/")
    destination = engine.catalogue.get(owner, name, job.account)
    if destination is None:  # deleted while the training ran
        job.status = "failed"
        job.error = f"The training destination {owner}/{name} no longer exists"
        job.output = None
        return
    base: Version = job.extra["base"]
    version = Version(
        id=stable_hex("training", job.id),
        model=destination.full_name,
        created_at=job.completed_at if job.completed_at is not None else engine.now(),
        openapi_schema=_prediction_schema(base.openapi_schema),
        runner=base.runner,
        cog_version=base.cog_version,
        origin={"trained_from": base.id},
    )
    engine.catalogue.add_version(destination, version)
    weights = job.output.get("weights") if isinstance(job.output, dict) else job.output
    job.output = {"version": f"{destination.full_name}:{version.id}", "weights": weights}


def _prediction_schema(schema: dict[str, Any]) -> dict[str, Any]:
    """The trained version predicts like its base but is not itself trainable."""
    document = copy.deepcopy(schema)
    schemas = document.get("components", {}).get("schemas", {})
    for component in ("TrainingInput", "TrainingOutput"):
        schemas.pop(component, None)
    return document
