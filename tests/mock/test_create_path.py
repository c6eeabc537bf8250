"""What a create reuses instead of making again gives the same predictions.

Plans of input-only runners are remembered by input; a mock that plans every job afresh
(``_plan_key`` answering None) must answer the same creates with the same bytes and hold the
same state.
"""

from __future__ import annotations

from typing import Any

import pytest

from mock_server import MockServer
from mock_server.engine import core, state_file
from mock_server.engine.jobs import Action, Job
from mock_server.engine.runners import Plan, Step
from tests.mock.conftest import asgi_client

CREATES: list[tuple[str, dict[str, Any]]] = [
    ("replicate/hello-world", {"text": "a"}),
    ("replicate/hello-world", {"text": "a"}),
    ("replicate/hello-world", {"text": "b"}),
    ("mock/echo", {"value": True}),
    ("mock/echo", {"value": 1}),  # equal to True, a different output
    ("mock/echo", {"value": 1}),
    ("mock/echo", {"value": 0.0}),
    ("mock/echo", {"value": -0.0}),
    ("mock/echo", {"value": ["a", "list"]}),  # a container: each job its own
    ("mock/echo", {"value": ["a", "list"]}),
    ("mock/fail", {"message": "boom"}),
    ("mock/fail", {"message": "boom"}),
    ("mock/slow", {"duration": 2}),
    ("meta/meta-llama-3-8b-instruct", {"prompt": "hi", "max_tokens": 8}),
    ("meta/meta-llama-3-8b-instruct", {"prompt": "hi", "max_tokens": 8}),
    ("stability-ai/sdxl", {"prompt": "x"}),  # uses the seed: never remembered
    ("stability-ai/sdxl", {"prompt": "x"}),
]


async def _run(server: MockServer) -> list[bytes]:
    answers: list[bytes] = []
    async with asgi_client(server) as client:
        ids = []
        for model, given in CREATES:
            created = await client.post(f"/models/{model}/predictions", json={"input": given})
            answers.append(created.content)
            ids.append(created.json()["id"])
        server.control.advance(100)
        for prediction in ids:
            answers.append((await client.get(f"/predictions/{prediction}")).content)
    return answers


async def test_remembered_plans_answer_as_fresh_ones(monkeypatch: pytest.MonkeyPatch) -> None:
    remembering = MockServer(seed=3, clock="virtual")
    ours = await _run(remembering)
    assert remembering.engine._plans  # some plans were reused
    monkeypatch.setattr(core, "_plan_key", lambda runner, run_input: None)
    fresh = MockServer(seed=3, clock="virtual")
    assert ours == await _run(fresh)
    assert not fresh.engine._plans
    with remembering.engine.lock, fresh.engine.lock:
        assert state_file.dump(remembering.engine) == state_file.dump(fresh.engine)
    outputs = [job.output for job in remembering.engine.jobs.values()]
    assert outputs[3:8] == [True, 1, 1, 0.0, -0.0]
    assert outputs[8] == outputs[9] and outputs[8] is not outputs[9]


def _job(plan: Plan, deadline: float | None = None) -> Job:
    return Job("j", "prediction", 1, "a", "m", "v", {}, plan, 10.0, "r", deadline=deadline)


@pytest.mark.parametrize(
    "plan",
    [
        Plan(setup_time=0.1, run_time=0.2, output="x"),
        Plan(setup_time=0.0, run_time=0.0, output="x"),
        Plan(setup_time=0.0, run_time=0.0, error="broken"),
        Plan(setup_time=0.5, run_time=-1.0),  # a recorded oddity: finish before start
        Plan(setup_time=0.1, run_time=1.0, steps=(Step(0.5, "log", "l"), Step(0.0, "log", "m"))),
        Plan(setup_time=0.1, run_time=1.0, cancel_at=0.05),
    ],
)
@pytest.mark.parametrize("deadline", [None, 10.1])
def test_a_jobs_timeline_is_its_actions_by_instant_then_phase(
    plan: Plan, deadline: float | None
) -> None:
    pending = _job(plan, deadline).pending
    assert pending == sorted(pending, key=lambda a: (a.at, a.phase, a.rank))
    kinds = [action.kind for action in pending]
    assert kinds.count("start") == kinds.count("finish") == 1
    assert ("deadline" in kinds) == (deadline is not None or plan.cancel_at is not None)
    assert all(isinstance(action, Action) for action in pending)
