"""A prediction (or training) as a timeline of actions applied on the clock.

A job is created with its whole future already planned; the engine applies each action
when the clock reaches it, so the state at any instant is a pure function of the plan,
the clock and the cancellations received.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, NamedTuple, TypeVar

from mock_server.engine.runners import MISSING, Plan

TERMINAL = frozenset({"succeeded", "failed", "canceled", "aborted"})

# Phases order actions that fall on the same instant.
_START, _STEP, _FINISH, _DEADLINE = 0, 1, 2, 3

_WEBHOOK_JOBS_ONLY = "_replicate_mock_webhook_jobs_only"
L = TypeVar("L", bound=Callable[..., None])


def webhook_jobs_only(listener: L) -> L:
    """Mark a job listener that ignores every job without a webhook.

    The engine applies a job's timeline on the clock, in time order, only while something could
    observe it happen (a webhook, a training's completion, a listener not marked so); any other
    job catches up when it is read, which makes no difference to what a reader sees and spares
    every request settling every job (``Engine.settle_watched``).
    """
    setattr(listener, _WEBHOOK_JOBS_ONLY, True)
    return listener


def watches_every_job(listener: Callable[..., None]) -> bool:
    return not getattr(listener, _WEBHOOK_JOBS_ONLY, False)


@dataclass(frozen=True)
class FileRef:
    """A stored output file; rendered as an absolute URL from the request's base URL."""

    path: str


class StreamEvent(NamedTuple):
    """One event of a job's stream. A tuple: a token stream makes one per token, and a frozen
    dataclass sets each field through object.__setattr__ (three times the cost)."""

    seq: int
    event: str  # output | logs | error | done
    data: Any
    at: float


class Action(NamedTuple):
    """One planned change. A tuple: a job holds a few, made at every create (a frozen dataclass
    sets each field through object.__setattr__), and ordered by (at, phase, rank)."""

    at: float
    phase: int
    rank: int  # among the actions of its phase (the steps' order in the plan)
    kind: str
    value: Any = None


def _order(action: Action) -> tuple[float, int, int]:
    return (action.at, action.phase, action.rank)


@dataclass
class Job:
    id: str
    kind: str  # "prediction" or "training"
    seq: int
    account: str  # username of the owner
    model: str
    version: str
    input: dict[str, Any]
    plan: Plan
    created_at: float
    route: str
    deadline: float | None = None
    webhook: str | None = None
    webhook_events_filter: list[str] | None = None
    webhook_completed: str | None = None  # legacy: used only when `webhook` is not given
    deployment: str | None = None
    source: str = "api"
    extra: dict[str, Any] = field(default_factory=dict)
    status: str = "starting"
    output: Any = None
    logs: list[str] = field(default_factory=list)
    error: str | None = None
    started_at: float | None = None
    completed_at: float | None = None
    metrics: dict[str, Any] = field(default_factory=dict)
    events: list[StreamEvent] = field(default_factory=list)
    pending: list[Action] = field(default_factory=list)
    #: Applied on the clock in time order (True) or when read (see ``webhook_jobs_only``).
    observed: bool = True

    def __post_init__(self) -> None:
        plan = self.plan
        start = self.created_at + plan.setup_time
        if (
            not plan.steps
            and self.deadline is None
            and plan.cancel_at is None
            and plan.run_time >= 0
        ):
            # What the sort below gives: start, then finish (the phases order an equal instant).
            finish = Action(start + plan.run_time, _FINISH, 0, "finish")
            self.pending = [Action(start, _START, 0, "start"), finish]
            return
        actions = [Action(start, _START, 0, "start")]
        actions += [
            Action(start + step.at, _STEP, i, step.kind, step.value)
            for i, step in enumerate(self.plan.steps)
            if step.at <= self.plan.run_time
        ]
        actions.append(Action(start + self.plan.run_time, _FINISH, 0, "finish"))
        deadlines = [self.deadline] if self.deadline is not None else []
        if self.plan.cancel_at is not None:
            deadlines.append(self.created_at + self.plan.cancel_at)
        if deadlines:
            actions.append(Action(min(deadlines), _DEADLINE, 0, "deadline"))
        # By (at, phase, index) only: a tuple's own order would go on to compare the values.
        self.pending = sorted(actions, key=_order)

    @property
    def has_webhook(self) -> bool:
        return self.webhook is not None or self.webhook_completed is not None

    @property
    def terminal(self) -> bool:
        return self.status in TERMINAL

    @property
    def next_at(self) -> float | None:
        return self.pending[0].at if self.pending else None

    @property
    def next_transition_at(self) -> float | None:
        """When the status will next change (start, finish or deadline)."""
        for action in self.pending:
            if action.kind in ("start", "finish", "deadline"):
                return action.at
        return None

    def apply_next(self) -> list[str]:
        """Apply the earliest pending action; return what happened (for listeners)."""
        return self._apply(self.pending.pop(0))

    def _apply(self, action: Action) -> list[str]:
        if action.kind == "start":
            self.status = "processing"
            self.started_at = action.at
            return ["start"]
        if action.kind == "log":
            self.logs.append(str(action.value))
            self._emit("logs", str(action.value), action.at)
            return ["logs"]
        if action.kind == "output":
            if self.plan.iterator:
                self.output = [*(self.output or []), action.value]
            else:
                self.output = action.value
            self._emit("output", action.value, action.at)
            return ["output"]
        if action.kind == "finish":
            notes: list[str] = []
            if self.plan.error is not None:
                self.error = self.plan.error
                self._finish("failed", action.at)
            else:
                if self.plan.output is not MISSING:
                    self.output = self.plan.output
                    self._emit_final_output(action.at)
                    notes.append("output")
                elif self.plan.iterator and self.output is None:
                    self.output = []
                self._finish("succeeded", action.at)
            return [*notes, "completed"]
        if action.kind == "deadline":
            self._finish("aborted" if self.started_at is None else "canceled", action.at)
            return ["completed"]
        raise ValueError(f"unknown action {action.kind!r}")

    def apply_due(self, until: float) -> int:
        """Apply, in order, every pending action due at or before ``until``; how many.

        A token stream read late has thousands due at once: they are walked by index and cut
        off once (``pop(0)`` per action moved the rest each time), and a run of iterator outputs
        extends the output and the events in one step each (the output is a new list per run,
        not per token, so a list handed out earlier is never changed under its reader).
        """
        pending = self.pending
        count = len(pending)
        done = 0
        while done < count and pending[done].at <= until:
            action = pending[done]
            if action.kind == "output" and self.plan.iterator:
                end = done + 1
                while end < count and pending[end].at <= until and pending[end].kind == "output":
                    end += 1
                run = pending[done:end]
                self.output = [*(self.output or []), *(a.value for a in run)]
                first = len(self.events) + 1
                self.events.extend(
                    StreamEvent(first + i, "output", a.value, a.at) for i, a in enumerate(run)
                )
                done = end
                continue
            self._apply(action)
            done += 1
            if self.pending is not pending:  # finishing replaced the list: nothing is left
                return done
        del pending[:done]
        return done

    def cancel(self, now: float) -> bool:
        if self.terminal:
            return False
        self._finish("canceled", now)
        return True

    def _emit_final_output(self, at: float) -> None:
        values = self.output if isinstance(self.output, list) else [self.output]
        for value in values:
            self._emit("output", value, at)

    def _emit(self, event: str, data: Any, at: float) -> None:
        self.events.append(StreamEvent(len(self.events) + 1, event, data, at))

    def _finish(self, status: str, at: float) -> None:
        self.status = status
        self.completed_at = at
        self.pending = []
        metrics: dict[str, Any] = {}
        if self.started_at is not None:
            metrics["predict_time"] = round(at - self.started_at, 6)
        metrics["total_time"] = round(at - self.created_at, 6)
        if status == "succeeded":
            metrics.update(self.plan.metrics)
        self.metrics = metrics
        if status == "failed":
            self._emit("error", {"detail": self.error or "Prediction failed"}, at)
            self._emit("done", {"reason": "error"}, at)
        elif status in ("canceled", "aborted"):
            self._emit("done", {"reason": "canceled"}, at)
        else:
            self._emit("done", {}, at)
