"""Client behaviour over a scripted transport: routing, retries, safety, outputs."""

from __future__ import annotations

import asyncio
import io
from pathlib import Path

import httpx
import pytest

import replicate_kit
from replicate_kit import exceptions as exc
from replicate_kit.helpers import FileOutput

from .conftest import API, TOKEN, FakeAPI, V, body_of, prediction, version


def test_run_version_ref_routes_to_predictions_and_reads_schema(api: FakeAPI) -> None:
    api.on("POST /predictions", (201, prediction(status="succeeded", output="hello you")))
    api.on(f"GET /models/o/m/versions/{V}", version({"type": "string"}))
    out = api.client().run(f"o/m:{V}", input={"text": "you"})
    assert out == "hello you"
    create = api.sent("POST /predictions")[0]
    assert body_of(create) == {"version": V, "input": {"text": "you"}}
    assert create.headers["Prefer"] == "wait"
    assert create.headers["Authorization"] == f"Bearer {TOKEN}"


def test_run_model_ref_uses_model_route_and_polls_until_terminal(api: FakeAPI) -> None:
    api.on("POST /models/o/m/predictions", (201, prediction(status="processing", output="partial")))
    api.on(
        "GET /predictions/p1",
        prediction(status="processing"),
        prediction(status="succeeded", output="final"),
    )
    api.on(f"GET /models/o/m/versions/{V}", version({"type": "string"}))
    assert api.client().run("o/m", input={}) == "final"
    assert "version" not in body_of(api.sent("POST /models/o/m/predictions")[0])
    assert len(api.sent("GET /predictions/p1")) == 2


def test_bare_version_id_is_accepted(api: FakeAPI) -> None:
    api.on("POST /predictions", (201, prediction(status="succeeded", output=1)))
    assert api.client().run(V, input={}) == 1
    assert body_of(api.sent("POST /predictions")[0])["version"] == V


def test_aborted_is_terminal_and_raises_model_error(api: FakeAPI) -> None:
    api.on("POST /predictions", (201, prediction(status="starting")))
    api.on("GET /predictions/p1", prediction(status="aborted"))
    with pytest.raises(exc.ModelError) as info:
        api.client().run(V, input={})
    assert info.value.prediction.status == "aborted"


def test_failed_raises_model_error_with_prediction(api: FakeAPI) -> None:
    api.on("POST /predictions", (201, prediction(status="failed", error="boom")))
    with pytest.raises(exc.ModelError, match="boom") as info:
        api.client().run(V, input={})
    assert info.value.prediction.error == "boom"


def test_wait_option_sets_prefer_and_read_timeout(api: FakeAPI) -> None:
    api.on("POST /predictions", (201, prediction(status="succeeded")))
    client = api.client(timeout=10)
    client.run(V, input={}, wait=30)
    client.run(V, input={})
    client.run(V, input={}, wait=False)
    first, second, third = api.sent("POST /predictions")
    assert first.headers["Prefer"] == "wait=30"
    assert first.extensions["timeout"]["read"] > 30
    assert second.extensions["timeout"]["read"] > 60
    assert "Prefer" not in third.headers
    assert third.extensions["timeout"]["read"] == 10


def test_cancel_after_header(api: FakeAPI) -> None:
    api.on("POST /predictions", (201, prediction(status="succeeded")))
    api.client().predictions.create(version=V, input={}, cancel_after=90)
    api.client().predictions.create(version=V, input={}, cancel_after="1h30m")
    assert [r.headers["Cancel-After"] for r in api.sent("POST /predictions")] == ["90s", "1h30m"]


# -- retries --------------------------------------------------------------------------------


@pytest.mark.parametrize("status", [500, 502, 504])
def test_create_is_not_retried_on_5xx(api: FakeAPI, status: int) -> None:
    api.on("POST /predictions", (status, {"detail": "unavailable"}), (201, prediction()))
    with pytest.raises(exc.InternalServerError):
        api.client().predictions.create(version=V, input={})
    assert len(api.sent("POST /predictions")) == 1


def test_create_is_retried_on_503(api: FakeAPI) -> None:
    # x-retry: reconcile -- a 503 says the server did not act on the request.
    api.on("POST /predictions", (503, {"detail": "unavailable"}), (201, prediction()))
    api.client().predictions.create(version=V, input={})
    assert len(api.sent("POST /predictions")) == 2


def test_create_is_retried_on_429_and_connect_errors(api: FakeAPI) -> None:
    api.on(
        "POST /predictions",
        httpx.Response(429, headers={"Retry-After": "0"}, json={"detail": "throttled"}),
        httpx.ConnectError("refused"),
        (201, prediction()),
    )
    p = api.client().predictions.create(version=V, input={})
    assert p.id == "p1"
    assert len(api.sent("POST /predictions")) == 3


def test_create_is_not_retried_when_the_request_may_have_arrived(api: FakeAPI) -> None:
    api.on("POST /predictions", httpx.ReadError("reset"), (201, prediction()))
    with pytest.raises(exc.APIConnectionError) as info:
        api.client().predictions.create(version=V, input={})
    assert info.value.request_sent
    assert len(api.sent("POST /predictions")) == 1


def test_reads_are_retried_honouring_retry_after(api: FakeAPI) -> None:
    api.on(
        "GET /predictions/p1",
        httpx.Response(503, headers={"Retry-After": "2"}),
        httpx.ReadTimeout("slow"),
        httpx.Response(502),
        prediction(status="succeeded"),
    )
    client = api.client(retry=replicate_kit.RetryPolicy(max_retries=5, initial_delay=0.1, jitter=0))
    slept: list[float] = []
    client._core._sleep = slept.append
    assert client.predictions.get("p1").status == "succeeded"
    assert slept == [2.0, 0.2, 0.4]


def test_retries_give_up_after_max_retries(api: FakeAPI) -> None:
    api.on("GET /predictions/p1", httpx.Response(503))
    with pytest.raises(exc.InternalServerError):
        api.client(max_retries=2).predictions.get("p1")
    assert len(api.sent("GET /predictions/p1")) == 3


# -- auth safety ----------------------------------------------------------------------------


def test_token_never_sent_to_other_hosts(api: FakeAPI) -> None:
    api.on("GET cdn.example/out.png", httpx.Response(200, content=b"PNG"))
    api.on("GET /files/f", httpx.Response(200, content=b"API"))
    client = api.client()
    assert FileOutput("https://cdn.example/out.png", client._core).read() == b"PNG"
    assert FileOutput(f"{API}/files/f", client._core).read() == b"API"
    outside, inside = api.requests
    assert "authorization" not in outside.headers
    assert inside.headers["authorization"] == f"Bearer {TOKEN}"


def test_missing_token_fails_at_first_call_naming_the_variable(
    api: FakeAPI, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("REPLICATE_API_TOKEN", raising=False)
    monkeypatch.chdir(Path(__file__).parent)  # no .env here
    transport = httpx.MockTransport(api.handle)
    client = replicate_kit.Client(http_client=httpx.Client(transport=transport))
    with pytest.raises(exc.AuthenticationError, match="REPLICATE_API_TOKEN"):
        client.predictions.get("p1")
    assert api.requests == []


def test_token_not_in_reprs_or_errors(api: FakeAPI) -> None:
    api.on(
        "GET /predictions/p1",
        (401, {"title": "Unauthenticated", "detail": "bad token", "status": 401}),
    )
    client = api.client()
    with pytest.raises(exc.AuthenticationError) as info:
        client.predictions.get("p1")
    for text in (repr(client), str(info.value), repr(info.value), repr(client._core.config)):
        assert TOKEN not in text


@pytest.mark.parametrize("base", ["https://api.replicate.com", "https://api.replicate.com/v1/"])
def test_base_url_with_or_without_v1(api: FakeAPI, base: str) -> None:
    api.on("GET /predictions/p1", prediction())
    api.client(base_url=base).predictions.get("p1")
    assert str(api.requests[0].url) == f"{API}/predictions/p1"


# -- outputs --------------------------------------------------------------------------------


def test_file_outputs_follow_the_schema(api: FakeAPI) -> None:
    schema = {"type": "array", "items": {"type": "string", "format": "uri"}}
    api.on(
        "POST /predictions", (201, prediction(status="succeeded", output=["http://local/a.png"]))
    )
    api.on(f"GET /models/o/m/versions/{V}", version(schema))
    out = api.client().run(f"o/m:{V}", input={})
    assert isinstance(out[0], FileOutput) and str(out[0]) == "http://local/a.png"
    assert len(api.requests) == 2  # no download happened


def test_plain_strings_are_not_wrapped_when_the_schema_says_string(api: FakeAPI) -> None:
    api.on("POST /predictions", (201, prediction(status="succeeded", output="https://example.com")))
    api.on(f"GET /models/o/m/versions/{V}", version({"type": "string"}))
    assert api.client().run(f"o/m:{V}", input={}) == "https://example.com"
    assert type(api.client().run(f"o/m:{V}", input={})) is str


def test_prefix_rule_without_schema_and_opt_out(api: FakeAPI) -> None:
    api.on(
        "POST /predictions",
        (201, prediction(status="succeeded", output={"img": "data:text/plain;base64,aGk="})),
    )
    out = api.client().run(V, input={})
    assert out["img"].read() == b"hi"
    assert api.client().run(V, input={}, use_file_output=False) == {
        "img": "data:text/plain;base64,aGk="
    }


def test_iterator_output_of_a_named_version(api: FakeAPI) -> None:
    schema = {"type": "array", "items": {"type": "string"}, "x-cog-array-type": "iterator"}
    api.on("POST /predictions", (201, prediction(status="processing", output=["a"])))
    api.on(
        "GET /predictions/p1",
        prediction(status="processing", output=["a", "b"]),
        prediction(status="succeeded", output=["a", "b", "c"]),
    )
    api.on(f"GET /models/o/m/versions/{V}", version(schema))
    out = api.client().run(f"o/m:{V}", input={})
    assert not isinstance(out, list)
    assert list(out) == ["a", "b", "c"]


def test_async_iterator_output(api: FakeAPI) -> None:
    schema = {"type": "array", "items": {"type": "string"}, "x-cog-array-type": "iterator"}
    api.on("POST /predictions", (201, prediction(status="succeeded", output=["x", "y"])))
    api.on(f"GET /models/o/m/versions/{V}", version(schema))

    async def main() -> list[str]:
        out = await api.client().async_run(f"o/m:{V}", input={})
        return [item async for item in out]

    assert asyncio.run(main()) == ["x", "y"]


# -- input files ----------------------------------------------------------------------------


def test_input_files_are_uploaded(api: FakeAPI, tmp_path: Path) -> None:
    image = tmp_path / "cat.png"
    image.write_bytes(b"\x89PNG")
    file_json = {"id": "f1", "urls": {"get": f"{API}/files/f1"}}
    api.on("POST /files", (201, file_json))
    api.on("POST /predictions", (201, prediction(status="succeeded")))
    api.client().run(V, input={"image": image, "more": [io.BytesIO(b"raw")], "n": 1})
    uploads = api.sent("POST /files")
    assert len(uploads) == 2
    assert b'filename="cat.png"' in uploads[0].content and b"\x89PNG" in uploads[0].content
    sent = body_of(api.sent("POST /predictions")[0])["input"]
    assert sent == {"image": f"{API}/files/f1", "more": [f"{API}/files/f1"], "n": 1}


def test_input_files_as_data_uris(api: FakeAPI, tmp_path: Path) -> None:
    note = tmp_path / "note.txt"
    note.write_text("hi")
    api.on("POST /predictions", (201, prediction(status="succeeded")))
    api.client().run(V, input={"doc": note}, file_encoding_strategy="base64")
    assert body_of(api.requests[0])["input"] == {"doc": "data:text/plain;base64,aGk="}
    assert not api.sent("POST /files")


# -- pagination -----------------------------------------------------------------------------


def test_pagination_follows_absolute_next_urls(api: FakeAPI) -> None:
    def page(request: httpx.Request) -> httpx.Response:
        cursor = request.url.params.get("cursor")
        n = int(cursor or 0)
        nxt = f"{API}/predictions?cursor={n + 1}" if n < 2 else None
        return httpx.Response(
            200, json={"next": nxt, "previous": None, "results": [prediction(f"p{n}")]}
        )

    api.routes["GET /predictions"] = page
    client = api.client()
    assert [p.id for p in client.predictions.iter()] == ["p0", "p1", "p2"]
    pages = list(replicate_kit.paginate(client.predictions.list))
    assert [len(p) for p in pages] == [1, 1, 1]
    first = client.predictions.list()
    assert client.predictions.list(first.next)[0].id == "p1"
    with pytest.raises(ValueError):
        client.predictions.list(None)


# -- objects --------------------------------------------------------------------------------


def test_prediction_object_methods(api: FakeAPI) -> None:
    api.on("POST /predictions", (201, prediction()))
    api.on(
        "GET /predictions/p1",
        prediction(status="processing", logs="50%|#####| 5/10"),
        prediction(status="succeeded"),
    )
    api.on("POST /predictions/p1/cancel", prediction(status="canceled"))
    client = api.client()
    p = client.predictions.create(version=V, input={})
    p.reload()
    assert p.status == "processing"
    assert p.progress == replicate_kit.Prediction.Progress(0.5, 5, 10)
    p.wait()
    assert p.status == "succeeded"
    p.cancel()
    assert p.status == "canceled" and p.to_dict()["status"] == "canceled"


def test_wait_timeout(api: FakeAPI) -> None:
    api.on("POST /predictions", (201, prediction()))
    api.on("GET /predictions/p1", prediction(status="processing"))
    p = api.client(poll_interval=0.01).predictions.create(version=V, input={})
    with pytest.raises(exc.APITimeoutError):
        p.wait(timeout=0.05)


def test_trainings_create_routes(api: FakeAPI) -> None:
    training = {"id": "t1", "status": "starting", "output": None}
    api.on(f"POST /models/o/m/versions/{V}/trainings", (201, training))
    api.on(
        "GET /trainings/t1",
        {**training, "status": "succeeded", "output": {"version": "me/new:abc"}},
    )
    t = api.client().trainings.create(version=f"o/m:{V}", input={"x": 1}, destination="me/new")
    assert body_of(api.requests[0]) == {"destination": "me/new", "input": {"x": 1}}
    t.wait()
    assert t.status == "succeeded" and t.destination == "me/new"


@pytest.mark.parametrize("end", ["failed", "aborted"])
def test_training_wait_stops_at_any_terminal_status_without_raising(api: FakeAPI, end: str) -> None:
    training = {"id": "t1", "status": "starting", "output": None, "error": None}
    api.on(
        "GET /trainings/t1",
        {**training, "status": "processing"},
        {**training, "status": end, "error": "boom" if end == "failed" else None},
    )
    t = api.client().trainings.get("t1")
    t.wait()
    assert t.status == end and t.done
    assert len(api.sent("GET /trainings/t1")) == 2  # get, then one poll


def test_training_wait_timeout_raises(api: FakeAPI) -> None:
    api.on("GET /trainings/t1", {"id": "t1", "status": "processing"})
    t = api.client(poll_interval=0.01).trainings.get("t1")
    with pytest.raises(exc.APITimeoutError, match="still 'processing'"):
        t.wait(timeout=0.05)


def test_deployment_routes(api: FakeAPI) -> None:
    dep = {
        "owner": "me",
        "name": "dep",
        "current_release": {"number": 1, "configuration": {"hardware": "cpu"}},
    }
    api.on("GET /deployments/me/dep", dep)
    api.on(
        "POST /deployments/me/dep/predictions", (201, prediction(status="succeeded", output="ok"))
    )
    client = api.client()
    d = client.deployments.get("me/dep")
    assert d.current_release and d.current_release.configuration
    assert d.current_release.configuration.hardware == "cpu"
    assert d.predictions.create(input={"a": 1}).output == "ok"
    assert client.deployments.run("me/dep", input={}) == "ok"
    assert client.predictions.create(deployment="me/dep", input={}).output == "ok"


def test_models_search_uses_query_method(api: FakeAPI) -> None:
    api.on(
        "QUERY /models", {"next": None, "previous": None, "results": [{"owner": "a", "name": "b"}]}
    )
    page = api.client().models.search("llama")
    assert page[0].id == "a/b"
    req = api.requests[0]
    assert req.content == b"llama" and req.headers["content-type"] == "text/plain"


def test_async_client_gather(api: FakeAPI) -> None:
    api.on("POST /predictions", (201, prediction(status="succeeded", output="ok")))

    async def main() -> list[str]:
        transport = httpx.MockTransport(api.handle)
        async with replicate_kit.AsyncClient(
            TOKEN, http_client=httpx.AsyncClient(transport=transport), poll_interval=0
        ) as client:
            return list(await asyncio.gather(*(client.run(V, input={"i": i}) for i in range(5))))

    assert asyncio.run(main()) == ["ok"] * 5


def test_unexpected_response_shape_is_a_clear_error(api: FakeAPI) -> None:
    api.on("GET /predictions/p1", httpx.Response(200, json=["not", "an", "object"]))
    with pytest.raises(exc.ReplicateError, match="Expected a JSON object for Prediction"):
        api.client().predictions.get("p1")


def test_async_paginate(api: FakeAPI) -> None:
    def page(request: httpx.Request) -> httpx.Response:
        n = int(request.url.params.get("cursor") or 0)
        nxt = f"{API}/trainings?cursor={n + 1}" if n < 2 else None
        return httpx.Response(
            200, json={"next": nxt, "previous": None, "results": [{"id": f"t{n}"}]}
        )

    api.routes["GET /trainings"] = page
    client = api.client()

    async def main() -> list[str]:
        return [
            t.id
            async for page in replicate_kit.async_paginate(client.trainings.async_list)
            for t in page
        ]

    assert asyncio.run(main()) == ["t0", "t1", "t2"]
