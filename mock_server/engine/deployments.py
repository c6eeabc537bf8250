"""Deployments: the API's rules for creating, updating and deleting them.

The state lives in `deployment_store`; the functions below validate fully before touching it,
so a refused request changes nothing.
"""

from __future__ import annotations

from typing import Any

from mock_server.engine import examples
from mock_server.engine.accounts import Account
from mock_server.engine.bodies import Body
from mock_server.engine.deployment_store import Deployment, Release
from mock_server.engine.errors import not_found, unprocessable
from mock_server.engine.hardware import hardware_field
from mock_server.engine.host import Host

MAX_MIN_INSTANCES = 5
MAX_MAX_INSTANCES = 20
# The real service deletes a deployment only once it has been offline and unused for a while.
IDLE_BEFORE_DELETE = 15 * 60.0


# ----------------------------------------------------------------------------- rules


def get_deployment(engine: Host, account: Account, owner: str, name: str) -> Deployment:
    deployment = engine.deployments.get(owner, name)
    mine = deployment is not None and (
        deployment.owner == account.username or engine.config.examples
    )
    if deployment is None or not mine:
        raise not_found(f"The deployment {owner}/{name} does not exist")
    return deployment


def _check_instances(body: Body, low: int | None, high: int | None) -> None:
    if low is not None and high is not None and low > high:
        body.fail("min_instances", "min_instances must not exceed max_instances", "range")


def _check_version(
    engine: Host, account: Account, body: Body, model_ref: str, version_id: str
) -> None:
    owner, _, name = model_ref.partition("/")
    if engine.config.examples and examples.nameable(owner, name, version_id):
        examples.ensure_model_version(engine, owner, name, version_id)
    model = engine.catalogue.get(owner, name, account.username) if owner and name else None
    if model is None:
        body.fail("model", f"The model {model_ref} does not exist or is not yours to deploy")
    elif all(v.id != version_id for v in model.versions):
        body.fail("version", f"The version {version_id} does not belong to {model_ref}")


def create_deployment(engine: Host, account: Account, raw: Any) -> Deployment:
    fields = ("name", "model", "version", "hardware", "min_instances", "max_instances")
    body = Body(raw, allowed=fields, required=fields)
    name = body.name("name")
    model_ref = body.nonempty("model")
    if model_ref is not None and engine.config.examples and "/" not in model_ref:
        model_ref = f"{account.username}/{model_ref}"  # a bare placeholder: one of the caller's
    version_id = body.nonempty("version")
    hardware = hardware_field(engine, body)
    low = body.integer("min_instances", 0, MAX_MIN_INSTANCES)
    high = body.integer("max_instances", 0, MAX_MAX_INSTANCES)
    _check_instances(body, low, high)
    if model_ref is not None and version_id is not None:
        _check_version(engine, account, body, model_ref, version_id)
    body.check()
    assert name is not None and model_ref is not None and version_id is not None
    assert hardware is not None and low is not None and high is not None
    if engine.deployments.get(account.username, name) is not None and not engine.config.examples:
        raise unprocessable(
            "Deployment already exists",
            f"A deployment named {account.username}/{name} already exists",
        )
    release = Release(
        1, model_ref, version_id, engine.now(), account.to_json(), hardware, low, high
    )
    deployment = engine.deployments.create(account.username, name, release)
    engine.changed()
    return deployment


def update_deployment(
    engine: Host, account: Account, owner: str, name: str, raw: Any
) -> Deployment:
    deployment = get_deployment(engine, account, owner, name)
    current = deployment.current
    body = Body(raw, allowed=("version", "hardware", "min_instances", "max_instances"))
    version_id = body.nonempty("version")
    hardware = hardware_field(engine, body)
    low = body.integer("min_instances", 0, MAX_MIN_INSTANCES)
    high = body.integer("max_instances", 0, MAX_MAX_INSTANCES)
    new_low = current.min_instances if low is None else low
    new_high = current.max_instances if high is None else high
    if body.problems == []:
        _check_instances(body, new_low, new_high)
    if version_id is not None:
        _check_version(engine, account, body, current.model, version_id)
    body.check()
    release = Release(
        current.number + 1,
        current.model,
        version_id or current.version,
        engine.now(),
        account.to_json(),
        hardware or current.hardware,
        new_low,
        new_high,
    )
    unchanged = (
        release.version == current.version
        and release.hardware == current.hardware
        and (release.min_instances, release.max_instances)
        == (current.min_instances, current.max_instances)
    )
    if not unchanged:  # only a real change makes a new release
        deployment.releases.append(release)
        engine.changed()
    return deployment


def last_used_at(engine: Host, deployment: Deployment) -> float | None:
    """When the deployment (this incarnation of the name) last got a prediction."""
    latest: float | None = None
    for job in engine.jobs_by_account.get(deployment.owner, []):
        if job.deployment == deployment.full_name and job.created_at >= deployment.created_at:
            latest = job.created_at if latest is None else max(latest, job.created_at)
    return latest


def delete_deployment(engine: Host, account: Account, owner: str, name: str) -> None:
    deployment = get_deployment(engine, account, owner, name)
    if engine.config.examples:
        engine.deployments.delete(owner, name)
        engine.changed()
        return
    if deployment.current.min_instances > 0:
        raise unprocessable(
            "Cannot delete deployment",
            f"{owner}/{name} is online (min_instances > 0); set min_instances to 0 first",
        )
    used = last_used_at(engine, deployment)
    if used is not None and engine.now() - used < IDLE_BEFORE_DELETE:
        wait = int(IDLE_BEFORE_DELETE - (engine.now() - used)) + 1
        raise unprocessable(
            "Cannot delete deployment",
            f"{owner}/{name} was used recently; it can be deleted after {IDLE_BEFORE_DELETE:.0f} "
            f"seconds without predictions (about {wait} more seconds)",
        )
    engine.deployments.delete(owner, name)
    engine.changed()
