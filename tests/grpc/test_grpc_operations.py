"""RPCs call the operation layer directly (no HTTP request is built for them, the gRPC package
has no way to run one), and the shared steps (journal, faults, rate-limit metadata) still apply."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import grpc
import pytest
from replicate_kit_grpc.v1 import (
    account_pb2,
    account_pb2_grpc,
    predictions_pb2,
    predictions_pb2_grpc,
)

from mock_server.grpc.routes import ROUTES
from mock_server.grpc.service import services
from mock_server.http.app import api_handlers
from mock_server.http.operation import Operation
from mock_server.server import MockServer

TOKEN = "r8_direct"
HELLO = "replicate/hello-world:5c7d5dc6dd8bf75c1acaa8565735e7986bc5b66206b55cca93cb72c9bf15ccaa"


@pytest.fixture(scope="module")
def own_mock() -> Iterator[MockServer]:
    # Its own server: these tests read the journal, which the shared one fills from other tests.
    with MockServer(grpc=True, tokens=[TOKEN]) as server:
        yield server


@pytest.fixture
def replicate_mock(own_mock: MockServer) -> MockServer:
    own_mock.control.reset()
    return own_mock


@pytest.fixture
def stub(replicate_mock: Any) -> Iterator[Any]:
    with grpc.insecure_channel(replicate_mock.grpc_target) as channel:
        yield predictions_pb2_grpc.PredictionServiceStub(channel), channel


def _auth(replicate_mock: Any) -> list[tuple[str, str]]:
    return [("authorization", f"Bearer {TOKEN}")]


def test_prediction_rpcs_run_their_operations_directly(stub: Any, replicate_mock: Any) -> None:
    predictions, channel = stub
    auth = _auth(replicate_mock)
    request = predictions_pb2.CreatePredictionRequest(version=HELLO)
    request.input.update({"text": "direct"})
    created = predictions.CreatePrediction(request, metadata=auth).prediction
    got = predictions.GetPrediction(
        predictions_pb2.GetPredictionRequest(prediction_id=created.id), metadata=auth
    ).prediction
    assert got.id == created.id
    listed = predictions.ListPredictions(predictions_pb2.ListPredictionsRequest(), metadata=auth)
    assert created.id in [p.id for p in listed.predictions]
    canceled = predictions.CancelPrediction(
        predictions_pb2.CancelPredictionRequest(prediction_id=created.id), metadata=auth
    ).prediction
    assert canceled.id == created.id
    account = account_pb2_grpc.AccountServiceStub(channel).GetAccount(
        account_pb2.GetAccountRequest(), metadata=auth
    )
    assert account.account.username
    journal = [(e["method"], e["path"], e["status"]) for e in replicate_mock.control.journal()]
    assert journal == [
        ("POST", "/v1/predictions", 201),
        ("GET", f"/v1/predictions/{created.id}", 200),
        ("GET", "/v1/predictions", 200),
        ("POST", f"/v1/predictions/{created.id}/cancel", 200),
        ("GET", "/v1/account", 200),
    ]


def test_an_injected_fault_reaches_the_direct_path(stub: Any, replicate_mock: Any) -> None:
    predictions, _ = stub
    replicate_mock.control.inject_fault("GET", "/v1/predictions/*", status=503, retry_after=2)
    with pytest.raises(grpc.RpcError) as failure:
        predictions.GetPrediction(
            predictions_pb2.GetPredictionRequest(prediction_id="nope"),
            metadata=_auth(replicate_mock),
        )
    assert failure.value.code() == grpc.StatusCode.UNAVAILABLE
    assert replicate_mock.control.journal()[-1]["status"] == 503


def test_a_dropped_connection_is_unavailable(stub: Any, replicate_mock: Any) -> None:
    predictions, _ = stub
    replicate_mock.control.inject_fault("GET", "/v1/predictions", drop=True)
    with pytest.raises(grpc.RpcError) as failure:
        predictions.ListPredictions(
            predictions_pb2.ListPredictionsRequest(), metadata=_auth(replicate_mock)
        )
    assert failure.value.code() == grpc.StatusCode.UNAVAILABLE
    assert replicate_mock.control.journal()[-1]["path"] == "/v1/predictions"


def test_every_unary_rpc_runs_a_transport_neutral_operation() -> None:
    handlers = api_handlers()
    bridged = [
        route.operation
        for service in services()
        for method in service.methods
        if not method.server_streaming
        for route in ROUTES[f"{service.name}.{method.name}"]
        if not isinstance(handlers[route.operation], Operation)
    ]
    assert bridged == []
