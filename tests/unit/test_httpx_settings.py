"""Extra keyword arguments of Client/AsyncClient are httpx.Client settings, as in the official client."""

from __future__ import annotations

import asyncio
from typing import Any, TypeVar

import httpx
import pytest

import replicate_kit
from tests.unit.conftest import TOKEN, FakeAPI, prediction

ClientT = TypeVar("ClientT", replicate_kit.Client, replicate_kit.AsyncClient)


def _client(api: FakeAPI, cls: type[ClientT], **settings: Any) -> ClientT:
    """A ``cls`` answered by ``api`` through an httpx transport, plus further httpx ``settings``."""
    return cls(
        TOKEN,
        base_url="https://api.replicate.com",
        transport=httpx.MockTransport(api.handle),
        **settings,
    )


def _hooks() -> tuple[list[str], dict[str, list[object]], dict[str, list[object]]]:
    seen: list[str] = []

    def on_request(request: httpx.Request) -> None:
        seen.append(f"sync {request.url.path}")

    async def on_async_request(request: httpx.Request) -> None:
        seen.append(f"async {request.url.path}")

    return seen, {"request": [on_request]}, {"request": [on_async_request]}


def test_settings_reach_the_sync_httpx_client(api: FakeAPI) -> None:
    api.on("GET /predictions/p1", prediction(status="succeeded"))
    seen, hooks, _ = _hooks()
    client = _client(api, replicate_kit.Client, event_hooks=hooks, follow_redirects=True)
    assert client.predictions.get("p1").status == "succeeded"
    assert seen == ["sync /v1/predictions/p1"]


def test_redirects_followed_only_when_asked(api: FakeAPI) -> None:
    moved = httpx.Response(307, headers={"location": "https://api.replicate.com/v1/predictions/p2"})
    api.on("GET /predictions/p1", moved)
    api.on("GET /predictions/p2", prediction("p2", status="succeeded"))
    following = _client(api, replicate_kit.Client, follow_redirects=True)
    assert following.predictions.get("p1").id == "p2"
    not_following = _client(api, replicate_kit.Client)
    with pytest.raises(replicate_kit.ReplicateError):
        not_following.predictions.get("p1")


def test_settings_reach_the_async_httpx_client(api: FakeAPI) -> None:
    api.on("GET /predictions/p1", prediction(status="succeeded"))
    seen, _, async_hooks = _hooks()
    client = _client(api, replicate_kit.AsyncClient, event_hooks=async_hooks)
    got = asyncio.run(client.predictions.get("p1"))
    assert got.status == "succeeded"
    assert seen == ["async /v1/predictions/p1"]


def test_with_options_keeps_httpx_settings(api: FakeAPI) -> None:
    api.on("GET /predictions/p1", prediction(status="succeeded"))
    seen, hooks, _ = _hooks()
    client = _client(api, replicate_kit.Client, event_hooks=hooks)
    client.with_options(poll_interval=0.0).predictions.get("p1")
    assert seen == ["sync /v1/predictions/p1"]


@pytest.mark.parametrize("name", ["verifyy", "auth", "params_x"])
def test_unknown_or_reserved_settings_are_a_type_error(name: str) -> None:
    with pytest.raises(TypeError, match=f"unexpected keyword argument '{name}'"):
        replicate_kit.Client(TOKEN, **{name: True})


def test_settings_and_an_own_http_client_conflict() -> None:
    with pytest.raises(TypeError, match=r"httpx settings \(verify\) and http_client="):
        replicate_kit.Client(TOKEN, http_client=httpx.Client(), verify=False)
    with pytest.raises(TypeError, match=r"httpx settings \(verify\) and http_client="):
        replicate_kit.AsyncClient(TOKEN, http_client=httpx.AsyncClient(), verify=False)


def test_the_error_names_the_class_that_was_called() -> None:
    with pytest.raises(
        TypeError, match=r"^AsyncClient\(\) got an unexpected keyword argument 'verifyy'"
    ):
        replicate_kit.AsyncClient(TOKEN, verifyy=True)
