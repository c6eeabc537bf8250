"""Jobs nothing observes are applied when read, and nobody can tell.

The engine applies a job's timeline on the clock, in time order, only while something could see
it happen there (a webhook, a training's completion, a listener watching every job); any other
job catches up when it is read. Each test runs the same script against two mocks with the same
seed: one as served (lazy), one with a listener that watches every job, which puts every job on
the clock as every job used to be (eager). Every byte they answer, the journal, the webhook
outbox and the state file must be equal.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import orjson
import pytest

from mock_server import MockServer
from mock_server.engine import state_file, timekeeper
from mock_server.engine.core import Engine, EngineConfig
from mock_server.engine.jobs import Job
from tests.mock.conftest import HELLO, Message, call_app, http_scope

VERSION = HELLO.split(":")[1]
HOOK = "http://127.0.0.1:9/hook"
JSON = (b"content-type", b"application/json")


def _watch_everything(job: Job, event: str) -> None:
    """A listener not marked ``webhook_jobs_only``: the engine settles every job eagerly."""


def _pair(clock: str) -> tuple[MockServer, MockServer]:
    lazy = MockServer(seed=11, clock=clock, rate_limits=None)
    eager = MockServer(seed=11, clock=clock, rate_limits=None)
    eager.engine.listeners.append(_watch_everything)
    return lazy, eager


async def _send(
    server: MockServer,
    method: str,
    path: str,
    body: Any = None,
    headers: Sequence[tuple[bytes, bytes]] = (),
) -> list[Message]:
    raw = [(b"host", b"mock.test"), (b"authorization", b"Bearer r8_lazy"), *headers]
    data = b"" if body is None else orjson.dumps(body)
    if data:
        raw += [JSON, (b"content-length", str(len(data)).encode())]
    path, _, query = path.partition("?")
    scope = http_scope(method, path, raw, query.encode())
    chunks: list[Message] = [{"type": "http.request", "body": data, "more_body": False}]
    sent, error = await call_app(server.app, scope, chunks)
    if error is not None:
        raise error
    return sent


async def _both(
    pair: tuple[MockServer, MockServer], method: str, path: str, body: Any = None, **kw: Any
) -> Any:
    """Send to both; the answers must be byte-identical. Returns the decoded body."""
    ours = await _send(pair[0], method, path, body, **kw)
    theirs = await _send(pair[1], method, path, body, **kw)
    assert ours == theirs, (method, path)
    text = b"".join(m.get("body", b"") for m in ours[1:])
    if ours[0]["headers"].count(JSON):
        return orjson.loads(text)
    assert ours[0]["status"] < 400, text
    return text


def _advance(pair: tuple[MockServer, MockServer], seconds: float) -> None:
    for server in pair:
        server.control.advance(seconds)


def _pass_time(pair: tuple[MockServer, MockServer], seconds: float) -> None:
    """Time passes as on a real clock, with a tick of the server's ticker: nothing is read."""
    for server in pair:
        with server.engine.lock:
            server.engine.clock.advance(seconds)
            server.engine.settle_watched()  # what the real clock's tick does


def _same_state(pair: tuple[MockServer, MockServer]) -> None:
    lazy, eager = pair
    assert lazy.control.journal() == eager.control.journal()
    assert lazy.control.webhook_deliveries() == eager.control.webhook_deliveries()
    with lazy.engine.lock, eager.engine.lock:
        assert state_file.dump(lazy.engine) == state_file.dump(eager.engine)


def _observed(server: MockServer) -> dict[str, bool]:
    return {job.id: job.observed for job in server.engine.jobs.values()}


async def _create_all(pair: tuple[MockServer, MockServer]) -> dict[str, str]:
    """One prediction of each kind of timeline; returns their ids by name."""
    made = {
        "hello": await _both(
            pair, "POST", "/v1/predictions", {"version": VERSION, "input": {"text": "x"}}
        ),
        "llm": await _both(
            pair,
            "POST",
            "/v1/models/meta/meta-llama-3-8b-instruct/predictions",
            {"input": {"prompt": "tell me", "max_tokens": 20}, "stream": True},
        ),
        "fail": await _both(pair, "POST", "/v1/models/mock/fail/predictions", {"input": {}}),
        "slow": await _both(
            pair,
            "POST",
            "/v1/models/mock/slow/predictions",
            {"input": {"duration": 10}},
            headers=[(b"cancel-after", b"6s")],
        ),
        "image": await _both(
            pair, "POST", "/v1/models/stability-ai/sdxl/predictions", {"input": {"prompt": "x"}}
        ),
        "hooked": await _both(
            pair,
            "POST",
            "/v1/predictions",
            {
                "version": VERSION,
                "input": {"text": "hook"},
                "webhook": HOOK,
                "webhook_events_filter": ["start", "output", "completed"],
            },
        ),
    }
    return {name: body["id"] for name, body in made.items()}


async def test_virtual_clock_answers_alike_with_lazy_and_eager_settling() -> None:
    pair = _pair("virtual")
    ids = await _create_all(pair)
    # Only the prediction with a webhook is on the lazy engine's clock; all are on the other's.
    assert _observed(pair[0]) == {i: name == "hooked" for name, i in ids.items()}
    assert all(_observed(pair[1]).values())
    for step in (0.05, 0.1, 0.2, 1.0, 2.0, 5.0, 3.0):
        _pass_time(pair, step)
        for name in ("hello", "slow", "hooked"):  # some read at every step, others never
            await _both(pair, "GET", f"/v1/predictions/{ids[name]}")
        if step == 1.0:
            _same_state(pair)  # the never-read ones too: the state file reads every job
    await _both(pair, "GET", "/v1/predictions")
    _advance(pair, 0.5)  # the control API's advance
    await _both(pair, "POST", f"/v1/predictions/{ids['llm']}/cancel")
    _advance(pair, 100.0)
    for prediction in ids.values():
        body = await _both(pair, "GET", f"/v1/predictions/{prediction}")
        assert body["status"] in ("succeeded", "failed", "canceled")
        await _both(pair, "GET", f"/v1/predictions/{prediction}/stream")
    listed = await _both(pair, "GET", "/v1/predictions?created_after=2020-01-01T00:00:00Z")
    assert {p["id"] for p in listed["results"]} == set(ids.values())
    # (its output came with its completion: the completed delivery carries it)
    assert [d["event"] for d in pair[0].control.webhook_deliveries()] == ["start", "completed"]
    _same_state(pair)


async def test_auto_clock_answers_alike_with_lazy_and_eager_settling() -> None:
    pair = _pair("auto")
    ids = await _create_all(pair)
    for _ in range(3):  # each poll jumps the clock to that job's next status change
        for prediction in ids.values():
            await _both(pair, "GET", f"/v1/predictions/{prediction}")
    held = await _both(
        pair,
        "POST",
        "/v1/models/mock/slow/predictions",
        {"input": {"duration": 2}},
        headers=[(b"prefer", b"wait=5")],
    )
    assert held["status"] == "succeeded"
    await _both(pair, "GET", f"/v1/predictions/{ids['llm']}/stream")
    await _both(pair, "GET", "/v1/predictions")
    _same_state(pair)


def test_a_lazy_job_is_applied_when_read_with_its_own_instants() -> None:
    engine = Engine(EngineConfig(seed=5, clock="virtual"))
    account = engine.accounts.authenticate("r8_lazy")
    assert account is not None
    model, version = engine.resolve_version(HELLO, account.username)
    created = engine.now()
    job = engine.create_prediction(account, model, version, {"text": "a"}, route="test")
    assert not job.observed
    engine.clock.advance(10.0)
    engine.settle_watched()  # what every request and the real clock's ticker do
    assert job.status == "starting"  # nothing observes it: not applied on the clock
    assert engine.get_job(account, job.id) is job
    assert (job.status, job.output) == ("succeeded", "hello a")
    assert (job.started_at, job.completed_at) == (created + 0.1, created + 0.3)
    assert [(e.event, e.at) for e in job.events] == [
        ("output", created + 0.3),
        ("done", created + 0.3),
    ]


def _record_events(engine: Engine, seen: list[tuple[str, str, str]]) -> None:
    def listener(job: Job, event: str) -> None:
        seen.append((job.id, event, job.status))

    engine.listeners.append(listener)


@pytest.mark.parametrize("later", [0.0, 0.05, 0.15])
def test_a_listener_added_later_hears_what_eager_settling_tells_it(later: float) -> None:
    heard: list[list[tuple[str, str, str]]] = []
    for eager in (False, True):
        engine = Engine(EngineConfig(seed=5, clock="virtual"))
        if eager:
            engine.listeners.append(_watch_everything)
        account = engine.accounts.authenticate("r8_lazy")
        assert account is not None
        model, version = engine.resolve_version(HELLO, account.username)
        for text in ("a", "b", "c"):  # starting 0.1 s, then processing 0.2 s, 0.1 s apart
            engine.create_prediction(account, model, version, {"text": text}, route="test")
            engine.clock.advance(0.1)
        engine.clock.advance(later)  # as time passes on a real clock: settled, nothing read
        engine.settle_watched()
        seen: list[tuple[str, str, str]] = []
        _record_events(engine, seen)
        for _ in range(6):
            engine.advance(0.05)
        heard.append(seen)
    assert heard[0] == heard[1]
    assert heard[0][-1][1:] == ("completed", "succeeded")


def test_the_real_clock_ticker_leaves_unread_jobs_alone_and_webhook_jobs_on_time() -> None:
    engine = Engine(EngineConfig(seed=5, clock="virtual"))
    account = engine.accounts.authenticate("r8_lazy")
    assert account is not None
    model, version = engine.resolve_version(HELLO, account.username)
    plain = engine.create_prediction(account, model, version, {"text": "a"}, route="test")
    hooked = engine.create_prediction(
        account, model, version, {"text": "b"}, route="test", webhook=HOOK
    )
    engine.clock.advance(1.0)
    engine.clock.set_mode("real")  # time goes on from here; the ticker acts on a real clock
    timekeeper.tick(engine)
    assert (plain.status, hooked.status) == ("starting", "succeeded")
    assert [d.event for d in engine.webhooks.deliveries(hooked.id, None)] == ["completed"]
    assert engine.get_job(account, plain.id).status == "succeeded"
