"""The module-level API: lazy default client from the environment and `.env`."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

import replicate_kit
import replicate_kit as replicate
from replicate_kit import _config

from .conftest import FakeAPI, V, prediction


@pytest.fixture(autouse=True)
def fresh_default(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    for name in ("REPLICATE_API_TOKEN", "REPLICATE_BASE_URL", "REPLICATE_POLL_INTERVAL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(_config, "_dotenv_loaded", False)
    replicate_kit.set_default_client(None)
    yield
    replicate_kit.set_default_client(None)


def test_import_needs_no_token_and_the_error_names_the_variable() -> None:
    predictions = replicate.predictions  # building the default client is free
    with pytest.raises(replicate.exceptions.AuthenticationError, match="REPLICATE_API_TOKEN"):
        predictions.get("p1")


def test_env_configures_the_default_client(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REPLICATE_API_TOKEN", "r8_env")
    monkeypatch.setenv("REPLICATE_BASE_URL", "http://127.0.0.1:9")
    monkeypatch.setenv("REPLICATE_POLL_INTERVAL", "0.125")
    client = replicate_kit.default_client()
    assert client.base_url == "http://127.0.0.1:9/v1"
    assert client.poll_interval == 0.125
    assert client._core.config.api_token == "r8_env"


def test_dotenv_is_read_but_never_overrides(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    (tmp_path / ".env").write_text("REPLICATE_API_TOKEN=r8_dotenv\nREPLICATE_POLL_INTERVAL=3\n")
    monkeypatch.setenv("REPLICATE_POLL_INTERVAL", "0.5")
    client = replicate_kit.default_client()
    assert client._core.config.api_token == "r8_dotenv"
    assert client.poll_interval == 0.5


def test_official_call_shapes_on_the_module(api: FakeAPI) -> None:
    api.on("POST /predictions", (201, prediction(status="succeeded", output="hi")))
    api.on("GET /predictions/p1", prediction(status="succeeded", output="hi"))
    api.on("GET /predictions", {"next": None, "previous": None, "results": [prediction()]})
    replicate_kit.set_default_client(api.client())
    assert replicate.run(V, input={"text": "x"}) == "hi"
    p = replicate.predictions.create(version=V, input={})
    p.wait()
    assert p.output == "hi"
    assert [len(page) for page in replicate.paginate(replicate.predictions.list)] == [1]
    assert replicate.exceptions.ModelError is replicate.ModelError
    assert replicate.helpers.FileOutput is replicate.FileOutput
    with pytest.raises(AttributeError):
        _ = replicate.no_such_thing


def test_with_options_keeps_the_rest(api: FakeAPI) -> None:
    client = api.client(poll_interval=0.25)
    other = client.with_options(poll_interval=1.0)
    assert (client.poll_interval, other.poll_interval) == (0.25, 1.0)
    assert other.base_url == client.base_url
    assert other._core.config.api_token == client._core.config.api_token


def test_http_client_is_used_for_requests() -> None:
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        return httpx.Response(200, json={"type": "user", "username": "me"})

    client = replicate_kit.Client(
        "r8_t", http_client=httpx.Client(transport=httpx.MockTransport(handler))
    )
    assert client.accounts.current().username == "me"
    assert seen == ["https://api.replicate.com/v1/account"]


def test_default_client_is_callable_and_an_attribute_proxy(api: FakeAPI) -> None:
    client = api.client()
    api.on("GET /predictions/p1", prediction(status="succeeded"))
    replicate_kit.set_default_client(client)
    assert replicate.default_client() is client
    # The official client exposes default_client as an object: its attributes work too.
    assert replicate.default_client.predictions.get("p1").status == "succeeded"
    assert replicate.default_client.base_url == client.base_url


def test_an_httpx_transport_is_accepted_like_the_official_client() -> None:
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(f"{request.method} {request.url.path}")
        return httpx.Response(200, json={"type": "user", "username": "me"})

    client = replicate_kit.Client(api_token="r8_t", transport=httpx.MockTransport(handler))
    assert client.accounts.current().username == "me"

    async def main() -> str:
        account = await client.accounts.async_current()
        return account.username

    assert asyncio.run(main()) == "me"
    assert seen == ["GET /v1/account", "GET /v1/account"]
