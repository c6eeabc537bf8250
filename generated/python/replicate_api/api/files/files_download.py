from io import BytesIO
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...types import UNSET, File, Response


def _get_kwargs(
    file_id: str,
    *,
    owner: str,
    expiry: int,
    signature: str,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["owner"] = owner

    params["expiry"] = expiry

    params["signature"] = signature

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/files/{file_id}/download".format(
            file_id=quote(str(file_id), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> File | Problem | None:
    if response.status_code == 200:
        response_200 = File(payload=BytesIO(response.content))

        return response_200

    if response.status_code == 400:
        response_400 = Problem.from_dict(response.json())

        return response_400

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
) -> Response[File | Problem]:
    return Response(
        status_code=response.status_code,
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    file_id: str,
    *,
    client: AuthenticatedClient,
    owner: str,
    expiry: int,
    signature: str,
) -> Response[File | Problem]:
    """Download a file's bytes through a signed URL

     The query string is a signature, so no token is needed: `signature` is the standard base64
    encoding of HMAC-SHA256 over the text `"{owner} {file_id} {expiry}"`, keyed with the service's
    file-signing secret. An expired or wrong signature answers 404.

    Args:
        file_id (str):
        owner (str):
        expiry (int):
        signature (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[File | Problem]
    """

    kwargs = _get_kwargs(
        file_id=file_id,
        owner=owner,
        expiry=expiry,
        signature=signature,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    file_id: str,
    *,
    client: AuthenticatedClient,
    owner: str,
    expiry: int,
    signature: str,
) -> File | Problem | None:
    """Download a file's bytes through a signed URL

     The query string is a signature, so no token is needed: `signature` is the standard base64
    encoding of HMAC-SHA256 over the text `"{owner} {file_id} {expiry}"`, keyed with the service's
    file-signing secret. An expired or wrong signature answers 404.

    Args:
        file_id (str):
        owner (str):
        expiry (int):
        signature (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        File | Problem
    """

    return sync_detailed(
        file_id=file_id,
        client=client,
        owner=owner,
        expiry=expiry,
        signature=signature,
    ).parsed


async def asyncio_detailed(
    file_id: str,
    *,
    client: AuthenticatedClient,
    owner: str,
    expiry: int,
    signature: str,
) -> Response[File | Problem]:
    """Download a file's bytes through a signed URL

     The query string is a signature, so no token is needed: `signature` is the standard base64
    encoding of HMAC-SHA256 over the text `"{owner} {file_id} {expiry}"`, keyed with the service's
    file-signing secret. An expired or wrong signature answers 404.

    Args:
        file_id (str):
        owner (str):
        expiry (int):
        signature (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[File | Problem]
    """

    kwargs = _get_kwargs(
        file_id=file_id,
        owner=owner,
        expiry=expiry,
        signature=signature,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    file_id: str,
    *,
    client: AuthenticatedClient,
    owner: str,
    expiry: int,
    signature: str,
) -> File | Problem | None:
    """Download a file's bytes through a signed URL

     The query string is a signature, so no token is needed: `signature` is the standard base64
    encoding of HMAC-SHA256 over the text `"{owner} {file_id} {expiry}"`, keyed with the service's
    file-signing secret. An expired or wrong signature answers 404.

    Args:
        file_id (str):
        owner (str):
        expiry (int):
        signature (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        File | Problem
    """

    return (
        await asyncio_detailed(
            file_id=file_id,
            client=client,
            owner=owner,
            expiry=expiry,
            signature=signature,
        )
    ).parsed
