"""Seed-style scenarios written against the official client's call shapes.

Each ``scenario_*`` function receives a :class:`Ctx` whose ``client`` is either a
``replicate_kit.Client`` or an official ``replicate.Client`` pointed at the mock;
``tests/contract`` runs them on our client, ``tests/compat`` on the official one.
Where the two differ on purpose, the scenario checks ``ctx.kit`` and the
difference is listed in ``tests/compat/README.md``.
"""

from __future__ import annotations

import asyncio
import hashlib
import http.server
import json
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest

HELLO_VERSION = "5c7d5dc6dd8bf75c1acaa8565735e7986bc5b66206b55cca93cb72c9bf15ccaa"
HELLO = f"replicate/hello-world:{HELLO_VERSION}"
SD_VERSION = "ac732df83cea7fff18b8472768c88ad041fa750ff7682a21affe81863cbe77e4"
LLM = "meta/meta-llama-3-8b-instruct"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@dataclass
class Ctx:
    """What a scenario gets: a client, the mock handle, and a way to build more clients."""

    client: Any
    mock: Any
    make_client: Callable[..., Any]
    kit: bool
    exceptions: Any
    webhook_errors: Any
    extras: dict[str, Any] = field(default_factory=dict)

    def api(self) -> httpx.Client:
        """Raw HTTP access to the mock with this test's token (for setup and probes)."""
        return httpx.Client(base_url=self.mock.api_url, headers=self.mock.headers, timeout=10)


def read_file_output(item: Any) -> bytes:
    """Bytes of an output file, whether wrapped (FileOutput) or a plain URL string."""
    if hasattr(item, "read"):
        data: bytes = item.read()
        return data
    return httpx.get(str(item), timeout=10).content


# -- run ------------------------------------------------------------------------------------


def scenario_run_plain_value(ctx: Ctx) -> None:
    assert ctx.client.run(HELLO, input={"text": "Alice"}) == "hello Alice"
    # An explicit version costs no extra request on the second run (schema cached) for us.
    assert ctx.client.run("replicate/hello-world", input={"text": "Bob"}) == "hello Bob"


def scenario_run_file_outputs(ctx: Ctx) -> None:
    output = ctx.client.run(
        f"stability-ai/stable-diffusion:{SD_VERSION}", input={"prompt": "a cat", "num_outputs": 2}
    )
    assert isinstance(output, list) and len(output) == 2
    for item in output:
        assert str(item).startswith(("http", "data:"))
        assert read_file_output(item).startswith(PNG_MAGIC)
    if ctx.kit:
        from replicate_kit.helpers import FileOutput

        # Schema-driven: http:// URLs of a local server are files too, and str() never downloads.
        assert all(isinstance(item, FileOutput) for item in output)


def scenario_run_iterator_output(ctx: Ctx) -> None:
    model = ctx.client.models.get(LLM)
    assert model.latest_version is not None
    ref = f"{LLM}:{model.latest_version.id}"
    output = ctx.client.run(ref, input={"prompt": "Tell me a story", "seed": 7})
    assert not isinstance(output, list | str)  # an iterator, as the official client returns
    text = "".join(output)
    assert text.strip()
    # The official-model route (no version) returns the same tokens.
    again = ctx.client.run(LLM, input={"prompt": "Tell me a story", "seed": 7})
    assert "".join(again) == text


def scenario_stream_tokens(ctx: Ctx) -> None:
    inputs = {"prompt": "Write a haiku", "seed": 3}
    events = list(ctx.client.stream(LLM, input=inputs))
    streamed = "".join(str(e) for e in events)
    assert streamed.strip()
    assert streamed == "".join(ctx.client.run(LLM, input=inputs))
    names = [e.event if isinstance(e.event, str) else e.event.value for e in events]
    assert set(names) <= {"output", "logs", "done"} and names[-1] == "done"


# -- predictions ----------------------------------------------------------------------------


def scenario_create_poll_reload(ctx: Ctx) -> None:
    p = ctx.client.predictions.create(version=HELLO_VERSION, input={"text": "poll"})
    assert p.status in ("starting", "processing")
    p.wait()
    assert p.status == "succeeded"
    assert p.output == "hello poll"
    fetched = ctx.client.predictions.get(p.id)
    assert fetched.id == p.id and fetched.output == "hello poll"
    p.reload()
    assert p.status == "succeeded"


def scenario_cancel(ctx: Ctx) -> None:
    slow = ctx.client.models.get("mock/slow")
    p = ctx.client.predictions.create(version=slow.latest_version.id, input={"duration": 3600})
    p.cancel()
    assert p.status == "canceled"
    assert ctx.client.predictions.get(p.id).status == "canceled"


def scenario_pagination_over_three_pages(ctx: Ctx) -> None:
    with ctx.api() as api:
        for i in range(205):
            r = api.post("/predictions", json={"version": HELLO_VERSION, "input": {"text": str(i)}})
            assert r.status_code == 201, r.text
    pages = list(_paginate(ctx, ctx.client.predictions.list))
    assert len(pages) >= 3
    ids = [p.id for page in pages for p in page.results]
    assert len(ids) == len(set(ids)) == 205
    if ctx.kit:
        assert [p.id for p in ctx.client.predictions.iter()] == ids


def _paginate(ctx: Ctx, method: Any) -> Iterator[Any]:
    if ctx.kit:
        import replicate_kit

        return replicate_kit.paginate(method)
    import replicate

    return replicate.paginate(method)


def scenario_models_and_versions(ctx: Ctx) -> None:
    model = ctx.client.models.get("replicate/hello-world")
    assert (model.owner, model.name) == ("replicate", "hello-world")
    version = model.versions.get(HELLO_VERSION)
    assert version.id == HELLO_VERSION
    assert version.openapi_schema["components"]["schemas"]["Output"]["type"] == "string"
    assert HELLO_VERSION in [v.id for v in model.versions.list()]


def scenario_catalogue(ctx: Ctx) -> None:
    page = ctx.client.models.list()
    names = {f"{m.owner}/{m.name}" for m in page}
    assert {"replicate/hello-world", LLM} <= names
    found = ctx.client.models.search("hello")
    assert "replicate/hello-world" in {f"{m.owner}/{m.name}" for m in found}
    account = ctx.client.accounts.current()
    assert account.username and account.type in ("user", "organization")
    if ctx.kit:
        assert "hello" in ctx.client.models.readme("replicate/hello-world")
        assert isinstance(ctx.client.models.examples("replicate/hello-world").results, list)


def scenario_hardware_and_collections(ctx: Ctx) -> None:
    hardware = ctx.client.hardware.list()
    assert hardware and all(h.sku and h.name for h in hardware)
    collections = ctx.client.collections.list()
    first = next(iter(collections))
    detail = ctx.client.collections.get(first.slug)
    assert detail.slug == first.slug
    assert all(m.owner and m.name for m in detail.models)


def scenario_model_lifecycle(ctx: Ctx) -> None:
    owner = ctx.client.accounts.current().username
    hardware = ctx.client.hardware.list()[0].sku
    model = ctx.client.models.create(
        owner=owner, name="scratch", visibility="private", hardware=hardware
    )
    assert (model.owner, model.name, model.visibility) == (owner, "scratch", "private")
    assert ctx.client.models.get(f"{owner}/scratch").name == "scratch"
    if ctx.kit:  # the official v1 client has no models.update
        updated = ctx.client.models.update(f"{owner}/scratch", description="a scratch model")
        assert updated.description == "a scratch model"
    ctx.client.models.delete(f"{owner}/scratch")
    with pytest.raises(ctx.exceptions.ReplicateError):
        ctx.client.models.get(f"{owner}/scratch")


def scenario_search(ctx: Ctx) -> None:
    if not ctx.kit:
        pytest.skip(
            "the official v1 client has no GET /search wrapper (it searches with QUERY /models)"
        )
    result = ctx.client.search("llama", limit=5)
    assert result.query == "llama"
    assert any(entry["model"].name.startswith("meta-llama") for entry in result.models)


# -- errors ---------------------------------------------------------------------------------


def _status_of(error: BaseException) -> int | None:
    return getattr(error, "status", None)


def scenario_error_not_found(ctx: Ctx) -> None:
    with pytest.raises(ctx.exceptions.ReplicateError) as info:
        ctx.client.models.get("nobody/nothing-here")
    assert _status_of(info.value) == 404
    if ctx.kit:
        assert isinstance(info.value, ctx.exceptions.NotFoundError)


def scenario_error_unprocessable_input(ctx: Ctx) -> None:
    with pytest.raises(ctx.exceptions.ReplicateError) as info:
        ctx.client.run(HELLO, input={})  # `text` is required
    assert _status_of(info.value) == 422
    if ctx.kit:
        assert isinstance(info.value, ctx.exceptions.UnprocessableEntityError)
        assert info.value.invalid_fields


def scenario_error_model_failed(ctx: Ctx) -> None:
    with pytest.raises(ctx.exceptions.ModelError) as info:
        ctx.client.run("mock/fail", input={"message": "kaboom"})
    assert "kaboom" in str(info.value)
    assert info.value.prediction.status == "failed"


def scenario_error_unauthenticated(ctx: Ctx) -> None:
    strict = ctx.extras["strict_server"]
    client = ctx.make_client(token="r8_wrong", base_url=strict.url)
    with pytest.raises(ctx.exceptions.ReplicateError) as info:
        client.predictions.get("whatever")
    assert _status_of(info.value) == 401
    if ctx.kit:
        assert isinstance(info.value, ctx.exceptions.AuthenticationError)
        assert "r8_wrong" not in str(info.value)


def scenario_error_rate_limited_and_server_error(ctx: Ctx) -> None:
    control = ctx.mock.control
    account_path = "/v1/account"
    try:
        control.inject_fault(method="GET", path=account_path, status=429, retry_after=0)
        with pytest.raises(ctx.exceptions.ReplicateError) as info:
            ctx.make_client(max_retries=1).accounts.current()
        assert _status_of(info.value) == 429
        control.clear_faults()
        control.inject_fault(method="GET", path=account_path, status=500)
        with pytest.raises(ctx.exceptions.ReplicateError) as info:
            ctx.make_client(max_retries=1).accounts.current()
        assert _status_of(info.value) == 500
        if ctx.kit:
            assert isinstance(info.value, ctx.exceptions.InternalServerError)
    finally:
        control.clear_faults()


# -- async ----------------------------------------------------------------------------------


def scenario_async_batch_gather(ctx: Ctx) -> None:
    async def main() -> list[Any]:
        return list(
            await asyncio.gather(
                *(ctx.client.async_run(HELLO, input={"text": str(i)}) for i in range(20))
            )
        )

    assert asyncio.run(main()) == [f"hello {i}" for i in range(20)]


# -- other resources ------------------------------------------------------------------------


def scenario_deployments_run(ctx: Ctx) -> None:
    with ctx.api() as api:
        hardware = api.get("/hardware").json()[0]["sku"]
        owner = api.get("/account").json()["username"]
        r = api.post(
            "/deployments",
            json={
                "name": "greeter",
                "model": "replicate/hello-world",
                "version": HELLO_VERSION,
                "hardware": hardware,
                "min_instances": 0,
                "max_instances": 1,
            },
        )
        assert r.status_code == 200, r.text
    deployment = ctx.client.deployments.get(f"{owner}/greeter")
    p = deployment.predictions.create(input={"text": "dep"})
    p.wait()
    assert p.output == "hello dep"
    if ctx.kit:
        assert ctx.client.deployments.run(f"{owner}/greeter", input={"text": "run"}) == "hello run"


def scenario_deployment_lifecycle(ctx: Ctx) -> None:
    owner = ctx.client.accounts.current().username
    hardware = ctx.client.hardware.list()[0].sku
    created = ctx.client.deployments.create(
        name="lifecycle",
        model="replicate/hello-world",
        version=HELLO_VERSION,
        hardware=hardware,
        min_instances=1,
        max_instances=2,
    )
    assert (created.owner, created.name) == (owner, "lifecycle")
    assert created.current_release.number == 1
    assert created.current_release.configuration.min_instances == 1
    assert f"{owner}/lifecycle" in [f"{d.owner}/{d.name}" for d in ctx.client.deployments.list()]
    updated = ctx.client.deployments.update(owner, "lifecycle", min_instances=0)
    assert updated.current_release.number == 2
    assert updated.current_release.configuration.min_instances == 0
    assert ctx.client.deployments.get(f"{owner}/lifecycle").current_release.number == 2
    ctx.client.deployments.delete(owner, "lifecycle")
    with pytest.raises(ctx.exceptions.ReplicateError) as info:
        ctx.client.deployments.get(f"{owner}/lifecycle")
    assert _status_of(info.value) == 404


def scenario_training_creates_version(ctx: Ctx) -> None:
    with ctx.api() as api:
        owner = api.get("/account").json()["username"]
        hardware = api.get("/hardware").json()[0]["sku"]
        r = api.post(
            "/models",
            json={"owner": owner, "name": "tuned", "visibility": "private", "hardware": hardware},
        )
        assert r.status_code == 201, r.text
    trainer = ctx.client.models.get("mock/trainer")
    training = ctx.client.trainings.create(
        version=f"mock/trainer:{trainer.latest_version.id}",
        input={"steps": 3},
        destination=f"{owner}/tuned",
    )
    training.wait() if hasattr(training, "wait") else _official_training_wait(training)
    assert training.status == "succeeded"
    new_version = training.output["version"]
    assert new_version.startswith(f"{owner}/tuned:")
    produced = ctx.client.models.get(f"{owner}/tuned").versions.get(new_version.split(":", 1)[1])
    assert produced.id == new_version.split(":", 1)[1]


def _official_training_wait(training: Any) -> None:
    import time

    while training.status not in ("succeeded", "failed", "canceled", "aborted"):
        time.sleep(0.01)
        training.reload()


def scenario_files_round_trip(ctx: Ctx, tmp_path: Any = None) -> None:
    import io

    content = b"hello files " * 100
    upload = io.BytesIO(content)
    upload.name = "greeting.txt"
    created = ctx.client.files.create(upload, metadata={"purpose": "test"})
    assert created.size == len(content)
    assert created.checksums["sha256"] == hashlib.sha256(content).hexdigest()
    fetched = ctx.client.files.get(created.id)
    assert fetched.id == created.id
    listed = ctx.client.files.list()
    assert created.id in [f.id for f in listed]
    # A file as model input: the echo model returns what it got.
    out = ctx.client.run("mock/echo", input={"text": created.urls["get"]}, use_file_output=False)
    assert out == created.urls["get"]
    if ctx.kit:
        assert ctx.client.files.download(fetched) == content
        # A file object anywhere in the input is uploaded first and replaced by its URL.
        again = io.BytesIO(b"uploaded for you")
        again.name = "auto.txt"
        sent = ctx.client.run("mock/echo", input={"text": again}, use_file_output=False)
        assert sent.startswith(ctx.mock.api_url + "/files/")
        auto = ctx.client.files.get(sent.rsplit("/", 1)[1])
        assert ctx.client.files.download(auto) == b"uploaded for you"
        inline = ctx.client.run(
            "mock/echo",
            input={"text": io.BytesIO(b"hi")},
            file_encoding_strategy="base64",
            use_file_output=False,
        )
        assert inline == "data:application/octet-stream;base64,aGk="
    ctx.client.files.delete(created.id)
    with pytest.raises(ctx.exceptions.ReplicateError):
        ctx.client.files.get(created.id)


@contextmanager
def webhook_receiver() -> Iterator[tuple[str, list[tuple[dict[str, str], bytes]]]]:
    received: list[tuple[dict[str, str], bytes]] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("content-length", 0))
            received.append(
                ({k.lower(): v for k, v in self.headers.items()}, self.rfile.read(length))
            )
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/hook", received
    finally:
        server.shutdown()
        server.server_close()


def scenario_webhooks_received_and_validated(ctx: Ctx) -> None:
    import time

    secret = ctx.client.webhooks.default.secret()
    assert secret.key.startswith("whsec_")
    with webhook_receiver() as (url, received):
        p = ctx.client.predictions.create(
            version=HELLO_VERSION,
            input={"text": "hook"},
            webhook=url,
            webhook_events_filter=["completed"],
        )
        p.wait()
        deadline = time.monotonic() + 5
        while not received and time.monotonic() < deadline:
            time.sleep(0.02)
    assert received, "no webhook arrived within 5 s"
    headers, body = received[-1]
    ctx.client.webhooks.validate(headers=headers, body=body.decode(), secret=secret, tolerance=None)
    payload = json.loads(body)
    assert payload["id"] == p.id and payload["status"] == "succeeded"
    with pytest.raises(ctx.webhook_errors.InvalidSignatureError):
        ctx.client.webhooks.validate(
            headers=headers, body=body.decode() + " ", secret=secret, tolerance=None
        )


SCENARIOS: dict[str, Callable[[Ctx], None]] = {
    name.removeprefix("scenario_"): fn
    for name, fn in sorted(globals().items())
    if name.startswith("scenario_") and callable(fn)
}
