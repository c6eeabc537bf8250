"""StreamPrediction's two message forms: one event per message, and batches (``batch`` set).

The server sends batches only to requests that ask, so clients written before ``events`` existed
keep working; replicate_kit asks, and reads either form (a server without batching ignores it).
"""

from __future__ import annotations

from typing import Any

import grpc
import pytest
from replicate_kit_grpc.v1 import predictions_pb2, predictions_pb2_grpc

import replicate_kit
from mock_server.engine.jobs import StreamEvent
from mock_server.grpc import events
from replicate_kit._transport import grpc_codec as codec
from replicate_kit._transport.base import RawEvent

Message = predictions_pb2.StreamPredictionResponse
ROOT = "http://mock.test"


@pytest.fixture
def stub(replicate_mock: Any) -> Any:
    with grpc.insecure_channel(replicate_mock.grpc_target) as channel:
        yield predictions_pb2_grpc.PredictionServiceStub(channel)


def _stream(stub: Any, replicate_mock: Any, prediction_id: str, **fields: Any) -> list[Message]:
    request = predictions_pb2.StreamPredictionRequest(prediction_id=prediction_id, **fields)
    auth = [("authorization", f"Bearer {replicate_mock.token}")]
    return list(stub.StreamPrediction(request, metadata=auth))


def _finished_llm(stub: Any, replicate_mock: Any, tokens: int) -> str:
    request = predictions_pb2.CreatePredictionRequest(model="meta/meta-llama-3-8b-instruct")
    request.input.update({"prompt": "hi", "seed": 3, "max_tokens": tokens})
    request.wait_seconds = 60
    auth = [("authorization", f"Bearer {replicate_mock.token}")]
    return str(stub.CreatePrediction(request, metadata=auth).prediction.id)


def _flat(messages: list[Message]) -> list[RawEvent]:
    return [event for message in messages for event in codec.raw_events(message)]


def test_a_batched_stream_carries_the_same_events_in_fewer_messages(
    stub: Any, replicate_mock: Any
) -> None:
    prediction_id = _finished_llm(stub, replicate_mock, 40)
    single = _stream(stub, replicate_mock, prediction_id)
    batched = _stream(stub, replicate_mock, prediction_id, batch=True)
    # Old form unless asked: every message is one event, none uses `events`.
    assert all(not m.events and m.WhichOneof("event") for m in single)
    # A finished prediction's events are all due at once: far fewer messages, same events.
    assert len(batched) < len(single) // 4
    assert any(len(m.events) > 1 for m in batched)
    assert _flat(batched) == _flat(single)
    assert _flat(single)[-1].event == "done"

    # Resuming after an id inside a batch replays exactly what came after it.
    flat = _flat(single)
    resumed = _stream(stub, replicate_mock, prediction_id, batch=True, last_event_id=flat[5].id)
    assert _flat(resumed) == flat[6:]


def _events(*events: tuple[str, Any]) -> list[StreamEvent]:
    return [StreamEvent(seq, name, data, 1.5) for seq, (name, data) in enumerate(events, 1)]


def _expected(due: list[StreamEvent]) -> bytes:
    """The batch message as the protobuf runtime writes it."""
    message = Message()
    for event in due:
        if not events.fill(message.events.add(), events.sse_event(event, ROOT)):
            del message.events[-1]
    return message.SerializeToString()


def test_batches_are_bounded_and_skip_unknown_events() -> None:
    due = _events(*[("output", f"t{i}") for i in range(events.MAX_BATCH_EVENTS + 3)])
    due.insert(1, StreamEvent(0, "ping", "", 1.5))
    messages = [Message.FromString(m) for m in events.batches(due, ROOT)]
    # At most MAX_BATCH_EVENTS of the due events per message (an unknown one is left out).
    assert [len(m.events) for m in messages] == [events.MAX_BATCH_EVENTS - 1, 4]
    outputs = [e.output for m in messages for e in m.events]
    assert outputs == [e.data for e in due if e.event != "ping"]
    big = "x" * (events.MAX_BATCH_BYTES // 2)
    large = [Message.FromString(m) for m in events.batches(_events(*[("logs", big)] * 5), ROOT)]
    # Two half-megabyte events fill a message; the fifth goes alone, in the one-event form.
    assert [len(m.events) for m in large] == [2, 2, 0] and large[-1].id == "1:5"
    # One due event keeps the one-event form, readable by any client.
    (lone,) = events.batches(_events(("done", {"reason": "canceled"})), ROOT)
    parsed = Message.FromString(lone)
    assert not parsed.events and parsed.id == "1:1" and parsed.done.reason == "canceled"


@pytest.mark.parametrize(
    "due",
    [
        [("output", " t1"), ("output", " t2"), ("output", "")],  # a token stream
        [("output", " t1"), ("output", " t2"), ("done", {})],  # ... and its end
        [("output", " t1"), ("output", " t2"), ("ping", "")],
        [("output", "a"), ("logs", "é ünïcode"), ("output", "x" * 200), ("output", "日本")],
        [("output", "a\r\nb\r"), ("error", {"detail": "boom"}), ("ping", "")],
        [("output", {"file": 1}), ("logs", "z" * 20_000), ("done", {"reason": "canceled"})],
    ],
)
def test_the_written_bytes_are_the_protobuf_runtimes(due: list[tuple[str, Any]]) -> None:
    stream = _events(*due)
    assert b"".join(events.batches(stream, ROOT)) == _expected(stream)
    for event in stream:
        message = Message()
        if events.fill(message, events.sse_event(event, ROOT)):
            assert list(events.singles([event], ROOT)) == [message.SerializeToString()]
            assert list(events.batches([event], ROOT)) == [message.SerializeToString()]
        else:
            assert list(events.singles([event], ROOT)) == []


def test_the_client_reads_both_forms() -> None:
    old = [Message(id="1:1", output="a"), Message(id="1:2", logs="l"), Message(id="1:3")]
    old[2].done.SetInParent()
    new = Message()
    for message in old:
        new.events.add().CopyFrom(message)
    expected = [
        RawEvent("output", "a", "1:1"),
        RawEvent("logs", "l", "1:2"),
        RawEvent("done", "{}", "1:3"),
    ]
    assert _flat(old) == expected
    assert _flat([new]) == expected
    assert codec.raw_events(Message(id="1:4")) == []  # no event: nothing the contract defines


def test_prediction_stream_over_grpc_reads_batches(replicate_mock: Any) -> None:
    with replicate_kit.Client(
        replicate_mock.token,
        base_url=replicate_mock.api_url,
        transport="grpc",
        grpc_target=replicate_mock.grpc_target,
    ) as grpc_kit:
        prediction = grpc_kit.predictions.create(
            model="meta/meta-llama-3-8b-instruct",
            input={"prompt": "hi", "seed": 4, "max_tokens": 30},
            wait=60,
        )
        over_grpc = [(e.event, str(e.data), e.id) for e in prediction.stream()]
    with replicate_kit.Client(replicate_mock.token, base_url=replicate_mock.api_url) as http_kit:
        again = http_kit.predictions.get(prediction.id)
        over_http = [(e.event, str(e.data), e.id) for e in again.stream()]
    assert over_grpc == over_http
    assert sum(1 for e in over_grpc if e[0] == "output") > 3


def _run(stream: list[StreamEvent]) -> bytes:
    """The output_run message as the protobuf runtime writes it."""
    message = Message()
    message.output_run.seconds.extend(int(e.at) for e in stream)
    message.output_run.seqs.extend(e.seq for e in stream)
    message.output_run.outputs.extend(e.data for e in stream)
    return message.SerializeToString()


def test_a_run_of_text_outputs_is_one_output_run() -> None:
    tokens = [StreamEvent(n, "output", f" t{n}", 0.25 * n) for n in range(1, 12)]
    tokens.append(StreamEvent(12, "output", "日本\nx", 2.999))
    assert list(events.runs(tokens, ROOT)) == [_run(tokens)]
    # The seconds of each id, also where the times cross several whole seconds.
    assert [e.id for e in codec.raw_events(Message.FromString(_run(tokens)))] == [
        f"{int(e.at)}:{e.seq}" for e in tokens
    ]
    done = StreamEvent(13, "done", {}, 3.5)
    assert list(events.runs([*tokens, done], ROOT)) == [
        _run(tokens),
        *events.singles([done], ROOT),
    ]
    # Times out of order (never made by a job, but read all the same): each converted.
    shuffled = [StreamEvent(n, "output", "a", at) for n, at in enumerate([5.5, 1.2, 3.0], 1)]
    assert list(events.runs(shuffled, ROOT)) == [_run(shuffled)]
    assert events._seconds([0.5, 0.9, 1.0, 1.5, 7.25]) == [0, 0, 1, 1, 7]


@pytest.mark.parametrize(
    "due",
    [
        [("output", " t1"), ("logs", "l"), ("output", " t2")],  # mixed: batched whole
        [("output", "a\r\nb"), ("output", "c")],  # a CR: as an SSE client reads it
        [("output", {"file": 1}), ("output", "c")],  # not text
        [("output", "lone")],  # one event keeps the one-event form
    ],
)
def test_other_chunks_take_the_batched_form(due: list[tuple[str, Any]]) -> None:
    stream = _events(*due)
    assert list(events.runs(stream, ROOT)) == list(events.batches(stream, ROOT))
    assert list(events.runs(stream, ROOT, events.singles)) == list(events.singles(stream, ROOT))


def _run_sizes(stream: list[StreamEvent]) -> list[int]:
    return [len(Message.FromString(m).output_run.outputs) for m in events.runs(stream, ROOT)]


def test_runs_are_bounded() -> None:
    assert _run_sizes(_events(*[("output", "t")] * (events.MAX_RUN_EVENTS + 5))) == [
        events.MAX_RUN_EVENTS,
        5,
    ]
    # Text past the limit: halved until each part fits, the events in order.
    size = events.MAX_RUN_CHARS // 3 + 1
    long = _events(*[("output", str(n) * size) for n in range(8)])
    assert _run_sizes(long) == [2, 2, 2, 2]
    assert [
        e.data for m in events.runs(long, ROOT) for e in codec.raw_events(Message.FromString(m))
    ] == [e.data for e in long]
    # One output past it alone: the general path, which bounds messages in bytes.
    huge = _events(("output", "x" * (events.MAX_RUN_CHARS + 1)), ("output", "y"))
    assert list(events.runs(huge, ROOT)) == list(events.batches(huge, ROOT))


def test_the_client_reads_output_runs() -> None:
    message = Message()
    message.output_run.seconds.extend([7, 7])
    message.output_run.seqs.extend([3, 4])
    message.output_run.outputs.extend(["a", "b\nc"])
    expected = [RawEvent("output", "a", "7:3"), RawEvent("output", "b\nc", "7:4")]
    assert codec.raw_events(message) == expected
    assert list(codec.batch(RawEvent, message)) == expected
    batched = Message()
    batched.events.add(id="7:5", output="d")
    assert list(codec.batch(RawEvent, batched)) == codec.raw_events(batched)
