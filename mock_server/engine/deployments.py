"""Deployments: a stable name in front of a model version, with numbered releases.

The store (`Deployments`) keeps state; the functions below are the API's rules for changing it
and validate fully before touching anything, so a refused request changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from mock_server.engine.accounts import Account
from mock_server.engine.bodies import Body
from mock_server.engine.clock import isoformat
from mock_server.engine.errors import not_found, unprocessable
from mock_server.engine.hardware import hardware_field

if TYPE_CHECKING:
    from mock_server.engine.core import Engine

MAX_MIN_INSTANCES = 5
MAX_MAX_INSTANCES = 20
# The real service deletes a deployment only once it has been offline and unused for a while.
IDLE_BEFORE_DELETE = 15 * 60.0


@dataclass
class Release:
    number: int
    model: str
    version: str
    created_at: float
    created_by: dict[str, Any]
    hardware: str
    min_instances: int
    max_instances: int

    def to_json(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "model": self.model,
            "version": self.version,
            "created_at": isoformat(self.created_at),
            "created_by": self.created_by,
            "configuration": {
                "hardware": self.hardware,
                "min_instances": self.min_instances,
                "max_instances": self.max_instances,
            },
        }


@dataclass
class Deployment:
    owner: str
    name: str
    seq: int
    releases: list[Release] = field(default_factory=list)

    @property
    def full_name(self) -> str:
        return f"{self.owner}/{self.name}"

    @property
    def current(self) -> Release:
        return self.releases[-1]

    @property
    def created_at(self) -> float:
        return self.releases[0].created_at

    def to_json(self) -> dict[str, Any]:
        return {"owner": self.owner, "name": self.name, "current_release": self.current.to_json()}


class Deployments:
    def __init__(self) -> None:
        self._items: dict[tuple[str, str], Deployment] = {}
        self._seq = 0

    def get(self, owner: str, name: str) -> Deployment | None:
        return self._items.get((owner, name))

    def create(self, owner: str, name: str, release: Release) -> Deployment:
        self._seq += 1
        deployment = Deployment(owner, name, self._seq, [release])
        self._items[(owner, name)] = deployment
        return deployment

    def delete(self, owner: str, name: str) -> None:
        self._items.pop((owner, name), None)

    def owned_by(self, owner: str) -> list[Deployment]:
        """Newest first."""
        mine = [d for d in self._items.values() if d.owner == owner]
        return sorted(mine, key=lambda d: -d.seq)

    def all(self) -> list[Deployment]:
        return list(self._items.values())


# ----------------------------------------------------------------------------- rules


def get_deployment(engine: Engine, account: Account, owner: str, name: str) -> Deployment:
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


def examples_nameable(*values: str) -> bool:
    from mock_server.engine.examples import nameable  # examples builds deployments: import late

    return nameable(*values)


def _check_version(
    engine: Engine, account: Account, body: Body, model_ref: str, version_id: str
) -> None:
    owner, _, name = model_ref.partition("/")
    if engine.config.examples and examples_nameable(owner, name, version_id):
        from mock_server.engine import examples  # examples builds deployments: import late

        examples.ensure_model_version(engine, owner, name, version_id)
    model = engine.catalogue.get(owner, name, account.username) if owner and name else None
    if model is None:
        body.fail("model", f"The model {model_ref} does not exist or is not yours to deploy")
    elif all(v.id != version_id for v in model.versions):
        body.fail("version", f"The version {version_id} does not belong to {model_ref}")


def create_deployment(engine: Engine, account: Account, raw: Any) -> Deployment:
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
    engine.generation += 1
    return deployment


def update_deployment(
    engine: Engine, account: Account, owner: str, name: str, raw: Any
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
        engine.generation += 1
    return deployment


def last_used_at(engine: Engine, deployment: Deployment) -> float | None:
    """When the deployment (this incarnation of the name) last got a prediction."""
    latest: float | None = None
    for job in engine.jobs_by_account.get(deployment.owner, []):
        if job.deployment == deployment.full_name and job.created_at >= deployment.created_at:
            latest = job.created_at if latest is None else max(latest, job.created_at)
    return latest


def delete_deployment(engine: Engine, account: Account, owner: str, name: str) -> None:
    deployment = get_deployment(engine, account, owner, name)
    if engine.config.examples:
        engine.deployments.delete(owner, name)
        engine.generation += 1
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
    engine.generation += 1
