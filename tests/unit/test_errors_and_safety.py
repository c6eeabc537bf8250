"""Typed errors through the client, Retry-After handling, and the token kept out of sight."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

import httpx
import pytest

import replicate_kit
from replicate_kit import _config
from replicate_kit import exceptions as exc
from replicate_kit.helpers import FileOutput

from .conftest import API, ERROR_STATUSES, TOKEN, FakeAPI, V, prediction


@pytest.mark.parametrize(("status", "cls"), ERROR_STATUSES)
def test_each_status_raises_its_class(api: FakeAPI, status: int, cls: type[Exception]) -> None:
    body = {"title": "Problem", "detail": f"status {status}", "status": status}
    api.on("GET /predictions/p1", httpx.Response(status, json=body))
    with pytest.raises(cls) as info:
        api.client(max_retries=0).predictions.get("p1")
    error = info.value
    assert type(error) is cls
    assert isinstance(error, exc.ReplicateError) and isinstance(error, exc.ReplicateException)
    assert (error.status, error.title, error.detail) == (status, "Problem", f"status {status}")
    assert f"HTTP {status}" in str(error) and f"status {status}" in str(error)


def test_invalid_fields_and_problem_details(api: FakeAPI) -> None:
    api.on(
        "POST /predictions",
        httpx.Response(
            422,
            headers={"content-type": "application/problem+json"},
            json={
                "title": "Input validation failed",
                "detail": "- input: prompt is required",
                "status": 422,
                "invalid_fields": [
                    {"type": "required", "field": "input", "description": "prompt is required"}
                ],
            },
        ),
    )
    with pytest.raises(exc.UnprocessableEntityError) as info:
        api.client().run(V, input={})
    assert info.value.invalid_fields == [
        {"type": "required", "field": "input", "description": "prompt is required"}
    ]
    assert "prompt is required" in str(info.value)
    assert len(api.requests) == 1  # a 422 is never retried


def test_retry_after_http_date_is_honoured(api: FakeAPI) -> None:
    when = datetime.now(UTC) + timedelta(seconds=4)
    api.on(
        "GET /predictions/p1",
        httpx.Response(429, headers={"Retry-After": format_datetime(when, usegmt=True)}),
        prediction(status="succeeded"),
    )
    client = api.client(retry=replicate_kit.RetryPolicy(max_retries=2))
    slept: list[float] = []
    client._core._sleep = slept.append
    assert client.predictions.get("p1").status == "succeeded"
    assert len(slept) == 1 and 2.0 <= slept[0] <= 4.0


def test_rate_limit_error_exposes_retry_after(api: FakeAPI) -> None:
    api.on(
        "GET /account",
        httpx.Response(
            429, headers={"Retry-After": "7"}, json={"detail": "Request was throttled."}
        ),
    )
    with pytest.raises(exc.RateLimitError) as info:
        api.client(max_retries=0).accounts.current()
    assert info.value.retry_after == 7.0


def test_timeouts_are_typed(api: FakeAPI) -> None:
    api.on("GET /predictions/p1", httpx.ReadTimeout("slow"))
    api.on("POST /predictions", httpx.ReadTimeout("slow"))
    client = api.client(max_retries=1)
    with pytest.raises(exc.APITimeoutError):
        client.predictions.get("p1")
    assert len(api.sent("GET /predictions/p1")) == 2  # a read is retried
    with pytest.raises(exc.APITimeoutError) as info:
        client.predictions.create(version=V, input={})
    assert info.value.request_sent  # the server may have the prediction: no retry
    assert len(api.sent("POST /predictions")) == 1
    assert isinstance(info.value, exc.APIConnectionError)


def test_connection_errors_are_typed(api: FakeAPI) -> None:
    api.on("GET /predictions/p1", httpx.ConnectError("refused"))
    with pytest.raises(exc.APIConnectionError, match="Could not connect") as info:
        api.client(max_retries=2).predictions.get("p1")
    assert not info.value.request_sent
    assert len(api.requests) == 3


# -- the token stays secret -------------------------------------------------------------------


def test_token_never_in_logs(api: FakeAPI, caplog: pytest.LogCaptureFixture) -> None:
    api.on(
        "POST /predictions", httpx.Response(429, headers={"Retry-After": "0"}), (201, prediction())
    )
    api.on("GET /predictions/p1", httpx.Response(503), prediction(status="succeeded", output="x"))
    with caplog.at_level(logging.DEBUG):
        assert api.client().run(V, input={}, wait=False) == "x"
    assert "retrying" in caplog.text  # our own retry logging ran
    assert TOKEN not in caplog.text


def test_token_never_in_reprs(api: FakeAPI) -> None:
    client = api.client()
    transport = client._core.sync_transport
    texts = [repr(client), repr(client._core.config), repr(transport), str(vars(transport))]
    texts.append(repr(client.with_options(poll_interval=1)))
    for text in texts:
        assert TOKEN not in text


def test_output_files_elsewhere_never_get_the_token(api: FakeAPI) -> None:
    api.on("GET files.example/a.png", httpx.Response(200, content=b"A"))
    api.on(
        "GET redirect.example/b.png",
        httpx.Response(302, headers={"location": "https://files.example/a.png"}),
    )
    api.on(
        "GET /files/f1/download",
        httpx.Response(302, headers={"location": "https://files.example/a.png"}),
    )
    client = api.client()
    assert FileOutput("https://redirect.example/b.png", client._core).read() == b"A"
    assert FileOutput(f"{API}/files/f1/download", client._core).read() == b"A"
    api_request, cdn_request = api.requests[-2:]
    assert api_request.headers["authorization"] == f"Bearer {TOKEN}"
    assert [r for r in api.requests if "authorization" in r.headers] == [api_request]
    assert cdn_request.url.host == "files.example"
    assert b"".join(client.file_output("https://files.example/a.png")) == b"A"
    assert "authorization" not in api.requests[-1].headers


def test_missing_token_error_names_the_variable_and_sends_nothing(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("REPLICATE_API_TOKEN", raising=False)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(_config, "_dotenv_loaded", False)
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={})

    transport = httpx.MockTransport(handler)
    client = replicate_kit.Client(http_client=httpx.Client(transport=transport))
    with pytest.raises(exc.AuthenticationError) as info:
        client.run("o/m", input={})
    assert "REPLICATE_API_TOKEN" in str(info.value)
    assert seen == []


def test_invalid_poll_interval_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REPLICATE_POLL_INTERVAL", "soon")
    with pytest.raises(ValueError, match="REPLICATE_POLL_INTERVAL"):
        replicate_kit.Client("r8_x")


def test_invalid_base_url_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="base URL"):
        replicate_kit.Client("r8_x", base_url="api.replicate.com")
