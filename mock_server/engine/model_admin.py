"""Rules for creating, updating and deleting models and versions (the catalogue's write side).

Every function validates fully before touching state, so a refused request changes nothing.
"""

from __future__ import annotations

from typing import Any

from mock_server.engine.accounts import Account
from mock_server.engine.bodies import Body
from mock_server.engine.catalogue import Model, Version
from mock_server.engine.errors import ApiError, forbidden, not_found, unprocessable
from mock_server.engine.hardware import hardware_field
from mock_server.engine.host import Host

MAX_MODELS_PER_ACCOUNT = 1000
_CREATE_URLS = ("github_url", "paper_url", "license_url", "cover_image_url")
_UPDATE_URLS = ("github_url", "paper_url", "weights_url", "license_url")


def create_model(engine: Host, account: Account, raw: Any) -> Model:
    body = Body(
        raw,
        allowed=("owner", "name", "visibility", "hardware", "description", *_CREATE_URLS),
        required=("owner", "name", "visibility", "hardware"),
    )
    owner = body.name("owner")
    name = body.name("name")
    visibility = body.choice("visibility", ("public", "private"))
    hardware = hardware_field(engine, body)
    description = body.string("description")
    github_url, paper_url, license_url, cover_image_url = (body.url(k) for k in _CREATE_URLS)
    if owner is not None and owner != account.username and not engine.config.examples:
        body.fail(
            "owner",
            f"You can only create models owned by your account ({account.username})",
            "permission",
        )
    body.check()
    assert owner is not None and name is not None and visibility is not None
    assert hardware is not None
    if engine.catalogue.exists(owner, name) and not engine.config.examples:
        raise unprocessable("Model already exists", f"A model named {owner}/{name} already exists")
    if len(engine.catalogue.owned_by(owner)) >= MAX_MODELS_PER_ACCOUNT:
        raise unprocessable(
            "Too many models",
            f"An account can own at most {MAX_MODELS_PER_ACCOUNT} models; delete some first",
        )
    model = Model(
        owner=owner,
        name=name,
        created_at=engine.now(),
        seq=engine.catalogue.next_seq(),
        description=description,
        visibility=visibility,
        hardware=hardware,
        github_url=github_url,
        paper_url=paper_url,
        license_url=license_url,
        cover_image_url=cover_image_url,
    )
    engine.catalogue.add_model(model)
    engine.changed()
    return model


def _own_model(engine: Host, account: Account, owner: str, name: str, action: str) -> Model:
    model = engine.get_model(owner, name, account.username)
    if model.owner != account.username and not engine.config.examples:
        raise forbidden(f"You can only {action} models you own; {owner} is not your account")
    return model


def update_model(engine: Host, account: Account, owner: str, name: str, raw: Any) -> Model:
    model = _own_model(engine, account, owner, name, "update")
    body = Body(raw, allowed=("description", "readme", *_UPDATE_URLS))
    changes: dict[str, str] = {}
    for key in ("description", "readme"):
        value = body.string(key)
        if value is not None:
            changes[key] = value
    for key in _UPDATE_URLS:
        value = body.url(key)
        if value is not None:
            changes[key] = value
    body.check()
    for key, value in changes.items():
        setattr(model, key, value)
    if changes:
        engine.changed()
    return model


def delete_model(engine: Host, account: Account, owner: str, name: str) -> None:
    model = _own_model(engine, account, owner, name, "delete")
    refusals = not engine.config.examples
    if refusals and model.visibility != "private":
        raise unprocessable(
            "Cannot delete model",
            f"Only private models can be deleted; make {owner}/{name} private first",
        )
    if refusals and model.versions:
        raise unprocessable(
            "Cannot delete model",
            f"{owner}/{name} still has {len(model.versions)} version(s); delete them first",
        )
    engine.catalogue.remove_model(model)
    engine.changed()


def _version_of(model: Model, version_id: str) -> Version:
    for version in model.versions:
        if version.id == version_id:
            return version
    raise not_found(f"The version {version_id} of {model.full_name} does not exist")


def _refusal(engine: Host, model: Model, version: Version) -> str | None:
    """Why this version may not be deleted, if it may not (the real API's rules)."""
    if model.visibility != "private":
        return "only versions of private models can be deleted"
    for jobs in engine.jobs_by_account.values():
        for job in jobs:
            if job.version != version.id:
                continue
            if job.kind == "training":
                return "it is the base of a training"
            if job.account != model.owner:
                return "other accounts have run it"
    for deployment in engine.deployments.all():
        if deployment.current.version == version.id:
            return f"the deployment {deployment.owner}/{deployment.name} uses it"
    return None


def delete_version(engine: Host, account: Account, owner: str, name: str, version_id: str) -> None:
    model = engine.get_model(owner, name, account.username)
    version = _version_of(model, version_id)
    if model.owner != account.username and not engine.config.examples:
        raise forbidden(f"You can only delete versions of your own models, not {owner}'s")
    reason = None if engine.config.examples else _refusal(engine, model, version)
    if reason is not None:
        raise ApiError(
            422, "Cannot delete version", f"The version {version_id} cannot be deleted: {reason}"
        )
    # The real API deletes in the background (202); the mock removes it at once, which a
    # client cannot tell apart from a quick background job.
    engine.catalogue.remove_version(model, version)
    engine.changed()
