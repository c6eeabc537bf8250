from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.model_version_page import ModelVersionPage
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    model_owner: str,
    model_name: str,
    *,
    cursor: str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["cursor"] = cursor

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/models/{model_owner}/{model_name}/versions".format(
            model_owner=quote(str(model_owner), safe=""),
            model_name=quote(str(model_name), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ModelVersionPage | Problem | None:
    if response.status_code == 200:
        response_200 = ModelVersionPage.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = Problem.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

    if response.status_code == 404:
        response_404 = Problem.from_dict(response.json())

        return response_404

    if response.status_code == 429:
        response_429 = Problem.from_dict(response.json())

        return response_429

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[ModelVersionPage | Problem]:
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
    cursor: str | Unset = UNSET,
) -> Response[ModelVersionPage | Problem]:
    """List a model's versions

     Newest first.

    Args:
        model_owner (str):
        model_name (str):
        cursor (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ModelVersionPage | Problem]
    """

    kwargs = _get_kwargs(
        model_owner=model_owner,
        model_name=model_name,
        cursor=cursor,
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
    cursor: str | Unset = UNSET,
) -> ModelVersionPage | Problem | None:
    """List a model's versions

     Newest first.

    Args:
        model_owner (str):
        model_name (str):
        cursor (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ModelVersionPage | Problem
    """

    return sync_detailed(
        model_owner=model_owner,
        model_name=model_name,
        client=client,
        cursor=cursor,
    ).parsed


async def asyncio_detailed(
    model_owner: str,
    model_name: str,
    *,
    client: AuthenticatedClient | Client,
    cursor: str | Unset = UNSET,
) -> Response[ModelVersionPage | Problem]:
    """List a model's versions

     Newest first.

    Args:
        model_owner (str):
        model_name (str):
        cursor (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ModelVersionPage | Problem]
    """

    kwargs = _get_kwargs(
        model_owner=model_owner,
        model_name=model_name,
        cursor=cursor,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    model_owner: str,
    model_name: str,
    *,
    client: AuthenticatedClient | Client,
    cursor: str | Unset = UNSET,
) -> ModelVersionPage | Problem | None:
    """List a model's versions

     Newest first.

    Args:
        model_owner (str):
        model_name (str):
        cursor (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ModelVersionPage | Problem
    """

    return (
        await asyncio_detailed(
            model_owner=model_owner,
            model_name=model_name,
            client=client,
            cursor=cursor,
        )
    ).parsed
