"""/v1/trainings and the create route under a model version."""

from __future__ import annotations

from typing import Any

from mock_server.engine import timekeeper
from mock_server.engine.trainings import TrainingRequest, create_training, render_training
from mock_server.http.context import authenticate, engine_of, query_param, read_json, root_url
from mock_server.http.fields import field_error, webhook_fields
from mock_server.http.operation import Call, Endpoint, Operation, Result, operation
from mock_server.http.pages import newest_first

_FIELDS = ("destination", "input", "webhook", "webhook_completed", "webhook_events_filter")


def parse_training_body(body: Any) -> TrainingRequest:
    if not isinstance(body, dict):
        raise field_error("body", "The request body must be a JSON object")
    for key in sorted(body):
        if key not in _FIELDS:
            raise field_error(key, f"Additional property {key} is not allowed", "additional")
    destination = body.get("destination")
    if destination is None:
        raise field_error("destination", "destination is required", "required")
    if not isinstance(destination, str):
        raise field_error("destination", "Invalid type. Expected: string")
    owner, slash, name = destination.partition("/")
    if not slash or not owner or not name or "/" in name:
        raise field_error("destination", "destination must look like owner/name", "format")
    if "input" not in body:
        raise field_error("input", "input is required", "required")
    if not isinstance(body["input"], dict):
        raise field_error("input", "Invalid type. Expected: object")
    hooks = webhook_fields(body)
    return TrainingRequest(
        destination, body["input"], hooks.webhook, hooks.events_filter, hooks.completed
    )


async def create(request: Call) -> Result:
    account = authenticate(request, bucket="create")
    engine = engine_of(request)
    raw = await read_json(request)
    destination = raw.get("destination") if isinstance(raw, dict) else None
    if engine.config.examples and isinstance(destination, str) and "/" not in destination:
        raw["destination"] = f"{account.username}/{destination}"  # a bare placeholder name
    training = parse_training_body(raw)
    params = request.path_params
    with engine.lock:
        job = create_training(
            engine,
            account,
            params["model_owner"],
            params["model_name"],
            params["version_id"],
            training,
        )
        body = render_training(job, root_url(request))
    return Result(body, 201)


async def get(request: Call) -> Result:
    account = authenticate(request)
    engine = engine_of(request)
    with engine.lock:
        job = engine.get_job(account, request.path_params["training_id"], "training")
        timekeeper.read(engine, job)  # a polling client sees progress at once
        body = render_training(job, root_url(request))
    return Result(body)


async def list_(request: Call) -> Result:
    account = authenticate(request)
    engine = engine_of(request)
    cursor = query_param(request, "cursor")
    root = root_url(request)
    with engine.lock:
        jobs = engine.list_jobs(account, "training")
        body = newest_first(
            request, jobs, cursor, engine.config.page_size, lambda j: render_training(j, root)
        )
    return Result(body)


async def cancel(request: Call) -> Result:
    account = authenticate(request)
    engine = engine_of(request)
    with engine.lock:
        job = engine.cancel_job(account, request.path_params["training_id"], "training")
        body = render_training(job, root_url(request))
    return Result(body)


#: operationId -> its handler; the method and path come from the operation table.
HANDLERS: dict[str, Operation | Endpoint] = {
    "trainings.create": operation(create),
    "trainings.list": operation(list_),
    "trainings.get": operation(get),
    "trainings.cancel": operation(cancel),
}
