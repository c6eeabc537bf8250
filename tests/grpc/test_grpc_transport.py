"""The gRPC transport's pure mapping, and its retry safety against the served mock."""

from __future__ import annotations

import socket
from typing import Any

import grpc
import pytest
from google.protobuf import duration_pb2
from google.rpc import error_details_pb2, status_pb2
from replicate_kit_grpc.v1 import errors_pb2, files_pb2, predictions_pb2

import replicate_kit
from replicate_kit import RetryPolicy, exceptions
from replicate_kit._calls import Call
from replicate_kit._transport import grpc_codec as codec

HELLO = "replicate/hello-world:5c7d5dc6dd8bf75c1acaa8565735e7986bc5b66206b55cca93cb72c9bf15ccaa"
BASE = "http://api.test/v1"


def _details(*messages: Any) -> tuple[tuple[str, bytes]]:
    status = status_pb2.Status(code=3, message="x")
    for message in messages:
        status.details.add().Pack(message)
    return (("grpc-status-details-bin", status.SerializeToString()),)


# -- requests ---------------------------------------------------------------------------------


def test_create_call_becomes_a_create_prediction_request() -> None:
    call = Call(
        "models.predictions.create",
        path={"model_owner": "meta", "model_name": "llama"},
        body={"input": {"prompt": "hi", "n": 3}, "webhook_events_filter": ["completed"]},
        headers={"Prefer": "wait=5", "Cancel-After": "1h30m"},
    )
    request, _, _ = codec.build_request(call.op, call)
    assert isinstance(request, predictions_pb2.CreatePredictionRequest)
    assert request.WhichOneof("target") == "model" and request.model == "meta/llama"
    assert request.wait_seconds == 5
    assert request.cancel_after.ToSeconds() == 5400
    assert dict(request.input) == {"prompt": "hi", "n": 3.0}
    assert list(request.webhook_events_filter) == ["completed"]


def test_bad_cancel_after_and_unknown_fields_fail_like_the_http_api() -> None:
    with pytest.raises(exceptions.BadRequestError):
        codec.build_request(
            "predictions.create",
            Call(
                "predictions.create",
                body={"version": "v", "input": {}},
                headers={"Cancel-After": "soon"},
            ),
        )
    with pytest.raises(exceptions.UnprocessableEntityError, match="nope"):
        codec.build_request("predictions.create", Call("predictions.create", body={"nope": 1}))


def test_page_links_carry_the_token_and_come_back_as_requests() -> None:
    call = Call("models.versions.list", path={"model_owner": "a", "model_name": "b c"})
    _, path, query = codec.build_request(call.op, call)
    response = codec.response_json(
        call.op,
        codec.message_classes(codec.OPERATIONS[call.op])[1](next_page_token="tok/1"),
        base_url=BASE,
        path=path,
        query=query,
    )
    assert response == {
        "next": f"{BASE}/models/a/b%20c/versions?cursor=tok%2F1",
        "previous": None,
        "results": [],
    }
    again, _, _ = codec.build_request(call.op, Call(call.op, url=response["next"]))
    assert (again.model_owner, again.model_name, again.page_token) == ("a", "b c", "tok/1")  # type: ignore[attr-defined]


def test_messages_become_the_http_json() -> None:
    prediction = predictions_pb2.Prediction(id="p1", status=3)
    prediction.input.update({"n": 3, "x": 0.5})
    prediction.output.string_value = "hi"
    data = codec.message_json(prediction)
    assert data["status"] == "succeeded"
    assert data["input"] == {"n": 3, "x": 0.5} and isinstance(data["input"]["n"], int)
    assert data["error"] is None and data["started_at"] is None
    file = files_pb2.File(id="f1", size=12345678901)
    file.checksums["sha256"] = "abc"
    body = codec.message_json(file, BASE)
    assert body["size"] == 12345678901 and body["checksums"] == {"sha256": "abc"}
    assert body["urls"]["download"] == f"{BASE}/files/f1/download"


# -- errors -----------------------------------------------------------------------------------


def test_problem_details_give_the_http_error() -> None:
    problem = errors_pb2.Problem(status=429, title="Too many requests", detail="slow down")
    retry = error_details_pb2.RetryInfo(retry_delay=duration_pb2.Duration(seconds=3))
    error = codec.rpc_error(grpc.StatusCode.RESOURCE_EXHAUSTED, "x", _details(problem, retry))
    assert isinstance(error, exceptions.RateLimitError)
    assert (error.status, error.detail, error.retry_after) == (429, "slow down", 3.0)

    invalid = errors_pb2.Problem(status=422, title="Invalid")
    invalid.invalid_fields.add(type="required", field="input", description="text is required")
    error = codec.rpc_error(grpc.StatusCode.INVALID_ARGUMENT, "x", _details(invalid))
    assert isinstance(error, exceptions.UnprocessableEntityError)
    assert error.invalid_fields == [
        {"type": "required", "field": "input", "description": "text is required"}
    ]


def test_codes_without_details_map_to_statuses_and_connection_errors() -> None:
    error = codec.rpc_error(grpc.StatusCode.NOT_FOUND, "gone", None)
    assert isinstance(error, exceptions.NotFoundError) and error.status == 404
    refused = codec.rpc_error(
        grpc.StatusCode.UNAVAILABLE, "failed to connect to all addresses; Connection refused", None
    )
    assert isinstance(refused, exceptions.APIConnectionError) and not refused.request_sent
    dropped = codec.rpc_error(grpc.StatusCode.UNAVAILABLE, "Socket closed", None)
    assert isinstance(dropped, exceptions.APIConnectionError) and dropped.request_sent
    timeout = codec.rpc_error(grpc.StatusCode.DEADLINE_EXCEEDED, "", None)
    assert isinstance(timeout, exceptions.APITimeoutError)


# -- retry safety against the mock -----------------------------------------------------------


def _client(
    mock: Any, target: str | None = None, retries: int = 3, reconcile: bool = True
) -> replicate_kit.Client:
    policy = RetryPolicy(
        max_retries=retries, initial_delay=0.001, max_retry_after=0, reconcile=reconcile
    )
    return replicate_kit.Client(
        mock.token,
        base_url=mock.url,
        transport="grpc",
        grpc_target=target or mock.grpc_target,
        poll_interval=0,
        retry=policy,
    )


def test_a_dropped_create_is_not_retried(replicate_mock: Any) -> None:
    control = replicate_mock.control
    before = control.create_count()
    control.inject_fault(method="POST", path="/v1/predictions", drop=True, count=1)
    try:
        with pytest.raises(exceptions.APIConnectionError) as info:
            _client(replicate_mock, reconcile=False).predictions.create(
                version=HELLO.split(":")[1], input={"text": "x"}
            )
    finally:
        control.clear_faults()
    assert info.value.request_sent
    assert control.create_count() - before == 1  # it ran once; a retry would have made two


def test_a_dropped_create_is_reconciled_not_sent_again(replicate_mock: Any) -> None:
    control = replicate_mock.control
    client = _client(replicate_mock)
    version = HELLO.split(":")[1]
    # The mock's virtual clock is far from this machine's: a create that succeeds first tells
    # the client the offset its search window needs (see the README's Reliability section).
    client.predictions.create(version=version, input={"text": "first"})
    before = control.create_count()
    control.inject_fault(method="POST", path="/v1/predictions", drop=True, count=1)
    try:
        made = client.predictions.create(version=version, input={"text": "found"})
    finally:
        control.clear_faults()
    assert made.input == {"text": "found"}
    assert control.create_count() - before == 1  # the lost create was found and adopted


def test_a_throttled_create_is_retried_once_allowed(replicate_mock: Any) -> None:
    control = replicate_mock.control
    before = control.create_count()
    control.inject_fault(method="POST", path="/v1/predictions", status=429, retry_after=1, count=2)
    try:
        assert _client(replicate_mock).run(HELLO, input={"text": "again"}) == "hello again"
    finally:
        control.clear_faults()
    assert control.create_count() - before == 1


def test_an_unreachable_server_is_a_connection_error_before_sending(replicate_mock: Any) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    client = _client(replicate_mock, f"127.0.0.1:{port}", retries=1)
    with pytest.raises(exceptions.APIConnectionError) as info:
        client.predictions.create(version=HELLO.split(":")[1], input={"text": "x"})
    assert not info.value.request_sent


def test_missing_grpc_target_is_a_clear_error(replicate_mock: Any, monkeypatch: Any) -> None:
    monkeypatch.delenv("REPLICATE_GRPC_TARGET", raising=False)
    with pytest.raises(ValueError, match="grpc_target"):
        replicate_kit.Client(replicate_mock.token, transport="grpc")
