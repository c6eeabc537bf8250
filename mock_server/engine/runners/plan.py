"""The timeline a runner promises: setup, timed logs/outputs, then success or failure."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal, TypeVar

MISSING: Any = object()


@dataclass(frozen=True)
class Blob:
    """A file the model outputs; the engine stores it and the output shows its URL."""

    name: str
    content_type: str
    data: bytes


@dataclass(frozen=True)
class Step:
    at: float  # seconds after processing started
    kind: Literal["log", "output"]
    value: Any


@dataclass(frozen=True)
class Plan:
    setup_time: float  # time spent in ``starting``
    run_time: float  # time spent in ``processing``
    steps: tuple[Step, ...] = ()
    iterator: bool = False  # output steps append to a list instead of replacing
    output: Any = MISSING  # final output set on success (non-iterator models)
    error: str | None = None  # fail with this message at the end of run_time
    metrics: dict[str, Any] = field(default_factory=dict)
    # Cancel (or abort, before processing) this long after creation unless it ended before:
    # a replayed recording that was canceled ends as it did.
    cancel_at: float | None = None


@dataclass(frozen=True)
class RunContext:
    input: dict[str, Any]  # validated, defaults applied
    seed: int  # per-prediction randomness drawn from the server seed
    model: str
    version: str
    # (file name, bytes) behind an input URL the mock itself can answer (data: URIs, its own
    # file and output URLs); None where it cannot (the mock never goes to the network).
    read_file: Callable[[str], tuple[str, bytes] | None] | None = None


Runner = Callable[[RunContext], Plan]


_INPUT_ONLY = "_replicate_mock_input_only"
R = TypeVar("R", bound=Runner)


def input_only(runner: R) -> R:
    """Mark a runner whose plan is a function of ``ctx.input`` alone (not of the seed, model,
    version or input files): the engine may reuse the plan it made for an equal input."""
    setattr(runner, _INPUT_ONLY, True)
    return runner


def is_input_only(runner: Runner) -> bool:
    return getattr(runner, _INPUT_ONLY, False) is True
