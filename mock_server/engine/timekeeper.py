"""When the clock moves: the one place that decides it.

The adapters never move the clock or choose how long to wait: they say what is happening (a
client reads a job, a request is held for a job, a stream has sent what was due, time passes in
the background, the control API asks for time) and do what the answer says — go on at once, or
sleep that many wall seconds and ask again. Per mode:

- auto: time jumps to the next thing a client could observe (instant and deterministic);
- virtual: time moves only when the control API advances it; waiting callers poll briefly;
- real: time passes on its own; waits sleep until the next planned action (capped, so a mode
  switch or a new action is seen soon).

Every function expects the caller to hold ``engine.lock``.
"""

from __future__ import annotations

from mock_server.engine.core import Engine
from mock_server.engine.jobs import Job

#: How often a caller waiting on a virtual clock looks again (someone else advances it).
VIRTUAL_POLL = 0.005
#: The longest single wait on the real clock.
REAL_POLL_CAP = 0.05


def read(engine: Engine, job: Job) -> None:
    """A client looks at ``job`` (a poll): on the auto clock, its next status change happens."""
    if engine.clock.mode == "auto" and not job.terminal:
        engine.jump_to_next_transition(job)


def hold_deadline(engine: Engine, seconds: float) -> float:
    """The clock instant a hold of ``seconds`` starting now ends at."""
    return engine.now() + seconds


def hold(engine: Engine, job: Job, deadline: float) -> float | None:
    """One step of holding a request for ``job`` until ``deadline``.

    None when the hold is over (the job is terminal or the deadline has come); otherwise the wall
    seconds to wait before the next step (0: go on at once).
    """
    engine.catch_up(job)
    now = engine.now()
    if job.terminal or now >= deadline:
        return None
    mode = engine.clock.mode
    target = job.next_transition_at
    if mode == "auto":
        if target is None or target > deadline:
            engine.clock.advance_to(deadline)
            engine.catch_up(job)
            return None
        engine.clock.advance_to(target)
        engine.catch_up(job)
        return 0.0
    if mode == "real":
        next_at = min(target if target is not None else deadline, deadline)
        return min(engine.clock.real_seconds(next_at - now), REAL_POLL_CAP)
    return VIRTUAL_POLL


def stream_pause(engine: Engine, job: Job) -> float:
    """A stream of ``job`` has sent every due event: wall seconds until it looks again (0: now)."""
    mode = engine.clock.mode
    if mode == "auto":
        engine.jump_to_next_event(job)
        return 0.0
    if mode == "real" and job.next_at is not None:
        return min(engine.clock.real_seconds(job.next_at - engine.now()), REAL_POLL_CAP)
    return VIRTUAL_POLL if mode == "virtual" else REAL_POLL_CAP


def tick(engine: Engine) -> None:
    """Background time passes: on the real clock, apply what has come due for those who watch
    (timers, webhooks, listeners; virtual clocks wait). Other jobs catch up when read."""
    if engine.clock.mode == "real":
        engine.settle_watched()


def advance(engine: Engine, seconds: float) -> float:
    """The control API moves the clock by ``seconds``; returns the new instant."""
    return engine.advance(seconds)
