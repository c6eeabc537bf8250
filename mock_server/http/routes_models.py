"""/v1/models: list, search (QUERY), create/get/update/delete, versions, readme, examples, predictions."""

from __future__ import annotations

from starlette.requests import Request

from mock_server.engine import model_admin
from mock_server.engine.accounts import Account
from mock_server.engine.catalogue import Model, Version
from mock_server.engine.core import Engine
from mock_server.engine.errors import bad_request, not_found, unprocessable
from mock_server.engine.pagination import Key, paginate
from mock_server.http.context import authenticate, engine_of, query_param, read_json
from mock_server.http.operation import Call, Endpoint, Operation, Result, operation
from mock_server.http.pages import newest_first, page_body
from mock_server.http.routes_predictions import CreateRequest, create_prediction

MAX_QUERY_BODY = 64 * 1024


def _sorted_models(models: list[Model], sort_by: str, direction: str) -> list[tuple[Key, Model]]:
    sign = -1 if direction == "desc" else 1

    def key(model: Model) -> Key:
        if sort_by == "model_created_at":
            instant = model.created_at
        else:
            latest = model.latest_version
            instant = latest.created_at if latest else 0.0
        return (sign * instant, sign * model.seq)

    return sorted(((key(m), m) for m in models), key=lambda pair: pair[0])


def _model_list_response(request: Call, models: list[Model]) -> Result:
    engine = engine_of(request)
    sort_by = query_param(request, "sort_by") or "latest_version_created_at"
    if sort_by not in ("model_created_at", "latest_version_created_at"):
        raise bad_request("sort_by must be model_created_at or latest_version_created_at")
    direction = query_param(request, "sort_direction") or "desc"
    if direction not in ("asc", "desc"):
        raise bad_request("sort_direction must be asc or desc")
    pairs = _sorted_models(models, sort_by, direction)
    page = paginate(
        pairs, lambda pair: pair[0], query_param(request, "cursor"), engine.config.page_size
    )
    return Result(page_body(request, page, [m.to_json() for _, m in page.results]))


async def list_models(request: Call) -> Result:
    account = authenticate(request)
    engine = engine_of(request)
    with engine.lock:
        return _model_list_response(request, engine.catalogue.visible(account.username))


async def search_models(request: Call) -> Result:
    """``QUERY /v1/models`` with the search text as a text/plain body (used by every client)."""
    account = authenticate(request)
    body = await request.body()
    if len(body) > MAX_QUERY_BODY:
        raise bad_request("The search query is too long")
    try:
        text = body.decode().strip().lower()
    except UnicodeDecodeError as exc:
        raise bad_request("The search query must be UTF-8 text") from exc
    engine = engine_of(request)
    with engine.lock:
        models = [m for m in engine.catalogue.visible(account.username) if m.matches(text)]
        return _model_list_response(request, models)


def _model(request: Request | Call, account: Account) -> Model:
    engine = engine_of(request)
    return engine.get_model(
        request.path_params["model_owner"], request.path_params["model_name"], account.username
    )


async def get_model(request: Call) -> Result:
    account = authenticate(request)
    engine = engine_of(request)
    with engine.lock:
        return Result(_model(request, account).to_json())


async def create_model(request: Call) -> Result:
    account = authenticate(request)
    raw = await read_json(request)
    engine = engine_of(request)
    with engine.lock:
        model = model_admin.create_model(engine, account, raw)
        return Result(model.to_json(), status=201)


async def update_model(request: Call) -> Result:
    account = authenticate(request)
    raw = await read_json(request)
    engine = engine_of(request)
    owner, name = request.path_params["model_owner"], request.path_params["model_name"]
    with engine.lock:
        model = model_admin.update_model(engine, account, owner, name, raw)
        return Result(model.to_json())


async def delete_model(request: Call) -> Result:
    account = authenticate(request)
    engine = engine_of(request)
    owner, name = request.path_params["model_owner"], request.path_params["model_name"]
    with engine.lock:
        model_admin.delete_model(engine, account, owner, name)
    return Result(None, 204)


async def delete_version(request: Call) -> Result:
    account = authenticate(request)
    engine = engine_of(request)
    params = request.path_params
    with engine.lock:
        model_admin.delete_version(
            engine, account, params["model_owner"], params["model_name"], params["version_id"]
        )
    return Result(None, 202)


async def list_versions(request: Call) -> Result:
    account = authenticate(request)
    engine = engine_of(request)
    with engine.lock:
        model = _model(request, account)
        pairs = sorted(((-v.created_at, -i), v) for i, v in enumerate(model.versions))
        page = paginate(
            pairs, lambda pair: pair[0], query_param(request, "cursor"), engine.config.page_size
        )
        return Result(page_body(request, page, [v.to_json() for _, v in page.results]))


def _version(model: Model, version_id: str) -> Version:
    for version in model.versions:
        if version.id == version_id:
            return version
    raise not_found(f"The version {version_id} of {model.full_name} does not exist")


async def get_version(request: Call) -> Result:
    account = authenticate(request)
    engine = engine_of(request)
    with engine.lock:
        model = _model(request, account)
        return Result(_version(model, request.path_params["version_id"]).to_json())


async def readme(request: Call) -> Result:
    account = authenticate(request)
    engine = engine_of(request)
    with engine.lock:
        model = _model(request, account)
        if not model.readme:
            raise not_found(f"The model {model.full_name} has no README")
        text = model.readme.encode()
        return Result(None, raw=text, media_type="text/plain; charset=utf-8")


async def examples(request: Call) -> Result:
    account = authenticate(request)
    engine = engine_of(request)
    cursor = query_param(request, "cursor")
    with engine.lock:
        _model(request, account)
        # The mock records no example predictions: one empty page, whose cursor rules still hold.
        body = newest_first(request, [], cursor, engine.config.page_size, lambda job: job)
    return Result(body)


async def create_model_prediction(request: Call) -> Result:
    owner = request.path_params["model_owner"]
    name = request.path_params["model_name"]

    def resolve(
        engine: Engine, account: Account, create: CreateRequest
    ) -> tuple[Model, Version, str | None]:
        model = engine.get_model(owner, name, account.username)
        version = model.latest_version
        if version is None:
            raise unprocessable(
                "Invalid version or not permitted", f"The model {owner}/{name} has no versions"
            )
        return model, version, None

    return await create_prediction(
        request, route="models.predictions.create", resolve=resolve, with_version=False
    )


#: operationId -> its handler; the method and path come from the operation table.
HANDLERS: dict[str, Operation | Endpoint] = {
    "models.list": operation(list_models),
    "models.search": operation(search_models),
    "models.create": operation(create_model),
    "models.get": operation(get_model),
    "models.update": operation(update_model),
    "models.delete": operation(delete_model),
    "models.versions.list": operation(list_versions),
    "models.versions.get": operation(get_version),
    "models.versions.delete": operation(delete_version),
    "models.readme.get": operation(readme),
    "models.examples.list": operation(examples),
    "models.predictions.create": operation(create_model_prediction),
}
