from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.model_page import ModelPage
from ...models.models_list_sort_by import ModelsListSortBy
from ...models.models_list_sort_direction import ModelsListSortDirection
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    cursor: str | Unset = UNSET,
    sort_by: ModelsListSortBy | Unset = "latest_version_created_at",
    sort_direction: ModelsListSortDirection | Unset = "desc",
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["cursor"] = cursor

    json_sort_by: str | Unset = UNSET
    if not isinstance(sort_by, Unset):
        json_sort_by = sort_by

    params["sort_by"] = json_sort_by

    json_sort_direction: str | Unset = UNSET
    if not isinstance(sort_direction, Unset):
        json_sort_direction = sort_direction

    params["sort_direction"] = json_sort_direction

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/models",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ModelPage | Problem | None:
    if response.status_code == 200:
        response_200 = ModelPage.from_dict(response.json())

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
) -> Response[ModelPage | Problem]:
    return Response(
        status_code=response.status_code,
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    cursor: str | Unset = UNSET,
    sort_by: ModelsListSortBy | Unset = "latest_version_created_at",
    sort_direction: ModelsListSortDirection | Unset = "desc",
) -> Response[ModelPage | Problem]:
    """List public models

    Args:
        cursor (str | Unset):
        sort_by (ModelsListSortBy | Unset):  Default: 'latest_version_created_at'.
        sort_direction (ModelsListSortDirection | Unset):  Default: 'desc'.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ModelPage | Problem]
    """

    kwargs = _get_kwargs(
        cursor=cursor,
        sort_by=sort_by,
        sort_direction=sort_direction,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    cursor: str | Unset = UNSET,
    sort_by: ModelsListSortBy | Unset = "latest_version_created_at",
    sort_direction: ModelsListSortDirection | Unset = "desc",
) -> ModelPage | Problem | None:
    """List public models

    Args:
        cursor (str | Unset):
        sort_by (ModelsListSortBy | Unset):  Default: 'latest_version_created_at'.
        sort_direction (ModelsListSortDirection | Unset):  Default: 'desc'.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ModelPage | Problem
    """

    return sync_detailed(
        client=client,
        cursor=cursor,
        sort_by=sort_by,
        sort_direction=sort_direction,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    cursor: str | Unset = UNSET,
    sort_by: ModelsListSortBy | Unset = "latest_version_created_at",
    sort_direction: ModelsListSortDirection | Unset = "desc",
) -> Response[ModelPage | Problem]:
    """List public models

    Args:
        cursor (str | Unset):
        sort_by (ModelsListSortBy | Unset):  Default: 'latest_version_created_at'.
        sort_direction (ModelsListSortDirection | Unset):  Default: 'desc'.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ModelPage | Problem]
    """

    kwargs = _get_kwargs(
        cursor=cursor,
        sort_by=sort_by,
        sort_direction=sort_direction,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    cursor: str | Unset = UNSET,
    sort_by: ModelsListSortBy | Unset = "latest_version_created_at",
    sort_direction: ModelsListSortDirection | Unset = "desc",
) -> ModelPage | Problem | None:
    """List public models

    Args:
        cursor (str | Unset):
        sort_by (ModelsListSortBy | Unset):  Default: 'latest_version_created_at'.
        sort_direction (ModelsListSortDirection | Unset):  Default: 'desc'.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ModelPage | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            cursor=cursor,
            sort_by=sort_by,
            sort_direction=sort_direction,
        )
    ).parsed
