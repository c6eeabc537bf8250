from typing import Any, cast
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...types import Response


def _get_kwargs(
    model_owner: str,
    model_name: str,
    version_id: str,
) -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "delete",
        "url": "/models/{model_owner}/{model_name}/versions/{version_id}".format(
            model_owner=quote(str(model_owner), safe=""),
            model_name=quote(str(model_name), safe=""),
            version_id=quote(str(version_id), safe=""),
        ),
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Any | Problem | None:
    if response.status_code == 202:
        response_202 = cast(Any, None)
        return response_202

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = Problem.from_dict(response.json())

        return response_403

    if response.status_code == 404:
        response_404 = Problem.from_dict(response.json())

        return response_404

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
) -> Response[Any | Problem]:
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
) -> Response[Any | Problem]:
    """Delete a model version

     Deletion happens in the background, hence 202. It is refused for versions that are not the
    caller's own private ones, that other accounts have run, that serve as a training base or a
    deployment, or that another version points to.

    Args:
        model_owner (str):
        model_name (str):
        version_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | Problem]
    """

    kwargs = _get_kwargs(
        model_owner=model_owner,
        model_name=model_name,
        version_id=version_id,
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
) -> Any | Problem | None:
    """Delete a model version

     Deletion happens in the background, hence 202. It is refused for versions that are not the
    caller's own private ones, that other accounts have run, that serve as a training base or a
    deployment, or that another version points to.

    Args:
        model_owner (str):
        model_name (str):
        version_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | Problem
    """

    return sync_detailed(
        model_owner=model_owner,
        model_name=model_name,
        version_id=version_id,
        client=client,
    ).parsed


async def asyncio_detailed(
    model_owner: str,
    model_name: str,
    version_id: str,
    *,
    client: AuthenticatedClient | Client,
) -> Response[Any | Problem]:
    """Delete a model version

     Deletion happens in the background, hence 202. It is refused for versions that are not the
    caller's own private ones, that other accounts have run, that serve as a training base or a
    deployment, or that another version points to.

    Args:
        model_owner (str):
        model_name (str):
        version_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | Problem]
    """

    kwargs = _get_kwargs(
        model_owner=model_owner,
        model_name=model_name,
        version_id=version_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    model_owner: str,
    model_name: str,
    version_id: str,
    *,
    client: AuthenticatedClient | Client,
) -> Any | Problem | None:
    """Delete a model version

     Deletion happens in the background, hence 202. It is refused for versions that are not the
    caller's own private ones, that other accounts have run, that serve as a training base or a
    deployment, or that another version points to.

    Args:
        model_owner (str):
        model_name (str):
        version_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | Problem
    """

    return (
        await asyncio_detailed(
            model_owner=model_owner,
            model_name=model_name,
            version_id=version_id,
            client=client,
        )
    ).parsed
