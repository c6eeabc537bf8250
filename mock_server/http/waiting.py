"""Holding a request while a job runs: the timekeeper says whether to go on or how long to wait."""

from __future__ import annotations

import asyncio

from mock_server.engine import timekeeper
from mock_server.engine.core import Engine
from mock_server.engine.jobs import Job


async def hold(engine: Engine, job: Job, seconds: float) -> None:
    with engine.lock:
        deadline = timekeeper.hold_deadline(engine, seconds)
    while True:
        with engine.lock:
            pause = timekeeper.hold(engine, job, deadline)
        if pause is None:
            return
        if pause > 0:
            await asyncio.sleep(pause)
