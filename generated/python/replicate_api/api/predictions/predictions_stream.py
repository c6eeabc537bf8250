from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.stream_done_event import StreamDoneEvent
from ...models.stream_error_event import StreamErrorEvent
from ...models.stream_logs_event import StreamLogsEvent
from ...models.stream_output_event import StreamOutputEvent
from ...types import UNSET, Response, Unset


def _get_kwargs(
    prediction_id: str,
    *,
    last_event_id: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(last_event_id, Unset):
        headers["Last-Event-ID"] = last_event_id

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/predictions/{prediction_id}/stream".format(
            prediction_id=quote(str(prediction_id), safe=""),
        ),
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> (
    Problem
    | StreamDoneEvent
    | StreamErrorEvent
    | StreamLogsEvent
    | StreamOutputEvent
    | None
):
    if response.status_code == 200:

        def _parse_response_200(
            data: object,
        ) -> StreamDoneEvent | StreamErrorEvent | StreamLogsEvent | StreamOutputEvent:
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_stream_event_type_0 = StreamOutputEvent.from_dict(
                    data
                )

                return componentsschemas_stream_event_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_stream_event_type_1 = StreamLogsEvent.from_dict(data)

                return componentsschemas_stream_event_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_stream_event_type_2 = StreamErrorEvent.from_dict(data)

                return componentsschemas_stream_event_type_2
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, dict):
                raise TypeError()
            componentsschemas_stream_event_type_3 = StreamDoneEvent.from_dict(data)

            return componentsschemas_stream_event_type_3

        response_200 = _parse_response_200(response.text)

        return response_200

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
) -> Response[
    Problem | StreamDoneEvent | StreamErrorEvent | StreamLogsEvent | StreamOutputEvent
]:
    return Response(
        status_code=response.status_code,
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    prediction_id: str,
    *,
    client: AuthenticatedClient,
    last_event_id: str | Unset = UNSET,
) -> Response[
    Problem | StreamDoneEvent | StreamErrorEvent | StreamLogsEvent | StreamOutputEvent
]:
    """Follow a prediction as server-sent events

     Where replicate-kit serves `urls.stream`. The real service hands out an opaque URL on a separate
    streaming host instead (its shape has changed over time), and the JavaScript client fetches it
    without an `Authorization` header; so a client must treat `urls.stream` as opaque and this
    endpoint accepts requests with or without a token.

    The response is `text/event-stream`; `StreamEvent` describes its events as data:

    * `output`: one chunk of output as plain text (several `data:` lines join with newlines). For
      file outputs the chunk is a URL.
    * `logs`: one line of the model's logs, as plain text.
    * `error`: JSON `StreamErrorData`, the prediction failed.
    * `done`: JSON `StreamDoneData`, always the last event: `{}` on success,
      `{"reason": "canceled"}` or `{"reason": "error"}` otherwise.

    Every event has an `id:`. After a dropped connection, a client sends the last id it saw as
    `Last-Event-ID` and the server resumes after that event. Comment lines (`:`) may be sent as
    keep-alives. Clients must ignore event names they do not know.

    Args:
        prediction_id (str):
        last_event_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | StreamDoneEvent | StreamErrorEvent | StreamLogsEvent | StreamOutputEvent]
    """

    kwargs = _get_kwargs(
        prediction_id=prediction_id,
        last_event_id=last_event_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    prediction_id: str,
    *,
    client: AuthenticatedClient,
    last_event_id: str | Unset = UNSET,
) -> (
    Problem
    | StreamDoneEvent
    | StreamErrorEvent
    | StreamLogsEvent
    | StreamOutputEvent
    | None
):
    """Follow a prediction as server-sent events

     Where replicate-kit serves `urls.stream`. The real service hands out an opaque URL on a separate
    streaming host instead (its shape has changed over time), and the JavaScript client fetches it
    without an `Authorization` header; so a client must treat `urls.stream` as opaque and this
    endpoint accepts requests with or without a token.

    The response is `text/event-stream`; `StreamEvent` describes its events as data:

    * `output`: one chunk of output as plain text (several `data:` lines join with newlines). For
      file outputs the chunk is a URL.
    * `logs`: one line of the model's logs, as plain text.
    * `error`: JSON `StreamErrorData`, the prediction failed.
    * `done`: JSON `StreamDoneData`, always the last event: `{}` on success,
      `{"reason": "canceled"}` or `{"reason": "error"}` otherwise.

    Every event has an `id:`. After a dropped connection, a client sends the last id it saw as
    `Last-Event-ID` and the server resumes after that event. Comment lines (`:`) may be sent as
    keep-alives. Clients must ignore event names they do not know.

    Args:
        prediction_id (str):
        last_event_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | StreamDoneEvent | StreamErrorEvent | StreamLogsEvent | StreamOutputEvent
    """

    return sync_detailed(
        prediction_id=prediction_id,
        client=client,
        last_event_id=last_event_id,
    ).parsed


async def asyncio_detailed(
    prediction_id: str,
    *,
    client: AuthenticatedClient,
    last_event_id: str | Unset = UNSET,
) -> Response[
    Problem | StreamDoneEvent | StreamErrorEvent | StreamLogsEvent | StreamOutputEvent
]:
    """Follow a prediction as server-sent events

     Where replicate-kit serves `urls.stream`. The real service hands out an opaque URL on a separate
    streaming host instead (its shape has changed over time), and the JavaScript client fetches it
    without an `Authorization` header; so a client must treat `urls.stream` as opaque and this
    endpoint accepts requests with or without a token.

    The response is `text/event-stream`; `StreamEvent` describes its events as data:

    * `output`: one chunk of output as plain text (several `data:` lines join with newlines). For
      file outputs the chunk is a URL.
    * `logs`: one line of the model's logs, as plain text.
    * `error`: JSON `StreamErrorData`, the prediction failed.
    * `done`: JSON `StreamDoneData`, always the last event: `{}` on success,
      `{"reason": "canceled"}` or `{"reason": "error"}` otherwise.

    Every event has an `id:`. After a dropped connection, a client sends the last id it saw as
    `Last-Event-ID` and the server resumes after that event. Comment lines (`:`) may be sent as
    keep-alives. Clients must ignore event names they do not know.

    Args:
        prediction_id (str):
        last_event_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | StreamDoneEvent | StreamErrorEvent | StreamLogsEvent | StreamOutputEvent]
    """

    kwargs = _get_kwargs(
        prediction_id=prediction_id,
        last_event_id=last_event_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    prediction_id: str,
    *,
    client: AuthenticatedClient,
    last_event_id: str | Unset = UNSET,
) -> (
    Problem
    | StreamDoneEvent
    | StreamErrorEvent
    | StreamLogsEvent
    | StreamOutputEvent
    | None
):
    """Follow a prediction as server-sent events

     Where replicate-kit serves `urls.stream`. The real service hands out an opaque URL on a separate
    streaming host instead (its shape has changed over time), and the JavaScript client fetches it
    without an `Authorization` header; so a client must treat `urls.stream` as opaque and this
    endpoint accepts requests with or without a token.

    The response is `text/event-stream`; `StreamEvent` describes its events as data:

    * `output`: one chunk of output as plain text (several `data:` lines join with newlines). For
      file outputs the chunk is a URL.
    * `logs`: one line of the model's logs, as plain text.
    * `error`: JSON `StreamErrorData`, the prediction failed.
    * `done`: JSON `StreamDoneData`, always the last event: `{}` on success,
      `{"reason": "canceled"}` or `{"reason": "error"}` otherwise.

    Every event has an `id:`. After a dropped connection, a client sends the last id it saw as
    `Last-Event-ID` and the server resumes after that event. Comment lines (`:`) may be sent as
    keep-alives. Clients must ignore event names they do not know.

    Args:
        prediction_id (str):
        last_event_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | StreamDoneEvent | StreamErrorEvent | StreamLogsEvent | StreamOutputEvent
    """

    return (
        await asyncio_detailed(
            prediction_id=prediction_id,
            client=client,
            last_event_id=last_event_id,
        )
    ).parsed
