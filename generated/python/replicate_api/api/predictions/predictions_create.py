from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.prediction import Prediction
from ...models.problem import Problem
from ...models.version_prediction_request import VersionPredictionRequest
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: VersionPredictionRequest,
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
        "url": "/predictions",
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
    *,
    client: AuthenticatedClient | Client,
    body: VersionPredictionRequest,
    prefer: str | Unset = UNSET,
    cancel_after: str | Unset = UNSET,
) -> Response[Prediction | Problem]:
    """Run a model version

     Starts a prediction. `version` is a 64-character version id, `owner/name:<version id>`, or
    `owner/name` for official models.

    By default the call returns at once with `status: starting`; poll `urls.get`, follow
    `urls.stream`, or register a `webhook`. With `Prefer: wait` (or `wait=N`) the server holds the
    request until the prediction finishes or the wait elapses (sync mode). Even then the answer may
    still be `starting` or `processing`, and outputs that are ready may already be filled in (files
    possibly as `data:` URIs). `Cancel-After` is independent of sync mode: it bounds the
    prediction's total lifetime.

    Args:
        prefer (str | Unset):
        cancel_after (str | Unset):
        body (VersionPredictionRequest): Body of `predictions.create`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Prediction | Problem]
    """

    kwargs = _get_kwargs(
        body=body,
        prefer=prefer,
        cancel_after=cancel_after,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    body: VersionPredictionRequest,
    prefer: str | Unset = UNSET,
    cancel_after: str | Unset = UNSET,
) -> Prediction | Problem | None:
    """Run a model version

     Starts a prediction. `version` is a 64-character version id, `owner/name:<version id>`, or
    `owner/name` for official models.

    By default the call returns at once with `status: starting`; poll `urls.get`, follow
    `urls.stream`, or register a `webhook`. With `Prefer: wait` (or `wait=N`) the server holds the
    request until the prediction finishes or the wait elapses (sync mode). Even then the answer may
    still be `starting` or `processing`, and outputs that are ready may already be filled in (files
    possibly as `data:` URIs). `Cancel-After` is independent of sync mode: it bounds the
    prediction's total lifetime.

    Args:
        prefer (str | Unset):
        cancel_after (str | Unset):
        body (VersionPredictionRequest): Body of `predictions.create`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Prediction | Problem
    """

    return sync_detailed(
        client=client,
        body=body,
        prefer=prefer,
        cancel_after=cancel_after,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: VersionPredictionRequest,
    prefer: str | Unset = UNSET,
    cancel_after: str | Unset = UNSET,
) -> Response[Prediction | Problem]:
    """Run a model version

     Starts a prediction. `version` is a 64-character version id, `owner/name:<version id>`, or
    `owner/name` for official models.

    By default the call returns at once with `status: starting`; poll `urls.get`, follow
    `urls.stream`, or register a `webhook`. With `Prefer: wait` (or `wait=N`) the server holds the
    request until the prediction finishes or the wait elapses (sync mode). Even then the answer may
    still be `starting` or `processing`, and outputs that are ready may already be filled in (files
    possibly as `data:` URIs). `Cancel-After` is independent of sync mode: it bounds the
    prediction's total lifetime.

    Args:
        prefer (str | Unset):
        cancel_after (str | Unset):
        body (VersionPredictionRequest): Body of `predictions.create`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Prediction | Problem]
    """

    kwargs = _get_kwargs(
        body=body,
        prefer=prefer,
        cancel_after=cancel_after,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: VersionPredictionRequest,
    prefer: str | Unset = UNSET,
    cancel_after: str | Unset = UNSET,
) -> Prediction | Problem | None:
    """Run a model version

     Starts a prediction. `version` is a 64-character version id, `owner/name:<version id>`, or
    `owner/name` for official models.

    By default the call returns at once with `status: starting`; poll `urls.get`, follow
    `urls.stream`, or register a `webhook`. With `Prefer: wait` (or `wait=N`) the server holds the
    request until the prediction finishes or the wait elapses (sync mode). Even then the answer may
    still be `starting` or `processing`, and outputs that are ready may already be filled in (files
    possibly as `data:` URIs). `Cancel-After` is independent of sync mode: it bounds the
    prediction's total lifetime.

    Args:
        prefer (str | Unset):
        cancel_after (str | Unset):
        body (VersionPredictionRequest): Body of `predictions.create`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Prediction | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            prefer=prefer,
            cancel_after=cancel_after,
        )
    ).parsed
