"""``with_raw_response`` on the scripted API: the final attempt's envelope, isolation between
concurrent calls, the create (not the uploads) behind a create with files, and the gRPC
metadata mapping."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import httpx
import pytest

import replicate_kit
from replicate_kit import _raw
from replicate_kit._calls import Call
from replicate_kit._transport.grpc import metadata_headers

from .conftest import TOKEN, FakeAPI, V, prediction

FILE = {
    "id": "f1",
    "name": "a.txt",
    "content_type": "text/plain",
    "size": 2,
    "checksums": {},
    "metadata": {},
    "created_at": "2024-01-01T00:00:00Z",
    "expires_at": "2024-01-02T00:00:00Z",
    "urls": {"get": "https://api.replicate.com/v1/files/f1"},
}


def test_retried_call_reports_the_final_response(api: FakeAPI) -> None:
    api.on(
        "GET /predictions/p1",
        (503, {"title": "Unavailable", "status": 503}),
        httpx.Response(200, json=prediction(), headers={"RateLimit-Remaining": "7"}),
    )
    raw = api.client().with_raw_response.predictions.get("p1")
    assert len(api.sent("GET /predictions/p1")) == 2
    assert raw.status_code == 200
    assert raw.headers["ratelimit-remaining"] == "7"
    assert raw.http_response is not None and raw.http_response.status_code == 200
    assert raw.parse().id == "p1"


def test_errors_raise_and_leave_no_recording_behind(api: FakeAPI) -> None:
    client = api.client()
    with pytest.raises(replicate_kit.NotFoundError):
        client.with_raw_response.predictions.get("missing")
    assert _raw.current_recording() is None
    api.on("GET /predictions/p1", prediction())
    assert client.predictions.get("p1").id == "p1"  # plain calls are unaffected


def test_create_with_files_reports_the_create_not_the_upload(api: FakeAPI, tmp_path: Path) -> None:
    api.on("POST /files", (201, FILE))
    api.on("POST /predictions", (201, prediction()))
    note = tmp_path / "a.txt"
    note.write_text("hi")
    raw = api.client().with_raw_response.predictions.create(version=V, input={"doc": note})
    assert raw.http_response is not None
    assert raw.http_response.request.url.path == "/v1/predictions"
    assert raw.status_code == 201 and raw.parse().id == "p1"


def test_concurrent_async_calls_keep_their_own_response(api: FakeAPI) -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        pid = request.url.path.rsplit("/", 1)[1]
        return httpx.Response(200, json=prediction(pid), headers={"x-id": pid})

    api.routes["GET /predictions/p1"] = answer
    api.routes["GET /predictions/p2"] = answer
    client = api.client()

    async def main() -> list[replicate_kit.RawResponse[replicate_kit.Prediction]]:
        raw = client.with_raw_response.predictions
        return list(await asyncio.gather(*(raw.async_get(p) for p in ["p1", "p2", "p1", "p2"])))

    for pid, raw in zip(["p1", "p2", "p1", "p2"], asyncio.run(main()), strict=True):
        assert raw.headers["x-id"] == pid == raw.parse().id


def test_a_transport_without_envelopes_is_a_clear_type_error() -> None:
    class Bare:
        def send(self, call: Call) -> Any:
            return {"type": "user", "username": "me", "name": "me"}

        def close(self) -> None:
            pass

    client = replicate_kit.Client(TOKEN, transport=Bare())  # type: ignore[arg-type]
    assert client.accounts.current().username == "me"
    with pytest.raises(TypeError, match="send_received"):
        client.with_raw_response.accounts.current()


def test_grpc_metadata_becomes_case_insensitive_headers() -> None:
    headers = metadata_headers(
        (("x-request-id", "abc"),), (("trace-bin", b"\x00\xff"), ("x-request-id", "def")), None
    )
    assert headers["X-Request-Id"] == "abc, def"
    assert headers.get_list("x-request-id") == ["abc", "def"]
    assert headers["trace-bin"] == "AP8="  # binary values base64-encoded, as on the wire


def test_repr_names_status_and_type_only(api: FakeAPI) -> None:
    api.on("GET /predictions/p1", prediction())
    raw = api.client().with_raw_response.predictions.get("p1")
    assert repr(raw) == "<RawResponse [200] Prediction>"
    assert raw.http_response is not None
    assert TOKEN not in repr(raw.http_response.request.headers)


def test_with_raw_response_properties_show_an_example() -> None:
    # Classes and methods of _raw/_methods/_client are covered by test_docstrings.
    for documented in (
        replicate_kit.Client.with_raw_response,
        replicate_kit.AsyncClient.with_raw_response,
    ):
        assert "Example::" in (documented.__doc__ or "")
