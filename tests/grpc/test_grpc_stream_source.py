"""StreamPrediction and the SSE route read one source of stream events: same events, same ids,
same faults, auth and journal entries on both transports."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import grpc
import httpx
import pytest
from replicate_kit_grpc.v1 import predictions_pb2, predictions_pb2_grpc

from mock_server.server import MockServer
from replicate_kit._transport import grpc_codec as codec

TOKEN = "r8_streams"
CHUNKS = [" plain", "two\nlines", "crlf\r\nline", "trailing cr\r", "", "end"]


@pytest.fixture(scope="module")
def own_mock() -> Iterator[MockServer]:
    # Its own server: these tests read the journal and inject faults.
    with MockServer(grpc=True, tokens=[TOKEN]) as server:
        yield server


@pytest.fixture
def mock(own_mock: MockServer) -> MockServer:
    own_mock.control.reset()
    return own_mock


@pytest.fixture
def stub(mock: MockServer) -> Iterator[Any]:
    with grpc.insecure_channel(mock.grpc_target) as channel:
        yield predictions_pb2_grpc.PredictionServiceStub(channel)


AUTH = [("authorization", f"Bearer {TOKEN}")]


def _prediction(
    mock: MockServer, chunks: list[str] = CHUNKS, *, name: str = "chunks", interval: float = 0.1
) -> str:
    """A finished prediction of a scripted model that streams ``chunks``."""
    model = mock.control.register_model(
        {"owner": "t", "name": name, "setup_time": 0, "chunk_interval": interval}
        | {"output": [{"chunk": chunk} for chunk in chunks]}
    )
    with httpx.Client(base_url=mock.url, headers=dict(AUTH)) as http:
        body = {"version": model["latest_version"]["id"], "input": {}}
        created = http.post("/v1/predictions", json=body, headers={"Prefer": "wait=60"})
    assert created.status_code == 201, created.text
    return str(created.json()["id"])


def _sse(mock: MockServer, prediction_id: str) -> list[tuple[str, str, str]]:
    """The events of the SSE route as a client reads them (a CR before LF ends the line)."""
    with httpx.Client(base_url=mock.url) as http:
        text = http.get(f"/v1/predictions/{prediction_id}/stream").text
    out = []
    for block in text.replace("\r\n", "\n").split("\n\n"):
        if not block.strip() or block.startswith(":"):
            continue
        lines = block.split("\n")
        data = "\n".join(line.removeprefix("data: ") for line in lines[2:])
        out.append((lines[0].removeprefix("event: "), lines[1].removeprefix("id: "), data))
    return out


def _read(stub: Any, prediction_id: str, **fields: Any) -> list[tuple[str, str, str]]:
    request = predictions_pb2.StreamPredictionRequest(prediction_id=prediction_id, **fields)
    return [
        (e.event, e.id or "", e.data)
        for message in stub.StreamPrediction(request, metadata=AUTH)
        for e in codec.raw_events(message)
    ]


def test_both_transports_send_the_same_events(stub: Any, mock: MockServer) -> None:
    prediction_id = _prediction(mock)
    sse = _sse(mock, prediction_id)
    assert [data for name, _, data in sse if name == "output"] == [
        " plain",
        "two\nlines",
        "crlf\nline",
        "trailing cr",
        "",
        "end",
    ]
    assert sse[-1][0] == "done"
    assert _read(stub, prediction_id) == sse
    assert _read(stub, prediction_id, batch=True) == sse
    assert _read(stub, prediction_id, batch=True, last_event_id=sse[2][1]) == sse[3:]
    # Runs of outputs as columns: the CR outputs between them take the general path.
    assert _read(stub, prediction_id, batch=True, output_runs=True) == sse
    assert _read(stub, prediction_id, output_runs=True) == sse
    # Resuming at the end of a finished stream: nothing more, and no done event to end on.
    with pytest.raises(grpc.RpcError) as ended:
        _read(stub, prediction_id, last_event_id=sse[-1][1])
    assert ended.value.code() == grpc.StatusCode.UNAVAILABLE


def test_a_dropped_stream_breaks_off_after_as_many_events(stub: Any, mock: MockServer) -> None:
    prediction_id = _prediction(mock)
    path = f"/v1/predictions/{prediction_id}/stream"
    mock.control.inject_fault("GET", path, drop_stream_after=3)
    assert len(_sse(mock, prediction_id)) == 3
    got: list[Any] = []
    request = predictions_pb2.StreamPredictionRequest(prediction_id=prediction_id, batch=True)
    with pytest.raises(grpc.RpcError) as failure:
        for message in stub.StreamPrediction(request, metadata=AUTH):
            got += codec.raw_events(message)
    assert failure.value.code() == grpc.StatusCode.UNAVAILABLE
    assert len(got) == 3
    journal = mock.control.journal(path=path)
    assert [e["status"] for e in journal] == [200, 200]
    assert journal[0]["account"] is None and journal[1]["account"]  # SSE had no token


@pytest.mark.parametrize(
    ("fault", "code", "status"),
    [
        ({"status": 503, "retry_after": 2}, grpc.StatusCode.UNAVAILABLE, 503),
        ({"drop": True}, grpc.StatusCode.UNAVAILABLE, 200),
    ],
)
def test_faults_on_the_stream_path(
    stub: Any, mock: MockServer, fault: dict[str, Any], code: grpc.StatusCode, status: int
) -> None:
    prediction_id = _prediction(mock)
    path = f"/v1/predictions/{prediction_id}/stream"
    mock.control.inject_fault("GET", path, **fault)
    with pytest.raises(grpc.RpcError) as failure:
        _read(stub, prediction_id)
    assert failure.value.code() == code
    assert [e["status"] for e in mock.control.journal(path=path)] == [status]


def test_stream_errors_and_auth(stub: Any, mock: MockServer) -> None:
    with pytest.raises(grpc.RpcError) as failure:
        _read(stub, "nope")
    assert failure.value.code() == grpc.StatusCode.NOT_FOUND
    assert [e["status"] for e in mock.control.journal(path="/v1/predictions/nope/stream")] == [404]
    prediction_id = _prediction(mock)
    # Without a token the prediction id is the capability, as over HTTP.
    request = predictions_pb2.StreamPredictionRequest(prediction_id=prediction_id)
    assert list(stub.StreamPrediction(request))[-1].WhichOneof("event") == "done"
    with pytest.raises(grpc.RpcError) as failure:
        list(stub.StreamPrediction(request, metadata=[("authorization", "Bearer r8_unknown")]))
    assert failure.value.code() == grpc.StatusCode.UNAUTHENTICATED


def test_a_token_stream_comes_in_output_runs_with_the_sse_events(
    stub: Any, mock: MockServer
) -> None:
    chunks = [f" t{i}" for i in range(300)] + ["日本", "two\nlines", ""]
    prediction_id = _prediction(mock, chunks, name="tokens", interval=0.001)
    sse = _sse(mock, prediction_id)
    assert [data for name, _, data in sse if name == "output"] == chunks
    request = predictions_pb2.StreamPredictionRequest(
        prediction_id=prediction_id, batch=True, output_runs=True
    )
    messages = list(stub.StreamPrediction(request, metadata=AUTH))
    # A finished stream's replay: one run of every output, then done on its own.
    assert [m.WhichOneof("event") or len(m.output_run.outputs) for m in messages] == [
        len(chunks),
        "done",
    ]
    assert [(e.event, e.id or "", e.data) for m in messages for e in codec.raw_events(m)] == sse
    # The flag is how the RPC frames its messages: the journal has the SSE route's entry.
    path = f"/v1/predictions/{prediction_id}/stream"
    assert [e["query"] for e in mock.control.journal(path=path)][-1] in ("", None)
