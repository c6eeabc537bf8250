"""``run()`` options and reference forms; Prediction object methods, blocking and async."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest

from replicate_kit import exceptions as exc
from replicate_kit import types

from .conftest import FakeAPI, V, body_of, prediction, sse, sse_response, version

ITERATOR = {"type": "array", "items": {"type": "string"}, "x-cog-array-type": "iterator"}


def test_run_sends_webhook_options_and_deadline(api: FakeAPI) -> None:
    api.on("POST /predictions", (201, prediction(status="succeeded", output="ok")))
    out = api.client().run(
        V,
        input={"a": 1},
        webhook="https://me.example/hook",
        webhook_events_filter=["start", "completed"],
        cancel_after="5m",
        wait=10,
    )
    assert out == "ok"
    request = api.requests[0]
    assert body_of(request) == {
        "version": V,
        "input": {"a": 1},
        "webhook": "https://me.example/hook",
        "webhook_events_filter": ["start", "completed"],
    }
    assert (request.headers["Prefer"], request.headers["Cancel-After"]) == ("wait=10", "5m")


@pytest.mark.parametrize("bad", ["owner", "a/b/c", "a/b:", "", "a/b:c:d"])
def test_malformed_refs_fail_before_any_request(api: FakeAPI, bad: str) -> None:
    with pytest.raises(ValueError, match="Invalid model reference"):
        api.client().run(bad, input={})
    assert api.requests == []


def test_run_accepts_model_and_version_objects(api: FakeAPI) -> None:
    api.on("POST /models/o/m/predictions", (201, prediction(status="succeeded", output="m")))
    api.on("POST /predictions", (201, prediction(status="succeeded", output=["x", "y"])))
    client = api.client()
    assert client.run(types.Model(owner="o", name="m"), input={}) == "m"
    schema = {"components": {"schemas": {"Output": ITERATOR}}}
    out = client.run(types.Version(id=V, openapi_schema=schema), input={})
    assert not isinstance(out, list) and list(out) == ["x", "y"]
    # The model route looks up the version it ran (for its output schema); the Version
    # object brought its schema along, so that run needed no lookup.
    assert [r.method + " " + r.url.path for r in api.requests] == [
        "POST /v1/models/o/m/predictions",
        f"GET /v1/models/o/m/versions/{V}",
        "POST /v1/predictions",
    ]


def test_canceled_run_returns_without_raising(api: FakeAPI) -> None:
    api.on("POST /predictions", (201, prediction(status="canceled", output=None)))
    assert api.client().run(V, input={}) is None


def test_model_error_carries_the_prediction(api: FakeAPI) -> None:
    api.on("POST /predictions", (201, prediction(status="starting")))
    api.on("GET /predictions/p1", prediction(status="failed", error="CUDA out of memory"))
    with pytest.raises(exc.ModelError) as info:
        api.client().run(V, input={}, wait=False)
    assert str(info.value) == "CUDA out of memory"
    assert info.value.prediction.id == "p1" and info.value.prediction.status == "failed"


def test_iterator_output_raises_model_error_after_partial_items(api: FakeAPI) -> None:
    api.on("POST /predictions", (201, prediction(status="processing", output=["a"])))
    api.on("GET /predictions/p1", prediction(status="failed", output=["a", "b"], error="boom"))
    api.on(f"GET /models/o/m/versions/{V}", version(ITERATOR))
    items: list[Any] = []
    with pytest.raises(exc.ModelError, match="boom"):
        for item in api.client().run(f"o/m:{V}", input={}):
            items.append(item)
    assert items == ["a", "b"]


# -- Prediction objects -----------------------------------------------------------------------


def test_prediction_stream_and_output_iterator(api: FakeAPI) -> None:
    api.on("GET /predictions/p1", prediction(status="processing", output=["a"]))
    api.on(
        "GET /predictions/p1",
        prediction(status="processing", output=["a", "b"]),
        prediction(status="succeeded", output=["a", "b", "c"]),
    )
    api.on(
        "GET /predictions/p1/stream",
        sse_response(sse(("output", "a", "1"), ("output", "b", "2"), ("done", "{}", "3"))),
    )
    client = api.client()
    p = types.Prediction.from_dict(prediction(status="processing", output=["a"]), client._core)
    assert list(p.output_iterator()) == ["a", "b", "c"]
    assert p.status == "succeeded"  # the object was refreshed while iterating
    assert "".join(str(e) for e in p.stream()) == "ab"


def test_unbound_prediction_methods_explain_themselves() -> None:
    p = types.Prediction(id="p1")
    with pytest.raises(RuntimeError, match="not bound to a client"):
        p.reload()


def test_async_prediction_methods(api: FakeAPI) -> None:
    api.on("POST /predictions", (201, prediction()))
    api.on(
        "GET /predictions/p1",
        prediction(status="processing", output=["a"]),
        prediction(status="processing", output=["a", "b"]),
        prediction(status="succeeded", output=["a", "b"]),
    )
    api.on("POST /predictions/p1/cancel", prediction(status="canceled"))
    api.on(
        "GET /predictions/p1/stream",
        sse_response(sse(("output", "hi", "1"), ("done", "{}", "2"))),
    )
    client = api.client()

    async def main() -> None:
        p = await client.predictions.async_create(version=V, input={})
        await p.async_reload()
        assert p.status == "processing"
        assert [item async for item in p.async_output_iterator()] == ["a", "b"]
        assert p.status == "succeeded"
        assert [str(e) async for e in p.async_stream()] == ["hi", ""]
        await p.async_cancel()
        assert p.status == "canceled"

    asyncio.run(main())


def test_async_wait_timeout_is_typed(api: FakeAPI) -> None:
    api.on("POST /predictions", (201, prediction()))
    api.on("GET /predictions/p1", prediction(status="processing"))
    client = api.client(poll_interval=0.01)

    async def main() -> None:
        p = await client.predictions.async_create(version=V, input={})
        with pytest.raises(exc.APITimeoutError, match="still 'processing'"):
            await p.async_wait(timeout=0.03)

    asyncio.run(main())


def test_predictions_list_filters_and_iter(api: FakeAPI) -> None:
    api.on("GET /predictions", {"next": None, "previous": None, "results": [prediction()]})
    client = api.client()
    page = client.predictions.list(
        created_after="2024-01-01T00:00:00Z", created_before="2024-02-01T00:00:00Z", source="web"
    )
    assert [p.id for p in page] == ["p1"] and page.next is None
    params = api.requests[0].url.params
    assert params["source"] == "web"
    assert params["created_after"].startswith("2024-01-01T00:00:00")
    assert params["created_before"].startswith("2024-02-01T00:00:00")
    assert [p.id for p in client.predictions.iter(source="web")] == ["p1"]


def test_create_needs_exactly_one_target(api: FakeAPI) -> None:
    client = api.client()
    with pytest.raises(ValueError, match="exactly one"):
        client.predictions.create(input={})
    with pytest.raises(ValueError, match="exactly one"):
        client.predictions.create(version=V, deployment="me/dep", input={})
    assert api.requests == []


def test_wait_rejects_nonsense(api: FakeAPI) -> None:
    with pytest.raises(TypeError, match="wait"):
        api.client().run(V, input={}, wait="forever")  # type: ignore[arg-type]
    assert api.requests == []


def test_timeout_option_reaches_requests(api: FakeAPI) -> None:
    api.on("GET /predictions/p1", prediction())
    api.client(timeout=7).predictions.get("p1")
    timeout = api.requests[0].extensions["timeout"]
    assert timeout["read"] == 7 and timeout["connect"] == 5
    api.client(timeout=httpx.Timeout(3.0)).predictions.get("p1")
    assert api.requests[1].extensions["timeout"]["read"] == 3
