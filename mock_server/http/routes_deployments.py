"""Predictions through a deployment (CRUD of deployments lives with the other resources)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from mock_server.engine.accounts import Account
from mock_server.engine.catalogue import Model, Version
from mock_server.engine.core import Engine
from mock_server.engine.errors import not_found, unprocessable
from mock_server.http.routes_predictions import CreateRequest, create_prediction


async def create_deployment_prediction(request: Request) -> Response:
    owner = request.path_params["deployment_owner"]
    name = request.path_params["deployment_name"]

    def resolve(
        engine: Engine, account: Account, create: CreateRequest
    ) -> tuple[Model, Version, str | None]:
        deployment = engine.deployments.get(owner, name)
        if deployment is None or deployment.owner != account.username:
            raise not_found(f"The deployment {owner}/{name} does not exist")
        release = deployment.current
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


def routes() -> list[BaseRoute]:
    return [
        Route(
            "/v1/deployments/{deployment_owner}/{deployment_name}/predictions",
            create_deployment_prediction,
            methods=["POST"],
        )
    ]
