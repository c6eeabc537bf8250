"""Flows shared by resources, objects and ``run()``: fetching and polling predictions and trainings."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from replicate_kit._calls import Call, Flow, Sleep
from replicate_kit._status import is_terminal
from replicate_kit.exceptions import APITimeoutError, ReplicateException, with_prediction_id

T = TypeVar("T")


def get_job(op: str, key: str, job_id: str) -> Flow[Any]:
    """The JSON of a prediction or training (``op`` ``predictions.get``, ``key`` ``prediction_id``)."""
    data = yield Call(op, path={key: job_id})
    return data


def get_prediction(prediction_id: str) -> Flow[Any]:
    return get_job("predictions.get", "prediction_id", prediction_id)


def poll(
    current: Mapping[str, Any],
    fetch: Callable[[str], Flow[Any]],
    interval: float,
    timeout: float | None = None,
    clock: Callable[[], float] = time.monotonic,
) -> Flow[dict[str, Any]]:
    """Re-fetch until the status is terminal (``aborted`` included).

    An error raised meanwhile carries the job's id (``error.prediction_id``): it may still run.
    """
    data = dict(current)
    deadline = None if timeout is None else clock() + timeout
    try:
        while not is_terminal(data.get("status")):
            if deadline is not None and clock() >= deadline:
                raise APITimeoutError(
                    f"{data.get('id')} still {data.get('status')!r} after {timeout:g}s of waiting"
                )
            # The last pause ends at the deadline: one more look, then the timeout, not a whole
            # interval late.
            pause = interval if deadline is None else min(interval, max(0.0, deadline - clock()))
            yield Sleep(pause)
            data = yield from fetch(str(data["id"]))
    except ReplicateException as error:
        with_prediction_id(error, str(current.get("id")))
        raise
    return data
