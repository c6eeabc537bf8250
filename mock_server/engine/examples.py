"""Example mode (`replicate-mock serve --examples`): placeholders name real things.

Test suites that SDK generators ship (Stainless, openapi-generator) were written for a stateless
mock such as Prism: they call each operation once with placeholder values (``model_owner``,
``prediction_id``, a version they never created). In example mode a named resource that does not
exist is materialised on first use, with that name or id and deterministic contents, and ownership
checks are waived; requests the spec rejects still get their 4xx. Like Prism, the mock keeps no
memory of deletions here: a deleted name materialises again on its next use, since generated
suites reuse the same placeholders after their delete tests.

Materialised models are official (runnable without a version) and trainable; their versions accept
any input. Everything is derived from the names, so the same placeholders give the same answers.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any

from mock_server.engine import collections
from mock_server.engine.accounts import Account
from mock_server.engine.builtin_models import BuiltinSpec, build_version, builtin_specs
from mock_server.engine.catalogue import Model, Version
from mock_server.engine.collections import Collection
from mock_server.engine.deployment_store import Deployment, Release
from mock_server.engine.host import Host
from mock_server.engine.ids import stable_hex

EXAMPLE_BYTES = b"An example file materialised by the mock's example mode.\n"


# What a placeholder looks like (`model_owner`, `prediction_id`, `0`): text that can stand in a
# URL path as it is. Other names are not materialised and stay unknown (404).
_NAMEABLE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._~-]*")


def nameable(*values: str) -> bool:
    return all(_NAMEABLE.fullmatch(value) for value in values)


def _template(owner: str, name: str) -> BuiltinSpec:
    # The built-in trainer: runnable, trainable, every input optional.
    trainer = next(s for s in builtin_specs() if (s.owner, s.name) == ("mock", "trainer"))
    return dataclasses.replace(
        trainer,
        owner=owner,
        name=name,
        description=f"An example model ({owner}/{name}) materialised by the mock",
        official=True,
        readme=f"# {owner}/{name}\n\nMaterialised by the mock's example mode.\n",
    )


def example_version(owner: str, name: str, version_id: str) -> Version:
    """A materialised version; rebuilt from its names alone after a restart."""
    version = build_version(_template(owner, name), version_id)
    version.origin = {"example": True}
    return version


def _first_version(owner: str, name: str) -> str:
    return stable_hex(owner, name, "example")


def ensure_model(engine: Host, owner: str, name: str) -> Model | None:
    model = engine.catalogue.get(owner, name, owner)
    if model is not None:
        return model
    spec = _template(owner, name)
    model = Model(
        owner=owner,
        name=name,
        created_at=engine.now(),
        seq=engine.catalogue.next_seq(),
        description=spec.description,
        is_official=True,
        readme=spec.readme,
    )
    engine.catalogue.add_model(model)
    engine.catalogue.add_version(model, example_version(owner, name, _first_version(owner, name)))
    engine.changed()
    return model


def ensure_version(engine: Host, model: Model, version_id: str) -> Version | None:
    for version in model.versions:
        if version.id == version_id:
            return version
    # Added before the existing ones: a placeholder version does not become the latest.
    version = example_version(model.owner, model.name, version_id)
    model.versions.insert(0, version)
    engine.catalogue.add_model(model)
    engine.changed()
    return version


def resolve_version(engine: Host, username: str, ref: str) -> tuple[Model, Version] | None:
    """``version`` of ``POST /predictions``: ``owner/name[:id]`` names the model, anything else
    is a version id of the caller's example model; None when the text names nothing."""
    owner_name, _, version_id = ref.partition(":")
    if "/" in owner_name:
        owner, _, name = owner_name.partition("/")
        if not nameable(owner, name) or (version_id and not nameable(version_id)):
            return None
    else:
        if not nameable(ref):
            return None
        owner, name, version_id = username, "example-model", ref
    return ensure_model_version(engine, owner, name, version_id or None)


def ensure_model_version(
    engine: Host, owner: str, name: str, version_id: str | None = None
) -> tuple[Model, Version] | None:
    """The model and the named version (its latest without a name), unless either was deleted."""
    model = ensure_model(engine, owner, name)
    if model is None:
        return None
    version = (
        model.latest_version if version_id is None else ensure_version(engine, model, version_id)
    )
    return None if version is None else (model, version)


def ensure_job(engine: Host, account: Account, job_id: str, kind: str) -> None:
    if job_id in engine.jobs:
        return
    owner, name = account.username, "example-model"
    # Its own first version, not the latest: trainings into it add untrainable ones.
    found = ensure_model_version(engine, owner, name, _first_version(owner, name))
    if found is None:
        return
    model, version = found
    assert version.training_runner is not None
    assert version.training_validator is not None
    training = kind == "training"
    engine.start_job(
        account,
        model,
        version,
        {},
        version.training_validator.validate({}) if training else version.validator.validate({}),
        kind=kind,
        runner=version.training_runner if training else version.runner,
        route="trainings.create" if training else "predictions.create",
        extra={"destination": model.full_name, "base": version} if training else None,
        job_id=job_id,
    )


def ensure_file(engine: Host, owner: str, file_id: str) -> None:
    if not nameable(file_id) or engine.files.exists(file_id, engine.now()):
        return
    engine.files.create(
        file_id, owner, "example.txt", "text/plain", EXAMPLE_BYTES, {}, engine.now()
    )


def ensure_deployment(engine: Host, owner: str, name: str) -> Deployment | None:
    deployment = engine.deployments.get(owner, name)
    if deployment is not None:
        return deployment
    found = ensure_model_version(engine, owner, name)
    if found is None:
        return None
    model, version = found
    account = engine.accounts.by_username(owner)
    creator: dict[str, Any] = (
        account.to_json()
        if account is not None
        else {"type": "user", "username": owner, "name": owner, "github_url": None}
    )
    release = Release(1, model.full_name, version.id, engine.now(), creator, "cpu", 0, 1)
    engine.changed()
    return engine.deployments.create(owner, name, release)


def collection(slug: str) -> Collection | None:
    if not nameable(slug):
        return None
    return collections.find(slug) or Collection(
        slug=slug,
        name=slug.replace("-", " ").title(),
        description=f"An example collection ({slug}) materialised by the mock",
        full_description=None,
        models=(),
    )


def prepare(engine: Host, account: Account, path: dict[str, str]) -> None:
    """Materialise what the path parameters of a request name (called once it is authenticated)."""
    if not nameable(*path.values()):
        return
    if "model_owner" in path:
        owner, name = path["model_owner"], path["model_name"]
        ensure_model_version(engine, owner, name, path.get("version_id"))
    if "deployment_owner" in path:
        ensure_deployment(engine, path["deployment_owner"], path["deployment_name"])
    if "prediction_id" in path:
        ensure_job(engine, account, path["prediction_id"], "prediction")
    if "training_id" in path:
        ensure_job(engine, account, path["training_id"], "training")
    if "file_id" in path:
        ensure_file(engine, account.username, path["file_id"])
