"""Holding a request while a job runs, in each clock mode.

auto: jump the clock to the job's next status change until it is terminal or the hold
expires (instant and deterministic); virtual: wait for someone to advance the clock;
real: sleep in wall time until the next planned action.
"""

from __future__ import annotations

import asyncio

from mock_server.engine.core import Engine
from mock_server.engine.jobs import Job

VIRTUAL_POLL = 0.005
REAL_POLL_CAP = 0.05


async def hold(engine: Engine, job: Job, seconds: float) -> None:
    with engine.lock:
        deadline = engine.now() + seconds
    while True:
        with engine.lock:
            engine.settle()
            now = engine.now()
            if job.terminal or now >= deadline:
                return
            mode = engine.clock.mode
            target = job.next_transition_at
            if mode == "auto":
                if target is None or target > deadline:
                    engine.clock.advance_to(deadline)
                    engine.settle()
                    return
                engine.clock.advance_to(target)
                engine.settle()
                continue
            if mode == "real":
                next_at = min(target if target is not None else deadline, deadline)
                pause = min(engine.clock.real_seconds(next_at - now), REAL_POLL_CAP)
            else:
                pause = VIRTUAL_POLL
        await asyncio.sleep(pause)
