"""200 ``run()`` calls through injected 429s, 503s and dropped connections: all succeed,
and the mock created exactly 200 predictions (no duplicate from a retried create)."""

from __future__ import annotations

from typing import Any

from replicate_kit import RetryPolicy

from .conftest import Kit
from .scenarios import HELLO

RUNS = 200


def test_two_hundred_runs_survive_faults_without_duplicates(kit: Kit, replicate_mock: Any) -> None:
    control = replicate_mock.control
    client = kit.client(
        base_url=replicate_mock.api_url,
        poll_interval=0.0,
        retry=RetryPolicy(max_retries=12, initial_delay=0.001, max_delay=0.01, max_retry_after=0.0),
    )
    before = control.create_count()
    start = max((e["seq"] for e in control.journal()), default=0)
    try:
        control.inject_fault(
            method="POST", path="/v1/predictions", status=429, rate=0.3, retry_after=1
        )
        control.inject_fault(method="GET", path="/v1/predictions/*", status=503, rate=0.3)
        control.inject_fault(method="GET", path="/v1/predictions/*", drop=True, rate=0.2)
        # wait=False: every run polls, so the GET faults are exercised too.
        outputs = [client.run(HELLO, input={"text": str(i)}, wait=False) for i in range(RUNS)]
        fired = {f["id"]: f["fired"] for f in control.faults()}
        throttled = next(f["fired"] for f in control.faults() if f["method"] == "POST")
    finally:
        control.clear_faults()
        client.close()
    assert outputs == [f"hello {i}" for i in range(RUNS)]
    assert all(count > 10 for count in fired.values()), fired  # the faults really happened

    # Exactly one prediction per run: no create was ever duplicated by a retry.
    assert control.create_count() - before == RUNS
    user = replicate_mock.username
    created = [
        e
        for e in control.journal(method="POST", path="/v1/predictions")
        if e["status"] == 201 and e["account"] == user
    ]
    assert len(created) == RUNS
    # Every create attempt was one of those 201s or an injected 429 (answered before
    # authentication, so it has no account) that the client then retried.
    attempts = [
        e for e in control.journal(method="POST", path="/v1/predictions") if e["seq"] > start
    ]
    assert len(attempts) == RUNS + throttled
    assert sorted({e["status"] for e in attempts}) == [201, 429]
