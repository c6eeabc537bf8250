"""/v1/predictions: create (three routes share the logic), get, list, cancel."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from mock_server.engine import timekeeper
from mock_server.engine.accounts import Account
from mock_server.engine.catalogue import Model, Version
from mock_server.engine.clock import parse_iso
from mock_server.engine.core import Engine
from mock_server.engine.errors import bad_request
from mock_server.engine.render import render_prediction
from mock_server.http import rendered
from mock_server.http.context import (
    authenticate,
    engine_of,
    query_param,
    read_json,
    root_url,
)
from mock_server.http.fields import WebhookFields, field_error, webhook_fields
from mock_server.http.headers import parse_cancel_after, parse_prefer
from mock_server.http.operation import Call, Endpoint, Operation, Result, operation
from mock_server.http.pages import newest_first
from mock_server.http.waiting import hold

_BODY_FIELDS = ("input", "stream", "webhook", "webhook_events_filter", "webhook_completed")


@dataclass(frozen=True)
class CreateRequest:
    body: dict[str, Any]
    input: Any
    webhooks: WebhookFields


# Resolves (engine, account, request) to the model/version to run and a deployment name.
Resolver = Callable[[Engine, Account, CreateRequest], tuple[Model, Version, str | None]]


def parse_create_body(body: Any, *, with_version: bool) -> CreateRequest:
    if not isinstance(body, dict):
        raise field_error("body", "The request body must be a JSON object")
    allowed = {*_BODY_FIELDS, "version"} if with_version else set(_BODY_FIELDS)
    for key in sorted(body):
        if key not in allowed:
            hint = " (use POST /v1/predictions to choose a version)" if key == "version" else ""
            raise field_error(key, f"Additional property {key} is not allowed{hint}", "additional")
    if with_version and not isinstance(body.get("version"), str):
        if "version" not in body:
            raise field_error("version", "version is required", "required")
        raise field_error("version", "Invalid type. Expected: string")
    if "input" not in body:
        raise field_error("input", "input is required", "required")
    if not isinstance(body["input"], dict):
        raise field_error("input", "Invalid type. Expected: object")
    if "stream" in body and not isinstance(body["stream"], bool | None):
        raise field_error("stream", "Invalid type. Expected: boolean")
    return CreateRequest(body, body["input"], webhook_fields(body))


async def create_prediction(
    request: Call, *, route: str, resolve: Resolver, with_version: bool
) -> Result:
    """Shared by POST /predictions, /models/{o}/{n}/predictions, /deployments/{o}/{n}/predictions."""
    account = authenticate(request, bucket="create")
    wait = parse_prefer(request.headers.get("prefer"))
    cancel_after = parse_cancel_after(request.headers.get("cancel-after"))
    create = parse_create_body(await read_json(request), with_version=with_version)
    engine = engine_of(request)
    with engine.lock:
        model, version, deployment = resolve(engine, account, create)
        job = engine.create_prediction(
            account,
            model,
            version,
            create.input,
            route=route,
            cancel_after=cancel_after,
            webhook=create.webhooks.webhook,
            webhook_events_filter=create.webhooks.events_filter,
            webhook_completed=create.webhooks.completed,
            deployment=deployment,
        )
    if wait is not None:
        await hold(engine, job, wait)
    root = root_url(request)
    with engine.lock:
        # Like the real sync mode, a held response inlines output files as data: URIs.
        body = render_prediction(job, root, engine.data_uri if wait is not None else None)
        done = job.terminal
    headers: dict[str, str] = {}
    status = 201
    if wait is not None:
        headers["Preference-Applied"] = f"wait={wait}"
        if not done:
            status = 202
            headers["Location"] = body["urls"]["get"]
    return Result(body, status, headers)


def _resolve_version_field(
    engine: Engine, account: Account, create: CreateRequest
) -> tuple[Model, Version, str | None]:
    model, version = engine.resolve_version(str(create.body["version"]), account.username)
    return model, version, None


async def create(request: Call) -> Result:
    return await create_prediction(
        request, route="predictions.create", resolve=_resolve_version_field, with_version=True
    )


async def get(request: Call) -> Result:
    account = authenticate(request)
    engine = engine_of(request)
    with engine.lock:
        job = engine.get_job(account, request.path_params["prediction_id"])
        timekeeper.read(engine, job)
        body, raw = rendered.prediction(job, root_url(request))
    return Result(body, raw=raw)


def _time_filter(request: Call, name: str) -> int | None:
    """The filter's instant in whole microseconds, the resolution of a rendered ``created_at``."""
    value = query_param(request, name)
    if value is None:
        return None
    try:
        return round(parse_iso(value) * 1_000_000)
    except ValueError as exc:
        raise bad_request(f"{name} must be an ISO 8601 date-time") from exc


async def list_(request: Call) -> Result:
    account = authenticate(request)
    engine = engine_of(request)
    after = _time_filter(request, "created_after")
    before = _time_filter(request, "created_before")
    source = query_param(request, "source")
    if source not in (None, "web"):
        raise bad_request("source must be 'web'")
    cursor = query_param(request, "cursor")
    root = root_url(request)
    with engine.lock:
        jobs = [] if source == "web" else engine.list_jobs(account)
        if after is not None or before is not None:
            # Compared as rendered (isoformat rounds to the microsecond): a created_at copied
            # from a response selects that very prediction with created_after.
            jobs = [
                j
                for j in jobs
                if (after is None or round(j.created_at * 1_000_000) >= after)
                and (before is None or round(j.created_at * 1_000_000) < before)
            ]
        body = newest_first(
            request, jobs, cursor, engine.config.page_size, lambda j: render_prediction(j, root)
        )
    return Result(body)


async def cancel(request: Call) -> Result:
    account = authenticate(request)
    engine = engine_of(request)
    with engine.lock:
        job = engine.cancel_job(account, request.path_params["prediction_id"])
        body = render_prediction(job, root_url(request))
    return Result(body)


#: operationId -> its handler; the method and path come from the operation table.
HANDLERS: dict[str, Operation | Endpoint] = {
    "predictions.create": operation(create),
    "predictions.list": operation(list_),
    "predictions.get": operation(get),
    "predictions.cancel": operation(cancel),
}
