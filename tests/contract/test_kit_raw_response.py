"""``client.with_raw_response``: status, headers and the parsed result of one-call methods,
on both transports (HTTP statuses and headers on ``http``; 200 and metadata on ``grpc``)."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import httpx
import pytest

import replicate_kit
from replicate_kit import RawResponse, RetryPolicy
from replicate_kit.types import (
    Account,
    Collection,
    Deployment,
    File,
    Hardware,
    Model,
    Page,
    Prediction,
    SearchResult,
    Training,
    Version,
    WebhookSigningSecret,
)

from .conftest import Kit
from .scenarios import HELLO, HELLO_VERSION


def _client(kit: Kit) -> replicate_kit.Client:
    return kit.client(poll_interval=0.0, retry=RetryPolicy(initial_delay=0.001))


def _status(kit: Kit, http_status: int) -> int:
    """HTTP statuses on ``http``; gRPC has one success code, reported as 200."""
    return http_status if kit.transport == "http" else 200


def _check_envelope(kit: Kit, raw: RawResponse[Any], http_status: int) -> None:
    assert raw.status_code == _status(kit, http_status)
    assert isinstance(raw.headers, httpx.Headers)
    if kit.transport == "http":
        assert isinstance(raw.http_response, httpx.Response)
        assert raw.http_response.status_code == http_status
        assert raw.headers["Date"] == raw.http_response.headers["date"]  # case-insensitive
    else:
        assert raw.http_response is None


def test_get_gives_status_headers_and_the_typed_prediction(kit: Kit) -> None:
    client = _client(kit)
    created = client.predictions.create(version=HELLO_VERSION, input={"text": "raw"})
    raw = client.with_raw_response.predictions.get(created.id)
    _check_envelope(kit, raw, 200)
    prediction = raw.parse()
    assert isinstance(prediction, Prediction) and prediction.id == created.id
    prediction.wait(timeout=60)  # the parsed object is live, as the plain call's is
    assert prediction.output == "hello raw"
    # On gRPC the mock sends these response headers as the RPC's initial metadata.
    assert int(raw.headers["ratelimit-remaining"]) >= 0


def test_create_held_with_prefer_wait(kit: Kit) -> None:
    client = _client(kit)
    raw = client.with_raw_response.predictions.create(
        version=HELLO_VERSION, input={"text": "held"}, wait=True
    )
    _check_envelope(kit, raw, 201)
    assert raw.parse().output == "hello held"
    assert raw.headers["preference-applied"].startswith("wait=")


def test_every_one_call_method_has_a_raw_form(kit: Kit, tmp_path: Path) -> None:
    client = _client(kit)
    raw = client.with_raw_response
    me = raw.account.current().parse()
    assert isinstance(me, Account) and raw.accounts.get().parse().username == me.username

    model = raw.models.get("replicate/hello-world").parse()
    assert isinstance(model, Model) and model.latest_version is not None
    versions = raw.models.versions("replicate/hello-world")
    assert isinstance(versions.list().parse(), Page)
    assert isinstance(versions.get(model.latest_version.id).parse(), Version)
    assert isinstance(raw.models.list().parse(), Page)
    assert isinstance(raw.models.search("hello").parse(), Page)
    assert isinstance(raw.models.examples("replicate/hello-world").parse(), Page)
    assert "hello" in raw.models.readme("replicate/hello-world").parse().lower()
    official = raw.models.predictions.create(
        "meta/meta-llama-3-8b-instruct", input={"prompt": "Hi"}
    )
    _check_envelope(kit, official, 201)

    skus = raw.hardware.list().parse()
    assert skus and all(isinstance(h, Hardware) for h in skus)
    collections = raw.collections.list().parse()
    assert isinstance(collections, Page) and collections.results
    assert isinstance(raw.collections.get(collections.results[0].slug).parse(), Collection)
    assert isinstance(raw.search("llama", limit=2).parse(), SearchResult)
    assert isinstance(raw.webhooks.default.secret().parse(), WebhookSigningSecret)
    assert isinstance(raw.predictions.list().parse(), Page)

    deployment: dict[str, Any] = {
        "name": "raw-greeter",
        "model": "replicate/hello-world",
        "version": model.latest_version.id,
        "hardware": skus[0].sku,
        "min_instances": 0,
        "max_instances": 1,
    }
    created = raw.deployments.create(**deployment)
    _check_envelope(kit, created, 200)  # the API answers a deployment create with 200
    assert isinstance(created.parse(), Deployment)
    assert raw.deployments.get(f"{me.username}/raw-greeter").parse().name == "raw-greeter"
    assert isinstance(raw.deployments.list().parse(), Page)
    updated = raw.deployments.update(me.username, "raw-greeter", max_instances=2).parse()
    assert updated.current_release is not None and updated.current_release.number == 2
    on_deployment = raw.deployments.predictions.create(
        f"{me.username}/raw-greeter", input={"text": "dep"}
    )
    assert isinstance(on_deployment.parse(), Prediction)
    spare = {**deployment, "name": "raw-spare"}
    client.deployments.create(**spare)  # unused: a deployment that ran cannot be deleted yet
    deleted = raw.deployments.delete(me.username, "raw-spare")
    _check_envelope(kit, deleted, 204)
    assert deleted.parse() is True

    notes = tmp_path / "notes.txt"
    notes.write_text("remember the milk")
    uploaded = raw.files.create(notes)
    _check_envelope(kit, uploaded, 201)
    file = uploaded.parse()
    assert isinstance(file, File)
    assert raw.files.get(file.id).parse().id == file.id
    assert isinstance(raw.files.list().parse(), Page)
    downloaded = raw.files.download(file)
    assert downloaded.parse() == b"remember the milk"
    assert raw.files.delete(file.id).parse() is True

    tuned = raw.models.create(me.username, "raw-tuned", visibility="private", hardware=skus[0].sku)
    _check_envelope(kit, tuned, 201)
    assert raw.models.update(f"{me.username}/raw-tuned", description="d").parse().description
    trainer = client.models.get("mock/trainer").latest_version
    assert trainer is not None
    training = raw.trainings.create(
        version=f"mock/trainer:{trainer.id}",
        input={"steps": 1},
        destination=f"{me.username}/raw-tuned",
    ).parse()
    assert isinstance(training, Training)
    assert raw.trainings.get(training.id).parse().id == training.id
    assert isinstance(raw.trainings.list().parse(), Page)
    assert isinstance(raw.trainings.cancel(training.id).parse(), Training)


def test_the_raw_response_is_the_final_attempt(kit: Kit, replicate_mock: Any) -> None:
    client = _client(kit)
    control = replicate_mock.control
    username = client.account.current().username
    path = "/v1/account"
    try:
        control.inject_fault(method="GET", path=path, status=503, count=1)
        raw = client.with_raw_response.account.current()
    finally:
        control.clear_faults()
    _check_envelope(kit, raw, 200)
    assert raw.parse().username == username
    # A faulted request is answered before authentication, so it carries no account.
    statuses = [e["status"] for e in control.journal(method="GET", path=path)]
    assert statuses[-2:] == [503, 200]


def test_errors_raise_the_typed_exceptions(kit: Kit) -> None:
    raw = _client(kit).with_raw_response
    with pytest.raises(replicate_kit.NotFoundError) as caught:
        raw.models.get("nobody/nothing")
    assert caught.value.status == 404


def test_async_forms(kit: Kit) -> None:
    sync = _client(kit)
    created = sync.predictions.create(version=HELLO_VERSION, input={"text": "a"})

    async def main() -> tuple[RawResponse[Prediction], RawResponse[Prediction], int]:
        twin = await sync.with_raw_response.predictions.async_get(created.id)
        async with kit.async_client(poll_interval=0.0) as client:
            got = await client.with_raw_response.predictions.get(created.id)
            page = await client.with_raw_response.predictions.list()
        return twin, got, len(page.parse())

    twin, got, listed = asyncio.run(main())
    for raw in (twin, got):
        _check_envelope(kit, raw, 200)
        assert raw.parse().id == created.id
    assert listed >= 1


def test_multi_call_methods_are_refused_with_the_alternative(kit: Kit) -> None:
    client = _client(kit)
    raw = client.with_raw_response
    with pytest.raises(TypeError, match=r"run\(\).*predictions.create"):
        raw.run(HELLO, input={"text": "x"})
    with pytest.raises(TypeError, match=r"stream\(\).*stream=True"):
        raw.stream(HELLO, input={"text": "x"})
    with pytest.raises(TypeError, match=r"predictions.iter\(\).*list\(cursor\)"):
        raw.predictions.iter()
    with pytest.raises(TypeError, match=r"deployments.run\(\)"):
        raw.deployments.run("me/dep")
    with pytest.raises(TypeError, match="no API call"):
        raw.webhooks.validate(headers={}, body=b"", secret="whsec_x")
    async_raw = kit.async_client().with_raw_response
    with pytest.raises(TypeError, match=r"run\(\)"):
        async_raw.run(HELLO)
    with pytest.raises(TypeError, match=r"predictions.iter\(\)"):
        async_raw.predictions.iter()
    assert client.predictions.get  # the plain client is unaffected


def test_no_token_in_reprs(kit: Kit) -> None:
    client = _client(kit)
    raw = client.with_raw_response.account.current()
    token = kit.mock.token
    shown = [repr(raw), str(raw), repr(raw.headers), repr(raw.http_response)]
    assert repr(raw) == f"<RawResponse [{raw.status_code}] Account>"
    assert not any(token in text for text in shown)
