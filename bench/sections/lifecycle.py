"""4. Lifecycle on the virtual clock: N predictions of 60 virtual seconds each.

Done as a user with many predictions would: ``AsyncClient`` creates them a few at a time,
one ``/_mock/clock/advance`` finishes them all, and they are read back from the newest-first
``predictions.list`` pages (``created_after`` the first one's ``created_at``), stopping once every one has
been seen succeeded: ten pages of 100 instead of a thousand ``get`` calls. The same work done
one call at a time (blocking ``create`` for each, then ``get`` for each) is the second row, on
a fresh mock of its own. The baseline of the first row is the wall time the work needs on a
real clock: 60 s, even if all ran at once.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

import httpx

import replicate_kit
from bench.procs import TOKEN, BenchError, mock_server, register_model
from bench.report import Row
from bench.settings import Settings

GOAL_SECONDS = 0.5
# Creates in flight at once. Client and mock each spend a few hundred microseconds of CPU per
# create, so two in flight already keep both busy; many more only make httpcore's pool scan
# more connections per request (it checks every idle one), which costs more than it overlaps.
CONCURRENCY = 4


def _script(seconds: float) -> dict[str, Any]:
    return {"owner": "bench", "name": "minute", "setup_time": 0, "run_time": seconds}


async def _at_once(url: str, version: str, count: int, advance: Any) -> dict[str, float]:
    async with replicate_kit.AsyncClient(TOKEN, base_url=url) as kit:
        await kit.predictions.async_list()  # connection and lazy imports, as a warm client has
        gate = asyncio.Semaphore(CONCURRENCY)

        async def create() -> replicate_kit.Prediction:
            async with gate:
                return await kit.predictions.async_create(version=version, input={})

        started = time.perf_counter()
        created = await asyncio.gather(*(create() for _ in range(count)))
        made = time.perf_counter()
        advance()
        wanted = {p.id for p in created}
        statuses: dict[str, str] = {}
        since = min(p.created_at for p in created if p.created_at)
        async for prediction in kit.predictions.async_iter(created_after=since):
            if prediction.id in wanted:
                statuses[prediction.id] = prediction.status
                if len(statuses) == len(wanted):
                    break
        wall = time.perf_counter() - started
    _check(statuses, count)
    return {"wall_seconds": wall, "create_seconds": made - started}


def _one_by_one(url: str, version: str, count: int, advance: Any) -> dict[str, float]:
    with replicate_kit.Client(TOKEN, base_url=url) as kit:
        kit.predictions.list()
        started = time.perf_counter()
        ids = [kit.predictions.create(version=version, input={}).id for _ in range(count)]
        made = time.perf_counter()
        advance()
        statuses = {pid: kit.predictions.get(pid).status for pid in ids}
        wall = time.perf_counter() - started
    _check(statuses, count)
    return {"wall_seconds": wall, "create_seconds": made - started}


def _check(statuses: dict[str, str], count: int) -> None:
    if len(statuses) != count or set(statuses.values()) != {"succeeded"}:
        found = sorted(set(statuses.values()))
        raise BenchError(f"lifecycle: read back {len(statuses)} of {count}, statuses {found}")


def _measure(s: Settings, way: Any) -> dict[str, float]:
    seconds = s.lifecycle_seconds
    with (
        mock_server("--clock", "virtual") as mock,
        httpx.Client(base_url=mock.url, timeout=30) as control,
    ):
        version = register_model(control, {**_script(seconds), "output": "done"})

        def advance() -> None:
            control.post("/_mock/clock/advance", json={"seconds": seconds}).raise_for_status()

        result = way(mock.url, version, s.lifecycle_predictions, advance)
        if asyncio.iscoroutine(result):
            result = asyncio.run(result)
        return dict(result)


def run(s: Settings, raw: dict[str, Any]) -> list[Row]:
    count, seconds = s.lifecycle_predictions, s.lifecycle_seconds
    at_once = _measure(s, _at_once)
    one_by_one = _measure(s, _one_by_one)
    raw["lifecycle"] = {
        "predictions": count,
        "virtual_seconds_each": seconds,
        "concurrency": CONCURRENCY,
        **at_once,
        "one_by_one": one_by_one,
    }
    name = f"{count:,} predictions x {seconds:.0f} virtual s: create, advance, read back"
    return [
        Row(
            "4",
            f"{name} (async, {CONCURRENCY} at a time; list pages)",
            "s wall",
            at_once["wall_seconds"],
            goal=f"<{GOAL_SECONDS:g}",
            note=f"real clock: {seconds:.0f} s",
        ),
        Row(
            "4",
            f"{name} one by one (create each, get each) vs async",
            "s wall",
            one_by_one["wall_seconds"],
            at_once["wall_seconds"],
            "async",
        ),
    ]
