"""The chaos harness: ``run()`` calls under injected faults, counted on the mock.

Shared by the tests (``tests/chaos``) and the bench section (``bench/sections/chaos.py``).

The faults of issue 15, injected through the mock's control API on every route: 10 % 500,
10 % 503, 10 % 429 (``Retry-After: 1``), 20 % of POSTs and GETs dropped after the response
headers, and every event stream dropped after 5 events. The client's waits are zero (backoff,
``Retry-After`` cap, poll interval): the mock's auto clock jumps to each prediction's next
state, so no one sleeps and the figure is the client's and the mock's work alone.

Accounting, from the mock's own list of the account's predictions (read after the faults are
cleared): *complete* = calls that returned the right output; *duplicates* = predictions beyond
one per input; *orphans* = predictions no call returned (one per input at most is returned,
and only by a call that completed).
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Literal

import httpx

import replicate_kit
from replicate_kit import RetryPolicy

#: The chaos of issue 15, as control API fault rules (first match wins, so streams that pass
#: the other rules are the ones cut after 5 events).
FAULTS: dict[str, dict[str, Any]] = {
    "500": {"path": "/v1/*", "status": 500, "rate": 0.1},
    "503": {"path": "/v1/*", "status": 503, "rate": 0.1},
    "429": {"path": "/v1/*", "status": 429, "rate": 0.1, "retry_after": 1},
    "dropped POST": {"method": "POST", "path": "/v1/*", "drop": True, "rate": 0.2},
    "dropped GET": {"method": "GET", "path": "/v1/*", "drop": True, "rate": 0.2},
    "cut stream": {"method": "GET", "path": "/v1/predictions/*/stream", "drop_stream_after": 5},
}
MODEL = "replicate/hello-world"
THREADS = 16

Transport = Literal["http", "grpc"]


def policy(reconcile: bool = True) -> RetryPolicy:
    """Retries that never sleep: at ~42 % failed requests, 20 retries leave a call a ~1e-8
    chance of giving up. ``Retry-After`` is honoured, capped to zero."""
    return RetryPolicy(
        max_retries=20, initial_delay=0, max_delay=0, max_retry_after=0, reconcile=reconcile
    )


@dataclass
class Outcome:
    """What a chaos run did, counted on the mock."""

    calls: int
    complete: int
    created: int
    duplicates: int
    orphans: int
    wall: float
    #: Failures raised to callers (first few), and how often each fault rule fired.
    errors: list[str] = field(default_factory=list)
    fired: dict[str, int] = field(default_factory=dict)

    @property
    def perfect(self) -> bool:
        return self.complete == self.calls and self.duplicates == 0 and self.orphans == 0


@contextmanager
def chaos(control: httpx.Client, fired: dict[str, int]) -> Iterator[None]:
    """The faults injected for the duration of the block; ``fired`` gets how often each did
    (by its name in :data:`FAULTS`)."""
    ids = {
        _ok(control.post("/_mock/faults", json=rule)).json()["id"]: name
        for name, rule in FAULTS.items()
    }
    try:
        yield
    finally:
        now = _ok(control.get("/_mock/faults")).json()
        _ok(control.delete("/_mock/faults"))
        fired.update({ids[rule["id"]]: rule["fired"] for rule in now if rule["id"] in ids})


def align_clock(control: httpx.Client) -> None:
    """Bring the mock's virtual clock to this machine's time: reconciliation searches by
    creation time, and estimates the server's offset only from creates that succeeded."""
    now = float(_ok(control.get("/_mock/clock")).json()["now"])
    ahead = time.time() - now
    if ahead > 0:
        _ok(control.post("/_mock/clock/advance", json={"seconds": ahead}))


def client(
    root: str, token: str, transport: Transport, grpc_target: str | None, reconcile: bool = True
) -> replicate_kit.Client:
    options: dict[str, Any] = {"transport": "grpc", "grpc_target": grpc_target}
    return replicate_kit.Client(
        token,
        base_url=root,
        retry=policy(reconcile),
        poll_interval=0,
        **(options if transport == "grpc" else {}),
    )


def async_client(
    root: str, token: str, transport: Transport, grpc_target: str | None, reconcile: bool = True
) -> replicate_kit.AsyncClient:
    options: dict[str, Any] = {"transport": "grpc", "grpc_target": grpc_target}
    return replicate_kit.AsyncClient(
        token,
        base_url=root,
        retry=policy(reconcile),
        poll_interval=0,
        **(options if transport == "grpc" else {}),
    )


def runs(
    root: str,
    token: str,
    calls: int,
    *,
    transport: Transport = "http",
    grpc_target: str | None = None,
    awaited: bool = False,
    reconcile: bool = True,
) -> Outcome:
    """``calls`` ``run()`` calls of hello-world under chaos (16 threads, or as many tasks)."""
    texts = [f"chaos {i}" for i in range(calls)]
    fired: dict[str, int] = {}
    with httpx.Client(base_url=root, timeout=30) as control:
        align_clock(control)
        started = time.perf_counter()
        with chaos(control, fired):
            if awaited:
                results = asyncio.run(_arun(root, token, transport, grpc_target, reconcile, texts))
            else:
                with client(root, token, transport, grpc_target, reconcile) as kit:
                    results = _run(kit, texts)
        wall = time.perf_counter() - started
    complete = [text for text, got in zip(texts, results, strict=True) if got == f"hello {text}"]
    errors = [repr(got) for got in results if isinstance(got, BaseException)]
    outcome = account(root, token, complete, len(texts), wall)
    outcome.errors, outcome.fired = errors[:5], fired
    return outcome


def _run(kit: replicate_kit.Client, texts: list[str]) -> list[Any]:
    def call(text: str) -> Any:
        try:
            return kit.run(MODEL, input={"text": text})
        except replicate_kit.exceptions.ReplicateException as error:
            return error

    with ThreadPoolExecutor(THREADS) as pool:
        return list(pool.map(call, texts))


async def _arun(
    root: str,
    token: str,
    transport: Transport,
    grpc_target: str | None,
    reconcile: bool,
    texts: list[str],
) -> list[Any]:
    async with async_client(root, token, transport, grpc_target, reconcile) as kit:

        async def call(text: str) -> Any:
            try:
                return await kit.run(MODEL, input={"text": text})
            except replicate_kit.exceptions.ReplicateException as error:
                return error

        return list(await asyncio.gather(*(call(text) for text in texts)))


def predictions_of(root: str, token: str) -> list[replicate_kit.types.Prediction]:
    """Every prediction of the account, read without faults."""
    with replicate_kit.Client(token, base_url=root) as kit:
        return list(kit.predictions.iter())


def account(root: str, token: str, returned: Iterable[str], calls: int, wall: float) -> Outcome:
    """Count the mock's predictions against the inputs of the calls that returned one."""
    created = Counter(str((p.input or {}).get("text")) for p in predictions_of(root, token))
    done = set(returned)
    total = sum(created.values())
    return Outcome(
        calls=calls,
        complete=len(done),
        created=total,
        duplicates=total - len(created),
        orphans=sum(n - (1 if text in done else 0) for text, n in created.items()),
        wall=wall,
    )


def _ok(response: httpx.Response) -> httpx.Response:
    response.raise_for_status()
    return response
