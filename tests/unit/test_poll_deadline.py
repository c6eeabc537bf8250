"""The polling flow behind wait(timeout=): its last pause ends at the deadline."""

from __future__ import annotations

from typing import Any

import pytest

from replicate_kit._calls import Call, Flow, Sleep, call
from replicate_kit._flows import poll
from replicate_kit.exceptions import APITimeoutError


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def _drive(flow: Flow[Any], clock: FakeClock, statuses: list[str]) -> tuple[Any, list[float]]:
    """Run the flow: sleeps advance the fake clock, each fetch answers the next status."""
    pauses: list[float] = []
    sent: Any = None
    try:
        while True:
            effect = flow.send(sent)
            if isinstance(effect, Sleep):
                pauses.append(effect.seconds)
                clock.now += effect.seconds
                sent = None
            else:
                assert isinstance(effect, Call)
                sent = {"id": "p1", "status": statuses.pop(0)}
    except StopIteration as stop:
        return stop.value, pauses


def _fetch(prediction_id: str) -> Flow[Any]:
    return call(Call("predictions.get", path={"prediction_id": prediction_id}))


def test_last_pause_is_cut_at_the_deadline() -> None:
    clock = FakeClock()
    flow = poll({"id": "p1", "status": "starting"}, _fetch, 1.0, timeout=2.5, clock=clock)
    with pytest.raises(APITimeoutError, match=r"still 'processing' after 2.5s"):
        _drive(flow, clock, ["processing"] * 10)
    assert clock.now == pytest.approx(2.5)


def test_a_prediction_finishing_in_the_last_look_is_returned() -> None:
    clock = FakeClock()
    flow = poll({"id": "p1", "status": "starting"}, _fetch, 1.0, timeout=1.5, clock=clock)
    data, pauses = _drive(flow, clock, ["processing", "succeeded"])
    assert data["status"] == "succeeded"
    assert pauses == pytest.approx([1.0, 0.5])


def test_without_a_timeout_every_pause_is_the_interval() -> None:
    clock = FakeClock()
    flow = poll({"id": "p1", "status": "starting"}, _fetch, 0.25, clock=clock)
    data, pauses = _drive(flow, clock, ["processing", "processing", "aborted"])
    assert data["status"] == "aborted"
    assert pauses == [0.25, 0.25, 0.25]
