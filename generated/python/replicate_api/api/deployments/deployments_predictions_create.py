from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.prediction import Prediction
from ...models.prediction_request import PredictionRequest
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    deployment_owner: str,
    deployment_name: str,
    *,
    body: PredictionRequest,
    prefer: str | Unset = UNSET,
    cancel_after: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(prefer, Unset):
        headers["Prefer"] = prefer

    if not isinstance(cancel_after, Unset):
        headers["Cancel-After"] = cancel_after

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/deployments/{deployment_owner}/{deployment_name}/predictions".format(
            deployment_owner=quote(str(deployment_owner), safe=""),
            deployment_name=quote(str(deployment_name), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Prediction | Problem | None:
    if response.status_code == 201:
        response_201 = Prediction.from_dict(response.json())

        return response_201

    if response.status_code == 202:
        response_202 = Prediction.from_dict(response.json())

        return response_202

    if response.status_code == 400:
        response_400 = Problem.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

    if response.status_code == 402:
        response_402 = Problem.from_dict(response.json())

        return response_402

    if response.status_code == 404:
        response_404 = Problem.from_dict(response.json())

        return response_404

    if response.status_code == 413:
        response_413 = Problem.from_dict(response.json())

        return response_413

    if response.status_code == 422:
        response_422 = Problem.from_dict(response.json())

        return response_422

    if response.status_code == 429:
        response_429 = Problem.from_dict(response.json())

        return response_429

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Prediction | Problem]:
    return Response(
        status_code=response.status_code,
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    deployment_owner: str,
    deployment_name: str,
    *,
    client: AuthenticatedClient | Client,
    body: PredictionRequest,
    prefer: str | Unset = UNSET,
    cancel_after: str | Unset = UNSET,
) -> Response[Prediction | Problem]:
    """Run a deployment

     Starts a prediction on the deployment's current release. The body must not name a version.
    See `predictions.create` for `Prefer` (sync mode) and `Cancel-After` (deadline).

    Args:
        deployment_owner (str):
        deployment_name (str):
        prefer (str | Unset):
        cancel_after (str | Unset):
        body (PredictionRequest): Body of `models.predictions.create` and
            `deployments.predictions.create`; the version is
            implied by the path, so `version` is not accepted.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Prediction | Problem]
    """

    kwargs = _get_kwargs(
        deployment_owner=deployment_owner,
        deployment_name=deployment_name,
        body=body,
        prefer=prefer,
        cancel_after=cancel_after,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    deployment_owner: str,
    deployment_name: str,
    *,
    client: AuthenticatedClient | Client,
    body: PredictionRequest,
    prefer: str | Unset = UNSET,
    cancel_after: str | Unset = UNSET,
) -> Prediction | Problem | None:
    """Run a deployment

     Starts a prediction on the deployment's current release. The body must not name a version.
    See `predictions.create` for `Prefer` (sync mode) and `Cancel-After` (deadline).

    Args:
        deployment_owner (str):
        deployment_name (str):
        prefer (str | Unset):
        cancel_after (str | Unset):
        body (PredictionRequest): Body of `models.predictions.create` and
            `deployments.predictions.create`; the version is
            implied by the path, so `version` is not accepted.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Prediction | Problem
    """

    return sync_detailed(
        deployment_owner=deployment_owner,
        deployment_name=deployment_name,
        client=client,
        body=body,
        prefer=prefer,
        cancel_after=cancel_after,
    ).parsed


async def asyncio_detailed(
    deployment_owner: str,
    deployment_name: str,
    *,
    client: AuthenticatedClient | Client,
    body: PredictionRequest,
    prefer: str | Unset = UNSET,
    cancel_after: str | Unset = UNSET,
) -> Response[Prediction | Problem]:
    """Run a deployment

     Starts a prediction on the deployment's current release. The body must not name a version.
    See `predictions.create` for `Prefer` (sync mode) and `Cancel-After` (deadline).

    Args:
        deployment_owner (str):
        deployment_name (str):
        prefer (str | Unset):
        cancel_after (str | Unset):
        body (PredictionRequest): Body of `models.predictions.create` and
            `deployments.predictions.create`; the version is
            implied by the path, so `version` is not accepted.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Prediction | Problem]
    """

    kwargs = _get_kwargs(
        deployment_owner=deployment_owner,
        deployment_name=deployment_name,
        body=body,
        prefer=prefer,
        cancel_after=cancel_after,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    deployment_owner: str,
    deployment_name: str,
    *,
    client: AuthenticatedClient | Client,
    body: PredictionRequest,
    prefer: str | Unset = UNSET,
    cancel_after: str | Unset = UNSET,
) -> Prediction | Problem | None:
    """Run a deployment

     Starts a prediction on the deployment's current release. The body must not name a version.
    See `predictions.create` for `Prefer` (sync mode) and `Cancel-After` (deadline).

    Args:
        deployment_owner (str):
        deployment_name (str):
        prefer (str | Unset):
        cancel_after (str | Unset):
        body (PredictionRequest): Body of `models.predictions.create` and
            `deployments.predictions.create`; the version is
            implied by the path, so `version` is not accepted.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Prediction | Problem
    """

    return (
        await asyncio_detailed(
            deployment_owner=deployment_owner,
            deployment_name=deployment_name,
            client=client,
            body=body,
            prefer=prefer,
            cancel_after=cancel_after,
        )
    ).parsed
