"""The gRPC twin of the mock, called through the generated stubs (no replicate_kit)."""

from __future__ import annotations

import json
from typing import Any

import grpc
import pytest
from google.protobuf.message import Message
from google.rpc import error_details_pb2, status_pb2
from replicate_kit_grpc.v1 import (
    account_pb2,
    account_pb2_grpc,
    common_pb2,
    errors_pb2,
    models_pb2,
    models_pb2_grpc,
    predictions_pb2,
    predictions_pb2_grpc,
)

HELLO_VERSION = "5c7d5dc6dd8bf75c1acaa8565735e7986bc5b66206b55cca93cb72c9bf15ccaa"
HELLO = f"replicate/hello-world:{HELLO_VERSION}"


@pytest.fixture
def channel(replicate_mock: Any) -> Any:
    with grpc.insecure_channel(replicate_mock.grpc_target) as channel:
        yield channel


@pytest.fixture
def auth(replicate_mock: Any) -> list[tuple[str, str]]:
    return [("authorization", f"Bearer {replicate_mock.token}")]


def _details(error: grpc.RpcError) -> list[Message]:
    """The google.rpc.Status details of a failed call, unpacked."""
    raw = dict(error.trailing_metadata() or ())["grpc-status-details-bin"]  # type: ignore[attr-defined]
    status = status_pb2.Status.FromString(raw)
    out: list[Message] = []
    for packed in status.details:
        for cls in (errors_pb2.Problem, error_details_pb2.BadRequest, error_details_pb2.RetryInfo):
            if packed.Is(cls.DESCRIPTOR):
                message = cls()
                packed.Unpack(message)
                out.append(message)
    return out


def _create(channel: Any, auth: Any, text: str, **fields: Any) -> predictions_pb2.Prediction:
    request = predictions_pb2.CreatePredictionRequest(version=HELLO, **fields)
    request.input.update({"text": text})
    stub = predictions_pb2_grpc.PredictionServiceStub(channel)
    return stub.CreatePrediction(request, metadata=auth).prediction


def test_http_and_grpc_share_one_engine(channel: Any, auth: Any, replicate_mock: Any) -> None:
    created = _create(channel, auth, "twin", wait_seconds=10)
    assert created.status == common_pb2.PREDICTION_STATUS_SUCCEEDED
    assert created.output.string_value == "hello twin"
    with replicate_mock.client() as http:
        body = http.get(f"/predictions/{created.id}").json()
        assert body["output"] == "hello twin"
        account = http.get("/account").json()
    got = account_pb2_grpc.AccountServiceStub(channel).GetAccount(
        account_pb2.GetAccountRequest(), metadata=auth
    )
    assert got.account.username == account["username"]
    # URLs in gRPC responses point at the HTTP API, as the prediction's own links do.
    assert created.urls.get == f"{replicate_mock.api_url}/predictions/{created.id}"
    journal = replicate_mock.control.journal(method="POST", path="/v1/predictions")
    assert [e["status"] for e in journal if e["account"] == replicate_mock.username] == [201]


def test_stream_emits_the_sse_events(channel: Any, auth: Any, replicate_mock: Any) -> None:
    stub = predictions_pb2_grpc.PredictionServiceStub(channel)
    request = predictions_pb2.CreatePredictionRequest(model="meta/meta-llama-3-8b-instruct")
    request.input.update({"prompt": "hi", "seed": 5, "max_tokens": 12})
    prediction = stub.CreatePrediction(request, metadata=auth).prediction
    messages = list(
        stub.StreamPrediction(
            predictions_pb2.StreamPredictionRequest(prediction_id=prediction.id), metadata=auth
        )
    )
    with replicate_mock.client() as http:
        sse = http.get(f"/predictions/{prediction.id}/stream").text
    blocks = [b for b in sse.split("\n\n") if b.strip()]
    expected = []
    for block in blocks:
        lines = block.split("\n")
        name = lines[0].removeprefix("event: ")
        event_id = lines[1].removeprefix("id: ")
        data = "\n".join(line.removeprefix("data: ") for line in lines[2:])
        expected.append((name, event_id, data))
    got = []
    for m in messages:
        kind = m.WhichOneof("event")
        data = {
            "output": m.output,
            "logs": m.logs,
            "error": json.dumps({"detail": m.error.detail}, separators=(",", ":")),
            "done": "{}",
        }[kind]
        got.append((kind, m.id, data))
    assert got == expected
    assert got[-1][0] == "done" and len(got) > 3

    # Resuming after an event id replays only what came after it.
    resumed = list(
        stub.StreamPrediction(
            predictions_pb2.StreamPredictionRequest(
                prediction_id=prediction.id, last_event_id=messages[2].id
            ),
            metadata=auth,
        )
    )
    assert [m.id for m in resumed] == [m.id for m in messages[3:]]


def test_errors_carry_codes_and_problem_details(channel: Any, auth: Any) -> None:
    stub = predictions_pb2_grpc.PredictionServiceStub(channel)
    with pytest.raises(grpc.RpcError) as info:
        stub.GetPrediction(
            predictions_pb2.GetPredictionRequest(prediction_id="nope"), metadata=auth
        )
    assert info.value.code() == grpc.StatusCode.NOT_FOUND  # type: ignore[attr-defined]
    (problem,) = _details(info.value)
    assert isinstance(problem, errors_pb2.Problem)
    assert problem.status == 404 and "nope" in problem.detail

    with pytest.raises(grpc.RpcError) as info:
        stub.GetPrediction(predictions_pb2.GetPredictionRequest(prediction_id="x"))
    assert info.value.code() == grpc.StatusCode.UNAUTHENTICATED  # type: ignore[attr-defined]

    request = predictions_pb2.CreatePredictionRequest(version=HELLO)
    request.input.update({})
    with pytest.raises(grpc.RpcError) as info:
        stub.CreatePrediction(request, metadata=auth)
    assert info.value.code() == grpc.StatusCode.INVALID_ARGUMENT  # type: ignore[attr-defined]
    problem, bad_request = _details(info.value)
    assert isinstance(problem, errors_pb2.Problem) and problem.status == 422
    assert [f.description for f in problem.invalid_fields] == ["text is required"]
    assert isinstance(bad_request, error_details_pb2.BadRequest)
    assert [v.field for v in bad_request.field_violations] == ["input"]

    with pytest.raises(grpc.RpcError) as info:
        stub.GetPrediction(predictions_pb2.GetPredictionRequest(), metadata=auth)
    assert info.value.code() == grpc.StatusCode.INVALID_ARGUMENT  # type: ignore[attr-defined]


def test_rate_limit_is_resource_exhausted_with_retry_info(
    channel: Any, auth: Any, replicate_mock: Any
) -> None:
    control = replicate_mock.control
    control.inject_fault(method="GET", path="/v1/account", status=429, retry_after=7, count=1)
    stub = account_pb2_grpc.AccountServiceStub(channel)
    try:
        with pytest.raises(grpc.RpcError) as info:
            stub.GetAccount(account_pb2.GetAccountRequest(), metadata=auth)
    finally:
        control.clear_faults()
    assert info.value.code() == grpc.StatusCode.RESOURCE_EXHAUSTED  # type: ignore[attr-defined]
    problem, retry = _details(info.value)
    assert isinstance(problem, errors_pb2.Problem) and problem.retry_after == 7
    assert isinstance(retry, error_details_pb2.RetryInfo) and retry.retry_delay.seconds == 7


def test_pages_use_tokens(channel: Any, auth: Any, replicate_mock: Any) -> None:
    replicate_mock.server.engine.config.page_size = 2
    try:
        ids = {_create(channel, auth, str(i)).id for i in range(5)}
        stub = predictions_pb2_grpc.PredictionServiceStub(channel)
        seen: list[str] = []
        token = ""
        while True:
            page = stub.ListPredictions(
                predictions_pb2.ListPredictionsRequest(page_token=token), metadata=auth
            )
            seen += [p.id for p in page.predictions]
            token = page.next_page_token
            if not token:
                break
    finally:
        replicate_mock.server.engine.config.page_size = 100
    assert set(seen) == ids and len(seen) == 5


def test_model_reads(channel: Any, auth: Any) -> None:
    stub = models_pb2_grpc.ModelServiceStub(channel)
    model = stub.GetModel(
        models_pb2.GetModelRequest(model_owner="replicate", model_name="hello-world"), metadata=auth
    ).model
    assert model.latest_version.id == HELLO_VERSION
    readme = stub.GetModelReadme(
        models_pb2.GetModelReadmeRequest(model_owner="replicate", model_name="hello-world"),
        metadata=auth,
    )
    assert "hello" in readme.readme
    found = stub.SearchModels(models_pb2.SearchModelsRequest(query="hello"), metadata=auth)
    assert "hello-world" in [m.name for m in found.models]
