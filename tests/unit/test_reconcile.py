"""Ambiguous creates are reconciled (issue 15): found and adopted, or sent again only when absent.

Against a scripted API: each test sets what the create and the list answer, then checks the
requests the client made and what it returned or raised.
"""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from replicate_kit import RetryPolicy
from replicate_kit import exceptions as exc
from tests.unit.conftest import FakeAPI, V, body_of, prediction

NOW_ISO = "now"  # placeholder replaced by the current time when a page is served


def iso(instant: float) -> str:
    return datetime.fromtimestamp(instant, UTC).isoformat().replace("+00:00", "Z")


def listed(pid: str, text: str, *, age: float = 0.0, **extra: Any) -> dict[str, Any]:
    """A prediction as the list shows it, created ``age`` seconds ago."""
    fields = {"input": {"text": text}, "created_at": iso(time.time() - age), **extra}
    return prediction(pid, status="processing", **fields)


def page(*results: dict[str, Any], next: str | None = None) -> dict[str, Any]:
    return {"results": list(results), "next": next, "previous": None}


FAULT_500 = (500, {"title": "Internal Server Error", "status": 500, "detail": "create lost"})


def create(api: FakeAPI, **kwargs: Any) -> Any:
    client = api.client(**kwargs)
    return client.predictions.create(version=V, input={"text": "x"})


def test_a_create_answered_500_adopts_the_prediction_it_made(api: FakeAPI) -> None:
    api.on("POST /predictions", FAULT_500)
    api.on("GET /predictions", page(listed("other", "y"), listed("mine", "x", version=V)))
    made = create(api)
    assert made.id == "mine"
    assert len(api.sent("POST /predictions")) == 1
    (listing,) = api.sent("GET /predictions")
    since = datetime.fromisoformat(listing.url.params["created_after"].replace("Z", "+00:00"))
    # Just before the request: the client's clock minus the 5 s skew allowance.
    assert 4 < time.time() - since.timestamp() < 15


def test_a_dropped_create_with_nothing_made_is_sent_again(api: FakeAPI) -> None:
    api.on(
        "POST /predictions",
        httpx.RemoteProtocolError("peer closed connection"),
        prediction("second", input={"text": "x"}),
    )
    api.on("GET /predictions", page())
    assert create(api).id == "second"
    assert len(api.sent("POST /predictions")) == 2
    assert len(api.sent("GET /predictions")) == 1


@pytest.mark.parametrize(
    "twin",
    [
        listed("p", "other input"),
        listed("p", "x", version="o/m:" + "0" * 64),
        listed("p", "x", deployment="o/d"),
        listed("p", "x", age=60),  # older than the window
    ],
    ids=["input", "version", "deployment", "too-old"],
)
def test_only_the_same_target_and_input_in_the_window_is_adopted(
    api: FakeAPI, twin: dict[str, Any]
) -> None:
    api.on("POST /predictions", FAULT_500, prediction("new", input={"text": "x"}))
    api.on("GET /predictions", page(twin))
    assert create(api).id == "new"


def test_input_key_order_and_integral_floats_do_not_matter(api: FakeAPI) -> None:
    api.on("POST /models/o/m/predictions", FAULT_500)
    found = prediction("p", input={"b": 2.0, "a": [1.0]}, model="o/m", created_at=iso(time.time()))
    api.on("GET /predictions", page(found))
    client = api.client()
    made = client.predictions.create(model="o/m", input={"a": [1], "b": 2})
    assert made.id == "p"


def test_a_prediction_already_returned_is_never_adopted_twice(api: FakeAPI) -> None:
    first = listed("first", "x")
    api.on("POST /predictions", first, FAULT_500, prediction("second", input={"text": "x"}))
    api.on("GET /predictions", page(first))
    client = api.client()
    assert client.predictions.create(version=V, input={"text": "x"}).id == "first"
    # Same input again, outcome unknown: the listed twin is the one handed out already.
    assert client.predictions.create(version=V, input={"text": "x"}).id == "second"
    assert len(api.sent("POST /predictions")) == 3


def test_later_pages_are_read_up_to_the_limit(api: FakeAPI) -> None:
    next_url = "https://api.replicate.com/v1/predictions?cursor=2"
    api.on("POST /predictions", FAULT_500, prediction("new", input={"text": "x"}))
    api.on("GET /predictions", page(listed("a", "y"), next=next_url), page(listed("mine", "x")))
    assert create(api).id == "mine"
    api.requests.clear()
    api.on("POST /predictions", FAULT_500, prediction("new", input={"text": "x"}))
    api.on("GET /predictions", page(listed("a", "y"), next=next_url), page(listed("mine2", "x")))
    assert create(api, retry=RetryPolicy(initial_delay=0, reconcile_pages=1)).id == "new"


def test_when_the_list_cannot_be_read_the_create_error_stands(api: FakeAPI) -> None:
    api.on("POST /predictions", FAULT_500, prediction("never"))
    api.on("GET /predictions", (500, {"title": "down", "status": 500, "detail": "list down"}))
    with pytest.raises(exc.InternalServerError, match="create lost"):
        create(api)
    assert len(api.sent("POST /predictions")) == 1  # no guess: nothing sent again


def test_reconcile_false_raises_the_ambiguous_error_at_once(api: FakeAPI) -> None:
    api.on("POST /predictions", FAULT_500, prediction("never"))
    with pytest.raises(exc.InternalServerError):
        create(api, retry=RetryPolicy(initial_delay=0, reconcile=False))
    assert api.sent("GET /predictions") == []
    assert len(api.sent("POST /predictions")) == 1


def test_one_budget_bounds_the_resends_of_a_create(api: FakeAPI) -> None:
    # 503 (retried by the transport loop) and 500 (reconciled, then re-sent) draw on one count.
    unavailable = (503, {"title": "Unavailable", "status": 503})
    api.on("POST /predictions", unavailable, FAULT_500, unavailable, FAULT_500, prediction("x"))
    api.on("GET /predictions", page())
    with pytest.raises(exc.InternalServerError):
        create(api, retry=RetryPolicy(max_retries=3, initial_delay=0))
    assert len(api.sent("POST /predictions")) == 4


def test_max_retry_time_stops_retrying(api: FakeAPI) -> None:
    api.on("POST /predictions", FAULT_500, prediction("x"))
    api.on("GET /predictions", page())
    with pytest.raises(exc.InternalServerError):
        create(api, retry=RetryPolicy(initial_delay=1.0, jitter=0, max_retry_time=0.5))
    assert len(api.sent("POST /predictions")) == 1


def test_the_search_window_follows_the_servers_clock(api: FakeAPI) -> None:
    # The server runs an hour behind: learnt from a create that succeeded, used for the next.
    behind = iso(time.time() - 3600)
    api.on(
        "POST /predictions",
        prediction("first", input={"text": "a"}, created_at=behind),
        FAULT_500,
        prediction("second"),
    )
    api.on("GET /predictions", page())
    client = api.client()
    client.predictions.create(version=V, input={"text": "a"})
    client.predictions.create(version=V, input={"text": "b"})
    (listing,) = api.sent("GET /predictions")
    since = datetime.fromisoformat(listing.url.params["created_after"].replace("Z", "+00:00"))
    assert 3600 + 4 < time.time() - since.timestamp() < 3600 + 15


def test_trainings_are_reconciled_and_cut_off_by_creation_time(api: FakeAPI) -> None:
    path = f"POST /models/o/trainer/versions/{V}/trainings"
    api.on(path, FAULT_500)
    training = {**listed("t1", "x", model="o/trainer", version=V), "destination": "me/tuned"}
    api.on("GET /trainings", page(training))
    client = api.client()
    made = client.trainings.create(
        version=f"o/trainer:{V}", input={"text": "x"}, destination="me/tuned"
    )
    assert made.id == "t1"
    (listing,) = api.sent("GET /trainings")
    assert "created_after" not in listing.url.params  # trainings.list has no such filter
    assert len(api.sent(path)) == 1


def test_the_async_client_and_raw_forms_reconcile_too(api: FakeAPI) -> None:
    api.on("POST /predictions", FAULT_500)
    api.on("GET /predictions", page(listed("mine", "x")))
    client = api.client()

    async def main() -> str:
        made = await client.predictions.async_create(version=V, input={"text": "x"})
        return made.id

    assert asyncio.run(main()) == "mine"
    api.on("GET /predictions", page(listed("raw", "x")))
    raw = client.with_raw_response.predictions.create(version=V, input={"text": "x"})
    assert raw.parse().id == "raw"
    assert body_of(api.sent("POST /predictions")[-1])["input"] == {"text": "x"}


def test_an_error_after_the_prediction_started_carries_its_id(api: FakeAPI) -> None:
    api.on("POST /models/o/m/predictions", prediction("started", status="starting"))
    api.on("GET /models/o/m/versions/" + V, (404, {"status": 404}))
    api.on("GET /predictions/started", (502, {"title": "Bad Gateway", "status": 502}))
    client = api.client()
    with pytest.raises(exc.InternalServerError) as raised:
        client.run("o/m", input={})
    assert raised.value.prediction_id == "started"


def test_a_failed_create_has_no_prediction_id(api: FakeAPI) -> None:
    api.on("POST /predictions", (422, {"title": "Invalid", "status": 422}))
    with pytest.raises(exc.UnprocessableEntityError) as raised:
        create(api)
    assert raised.value.prediction_id is None
    assert api.sent("GET /predictions") == []  # a 422 is an answer: nothing to reconcile
