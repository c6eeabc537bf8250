from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.training import Training
from ...models.training_request import TrainingRequest
from ...types import Response


def _get_kwargs(
    model_owner: str,
    model_name: str,
    version_id: str,
    *,
    body: TrainingRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/models/{model_owner}/{model_name}/versions/{version_id}/trainings".format(
            model_owner=quote(str(model_owner), safe=""),
            model_name=quote(str(model_name), safe=""),
            version_id=quote(str(version_id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Problem | Training | None:
    if response.status_code == 201:
        response_201 = Training.from_dict(response.json())

        return response_201

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
) -> Response[Problem | Training]:
    return Response(
        status_code=response.status_code,
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    model_owner: str,
    model_name: str,
    version_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: TrainingRequest,
) -> Response[Problem | Training]:
    """Start a training

     Trains the given base version with `input`; on success a new version appears on the
    `destination` model. Note: the create response's `urls` may point at `/predictions/{id}`
    while later reads point at `/trainings/{id}`.

    Args:
        model_owner (str):
        model_name (str):
        version_id (str):
        body (TrainingRequest): Body of `trainings.create`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | Training]
    """

    kwargs = _get_kwargs(
        model_owner=model_owner,
        model_name=model_name,
        version_id=version_id,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    model_owner: str,
    model_name: str,
    version_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: TrainingRequest,
) -> Problem | Training | None:
    """Start a training

     Trains the given base version with `input`; on success a new version appears on the
    `destination` model. Note: the create response's `urls` may point at `/predictions/{id}`
    while later reads point at `/trainings/{id}`.

    Args:
        model_owner (str):
        model_name (str):
        version_id (str):
        body (TrainingRequest): Body of `trainings.create`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | Training
    """

    return sync_detailed(
        model_owner=model_owner,
        model_name=model_name,
        version_id=version_id,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    model_owner: str,
    model_name: str,
    version_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: TrainingRequest,
) -> Response[Problem | Training]:
    """Start a training

     Trains the given base version with `input`; on success a new version appears on the
    `destination` model. Note: the create response's `urls` may point at `/predictions/{id}`
    while later reads point at `/trainings/{id}`.

    Args:
        model_owner (str):
        model_name (str):
        version_id (str):
        body (TrainingRequest): Body of `trainings.create`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | Training]
    """

    kwargs = _get_kwargs(
        model_owner=model_owner,
        model_name=model_name,
        version_id=version_id,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    model_owner: str,
    model_name: str,
    version_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: TrainingRequest,
) -> Problem | Training | None:
    """Start a training

     Trains the given base version with `input`; on success a new version appears on the
    `destination` model. Note: the create response's `urls` may point at `/predictions/{id}`
    while later reads point at `/trainings/{id}`.

    Args:
        model_owner (str):
        model_name (str):
        version_id (str):
        body (TrainingRequest): Body of `trainings.create`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | Training
    """

    return (
        await asyncio_detailed(
            model_owner=model_owner,
            model_name=model_name,
            version_id=version_id,
            client=client,
            body=body,
        )
    ).parsed
