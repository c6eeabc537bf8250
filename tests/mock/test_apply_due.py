"""``Job.apply_due`` (how a job nothing observes catches up) against one ``apply_next`` at a time."""

from __future__ import annotations

import pytest

from mock_server.engine.core import Engine, EngineConfig
from mock_server.engine.jobs import Job

LLM = "meta/meta-llama-3-8b-instruct"


def _llm_job(tokens: int, cancel_after: float | None = None) -> Job:
    engine = Engine(EngineConfig(seed=3, clock="virtual"))
    account = engine.accounts.authenticate("r8_apply")
    assert account is not None
    model, version = engine.resolve_version(LLM, account.username)
    return engine.create_prediction(
        account,
        model,
        version,
        {"prompt": "tell me a story", "max_tokens": tokens},
        route="test",
        cancel_after=cancel_after,
    )


def _one_at_a_time(job: Job, until: float) -> int:
    applied = 0
    while job.pending and job.pending[0].at <= until:
        job.apply_next()
        applied += 1
    return applied


def _seen(job: Job) -> tuple[object, ...]:
    return (
        job.status,
        job.output,
        job.logs,
        job.error,
        job.metrics,
        job.started_at,
        job.completed_at,
        [(e.seq, e.event, e.data, e.at) for e in job.events],
        list(job.pending),
    )


@pytest.mark.parametrize("cancel_after", [None, 0.4])
def test_catching_up_in_steps_matches_applying_each_action(cancel_after: float | None) -> None:
    bulk = _llm_job(300, cancel_after)
    single = _llm_job(300, cancel_after)  # the same seed: the same job
    assert _seen(bulk) == _seen(single)
    start = bulk.created_at
    for offset in (0.0, 0.05, 0.2, 0.21, 0.5, 3.0, 60.0):
        assert bulk.apply_due(start + offset) == _one_at_a_time(single, start + offset)
        assert _seen(bulk) == _seen(single)
    assert bulk.terminal


def test_an_output_list_handed_out_earlier_is_not_changed() -> None:
    job = _llm_job(50)
    job.apply_due(job.created_at + 0.2)
    earlier = job.output
    assert isinstance(earlier, list) and earlier
    snapshot = list(earlier)
    job.apply_due(job.created_at + 60)
    assert earlier == snapshot and len(job.output) > len(snapshot)
