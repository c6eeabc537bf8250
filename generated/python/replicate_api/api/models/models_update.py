from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.model import Model
from ...models.model_update_request import ModelUpdateRequest
from ...models.problem import Problem
from ...types import Response


def _get_kwargs(
    model_owner: str,
    model_name: str,
    *,
    body: ModelUpdateRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "patch",
        "url": "/models/{model_owner}/{model_name}".format(
            model_owner=quote(str(model_owner), safe=""),
            model_name=quote(str(model_name), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Model | Problem | None:
    if response.status_code == 200:
        response_200 = Model.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = Problem.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = Problem.from_dict(response.json())

        return response_403

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
) -> Response[Model | Problem]:
    return Response(
        status_code=response.status_code,
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    model_owner: str,
    model_name: str,
    *,
    client: AuthenticatedClient | Client,
    body: ModelUpdateRequest,
) -> Response[Model | Problem]:
    """Update a model's metadata

    Args:
        model_owner (str):
        model_name (str):
        body (ModelUpdateRequest): Body of `models.update`; only the given fields change.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Model | Problem]
    """

    kwargs = _get_kwargs(
        model_owner=model_owner,
        model_name=model_name,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    model_owner: str,
    model_name: str,
    *,
    client: AuthenticatedClient | Client,
    body: ModelUpdateRequest,
) -> Model | Problem | None:
    """Update a model's metadata

    Args:
        model_owner (str):
        model_name (str):
        body (ModelUpdateRequest): Body of `models.update`; only the given fields change.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Model | Problem
    """

    return sync_detailed(
        model_owner=model_owner,
        model_name=model_name,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    model_owner: str,
    model_name: str,
    *,
    client: AuthenticatedClient | Client,
    body: ModelUpdateRequest,
) -> Response[Model | Problem]:
    """Update a model's metadata

    Args:
        model_owner (str):
        model_name (str):
        body (ModelUpdateRequest): Body of `models.update`; only the given fields change.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Model | Problem]
    """

    kwargs = _get_kwargs(
        model_owner=model_owner,
        model_name=model_name,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    model_owner: str,
    model_name: str,
    *,
    client: AuthenticatedClient | Client,
    body: ModelUpdateRequest,
) -> Model | Problem | None:
    """Update a model's metadata

    Args:
        model_owner (str):
        model_name (str):
        body (ModelUpdateRequest): Body of `models.update`; only the given fields change.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Model | Problem
    """

    return (
        await asyncio_detailed(
            model_owner=model_owner,
            model_name=model_name,
            client=client,
            body=body,
        )
    ).parsed
