"""/v1/deployments: list, create, get, update, delete, and predictions on the current release."""

from __future__ import annotations

from mock_server.engine import deployments as rules
from mock_server.engine.accounts import Account
from mock_server.engine.catalogue import Model, Version
from mock_server.engine.core import Engine
from mock_server.engine.errors import unprocessable
from mock_server.http.context import authenticate, engine_of, query_param, read_json
from mock_server.http.operation import Call, Endpoint, Operation, Result, operation
from mock_server.http.pages import newest_first
from mock_server.http.routes_predictions import CreateRequest, create_prediction


def _names(request: Call) -> tuple[str, str]:
    return request.path_params["deployment_owner"], request.path_params["deployment_name"]


async def list_deployments(request: Call) -> Result:
    account = authenticate(request)
    engine = engine_of(request)
    with engine.lock:
        items = engine.deployments.owned_by(account.username)
        cursor = query_param(request, "cursor")
        body = newest_first(request, items, cursor, engine.config.page_size, lambda d: d.to_json())
        return Result(body)


async def create_deployment(request: Call) -> Result:
    account = authenticate(request)
    raw = await read_json(request)
    engine = engine_of(request)
    with engine.lock:
        deployment = rules.create_deployment(engine, account, raw)
        # The real API answers 200 here, not 201.
        return Result(deployment.to_json())


async def get_deployment(request: Call) -> Result:
    account = authenticate(request)
    engine = engine_of(request)
    with engine.lock:
        return Result(rules.get_deployment(engine, account, *_names(request)).to_json())


async def update_deployment(request: Call) -> Result:
    account = authenticate(request)
    raw = await read_json(request)
    engine = engine_of(request)
    with engine.lock:
        deployment = rules.update_deployment(engine, account, *_names(request), raw)
        return Result(deployment.to_json())


async def delete_deployment(request: Call) -> Result:
    account = authenticate(request)
    engine = engine_of(request)
    with engine.lock:
        rules.delete_deployment(engine, account, *_names(request))
    return Result(None, 204)


async def create_deployment_prediction(request: Call) -> Result:
    owner, name = _names(request)

    def resolve(
        engine: Engine, account: Account, create: CreateRequest
    ) -> tuple[Model, Version, str | None]:
        release = rules.get_deployment(engine, account, owner, name).current
        model_owner, _, model_name = release.model.partition("/")
        model = engine.get_model(model_owner, model_name, account.username)
        for version in model.versions:
            if version.id == release.version:
                return model, version, f"{owner}/{name}"
        raise unprocessable(
            "Invalid version or not permitted",
            f"The deployment {owner}/{name} points at a version that no longer exists",
        )

    return await create_prediction(
        request, route="deployments.predictions.create", resolve=resolve, with_version=False
    )


#: operationId -> its handler; the method and path come from the operation table.
HANDLERS: dict[str, Operation | Endpoint] = {
    "deployments.list": operation(list_deployments),
    "deployments.create": operation(create_deployment),
    "deployments.get": operation(get_deployment),
    "deployments.update": operation(update_deployment),
    "deployments.delete": operation(delete_deployment),
    "deployments.predictions.create": operation(create_deployment_prediction),
}
