"""RPCs call the operation layer directly (no HTTP request is built for them, the gRPC package
has no way to run one), and the shared steps (journal, faults, rate-limit metadata) still apply."""

from __future__ import annotations

import os
import subprocess
import sys
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

from mock_server.grpc import server, service
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


def test_a_finished_prediction_is_encoded_once_and_never_for_another_job(
    stub: Any, replicate_mock: Any
) -> None:
    predictions, _ = stub
    auth = _auth(replicate_mock)

    def finished(text: str) -> tuple[str, bytes]:
        request = predictions_pb2.CreatePredictionRequest(version=HELLO, wait_seconds=30)
        request.input.update({"text": text})
        created = predictions.CreatePrediction(request, metadata=auth).prediction
        get = predictions_pb2.GetPredictionRequest(prediction_id=created.id)
        first = predictions.GetPrediction(get, metadata=auth)
        assert first.prediction.output.string_value == f"hello {text}"
        assert predictions.GetPrediction(get, metadata=auth) == first
        return created.id, first.SerializeToString()

    before = len(service._ENCODED)
    prediction_id, encoded = finished("once")
    assert len(service._ENCODED) == before + 1  # one entry for both reads
    # A reset engine makes the same seeded id again, for another job: its own body is sent.
    replicate_mock.control.reset()
    again, other = finished("again")
    assert again == prediction_id and other != encoded


def test_the_server_loop_and_grpc_core_settings() -> None:
    import uvloop

    loop = server._new_loop()
    try:
        assert isinstance(loop, uvloop.Loop)
    finally:
        loop.close()
    # Set before grpc starts unless the user set it: a fresh interpreter shows both cases.
    script = "import os, mock_server.grpc; print(os.environ['GRPC_EXPERIMENTS'])"
    env = {k: v for k, v in os.environ.items() if k != "GRPC_EXPERIMENTS"}
    default = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True)
    assert default.stdout.decode().strip() == (
        "-event_engine_listener,-event_engine_for_all_other_endpoints"
    )
    own = subprocess.run(
        [sys.executable, "-c", script], env={**env, "GRPC_EXPERIMENTS": ""}, capture_output=True
    )
    assert own.stdout.decode().strip() == ""


def test_a_read_is_translated_once_per_request_and_metadata(stub: Any, replicate_mock: Any) -> None:
    predictions, _ = stub
    auth = _auth(replicate_mock)
    request = predictions_pb2.CreatePredictionRequest(version=HELLO, wait_seconds=30)
    request.input.update({"text": "reads"})
    created = predictions.CreatePrediction(request, metadata=auth).prediction
    get = predictions_pb2.GetPredictionRequest(prediction_id=created.id)
    assert predictions.GetPrediction(get, metadata=auth).prediction.id == created.id
    read = ("PredictionService.GetPrediction", get.SerializeToString())
    (key,) = [key for key in service._TRANSLATED if key[:2] == read]
    assert ("authorization", f"Bearer {TOKEN}") in key[2]  # with the user-agent grpc sends
    translated = service._TRANSLATED[key]
    size = len(service._TRANSLATED)
    for _ in range(2):
        assert predictions.GetPrediction(get, metadata=auth).prediction.id == created.id
    assert len(service._TRANSLATED) == size and service._TRANSLATED[key] is translated
    # The metadata is part of the key: another token is authenticated on its own.
    with pytest.raises(grpc.RpcError) as failure:
        predictions.GetPrediction(get, metadata=[("authorization", "Bearer r8_other")])
    assert failure.value.code() == grpc.StatusCode.UNAUTHENTICATED
    assert predictions.GetPrediction(get, metadata=auth).prediction.id == created.id
    # Every read is still a call of its own in the journal.
    journal = [e["path"] for e in replicate_mock.control.journal()]
    assert journal.count(f"/v1/predictions/{created.id}") == 5
    assert "PredictionService.CreatePrediction" not in service._READS
