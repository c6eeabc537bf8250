"""Matching rules and the near-miss report of a replayed cassette."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from mock_server import MockServer
from mock_server.record.cassette import Cassette
from mock_server.record.replay import Matching, install
from tests.record.conftest import Recorded

LLM_PATH = "/v1/models/meta/meta-llama-3-8b-instruct/predictions"


def _client(recorded: Recorded, rule: str) -> Iterator[httpx.Client]:
    server = MockServer(seed=5, clock="auto")
    install(server.engine, [recorded.folder], Matching.parse(rule))
    with (
        server,
        httpx.Client(
            base_url=server.url, headers={"Authorization": "Bearer r8_matching"}
        ) as client,
    ):
        yield client


@pytest.fixture
def exact(recorded: Recorded) -> Iterator[httpx.Client]:
    yield from _client(recorded, "exact")


def _story(client: httpx.Client) -> str:
    return str(client.get("/v1/models/acme/story").json()["latest_version"]["id"])


def test_a_near_miss_names_the_closest_recording_and_the_difference(exact: httpx.Client) -> None:
    response = exact.post(
        "/v1/predictions", json={"version": _story(exact), "input": {"topic": "cat"}}
    )
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["title"] == "No matching recording"
    assert body["closest_recording"] == "0001-prediction-acme-story.yaml"
    assert body["differences"] == [{"field": "input.topic", "recorded": "fox", "requested": "cat"}]
    assert "0001-prediction-acme-story.yaml" in body["detail"] and "'cat'" in body["detail"]


def test_a_recorded_built_in_is_replaced_by_its_recordings(exact: httpx.Client) -> None:
    # The mock's own LLM would answer any prompt; the recorded one only what was recorded.
    response = exact.post(LLM_PATH, json={"input": {"prompt": "Hello", "seed": 3}})
    assert response.status_code == 422
    assert response.json()["differences"][0]["field"] == "input.prompt"
    assert exact.post(LLM_PATH, json={"input": {"prompt": "Hi", "seed": 3}}).status_code == 201


def test_defaults_count_as_given(exact: httpx.Client) -> None:
    # The story's schema defaults seed to 7: leaving it out or sending 7 is the same input.
    version = _story(exact)
    for given in ({"topic": "fox"}, {"topic": "fox", "seed": 7}):
        assert (
            exact.post("/v1/predictions", json={"version": version, "input": given}).status_code
            == 201
        )
    missed = exact.post(
        "/v1/predictions", json={"version": version, "input": {"topic": "fox", "seed": 8}}
    )
    assert missed.json()["differences"] == [{"field": "input.seed", "recorded": 7, "requested": 8}]


@pytest.mark.parametrize("rule", ["ignore:seed,prompt", "any"])
def test_looser_rules_match_other_inputs(recorded: Recorded, rule: str) -> None:
    for client in _client(recorded, rule):
        created = client.post(LLM_PATH, json={"input": {"prompt": "Hello", "seed": 9}})
        assert created.status_code == 201
        got = client.get(f"/v1/predictions/{created.json()['id']}", headers={"Prefer": "wait"})
        while got.json()["status"] != "succeeded":
            got = client.get(f"/v1/predictions/{created.json()['id']}")
        entries = Cassette.open(recorded.folder).entries()
        llm = next(e for _, e in entries if e["model"] == "meta/meta-llama-3-8b-instruct")
        assert got.json()["output"] == llm["output"]


def test_matching_rules_parse() -> None:
    assert Matching.parse("ignore:a, b") == Matching("ignore", frozenset({"a", "b"}))
    with pytest.raises(ValueError, match="exact, any or ignore"):
        Matching.parse("ignore:")


def test_equal_matches_replay_in_turn() -> None:
    from mock_server.engine.runners import Plan, RunContext
    from mock_server.record.replay import Recording, ReplayRunner

    plans = [Plan(setup_time=0, run_time=1, output=n) for n in range(2)]
    runner = ReplayRunner("acme/x:v", "prediction", Matching())
    runner.recordings += [Recording(f"000{n}", {"a": 1}, plan) for n, plan in enumerate(plans)]
    context = RunContext({"a": 1}, seed=0, model="acme/x", version="v")
    assert [runner(context).output for _ in range(3)] == [0, 1, 0]
