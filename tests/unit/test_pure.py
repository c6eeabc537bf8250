"""Pure logic: errors, retry policy, references, statuses, config."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
import pytest
from replicate_api_table import RetryClass

from replicate_kit import exceptions as exc
from replicate_kit._calls import Call
from replicate_kit._config import ClientConfig, normalize_base_url
from replicate_kit._problem import error_from_response, parse_retry_after, retry_hint_from_text
from replicate_kit._refs import parse_ref, split_name
from replicate_kit._retry import RetryPolicy, read_timeout_for_wait
from replicate_kit._status import is_terminal

from .conftest import ERROR_STATUSES, V


@pytest.mark.parametrize(("status", "cls"), ERROR_STATUSES)
def test_error_class_per_status(status: int, cls: type[exc.ReplicateError]) -> None:
    err = error_from_response(status, {}, b'{"title": "T", "detail": "D", "status": 1}')
    assert type(err) is cls
    assert err.status == status
    assert (err.title, err.detail) == ("T", "D")
    assert isinstance(err, exc.ReplicateException)


def test_problem_fields_and_message() -> None:
    body = (
        b'{"title":"Input validation failed","detail":"- input: prompt is required\\n",'
        b'"status":422,"invalid_fields":[{"type":"required","field":"input","description":"prompt is required"}]}'
    )
    err = error_from_response(422, {"content-type": "application/problem+json"}, body)
    assert err.invalid_fields == [
        {"type": "required", "field": "input", "description": "prompt is required"}
    ]
    assert "Input validation failed" in str(err)
    assert "prompt is required" in str(err)
    assert err.to_dict()["status"] == 422


def test_each_invalid_field_is_named_once_in_the_message() -> None:
    fields = [
        {"type": "enum", "field": "input.scheduler", "description": "must be one of: A, B"},
        {"type": "required", "field": "input.prompt", "description": "prompt is required"},
    ]
    listed = "".join(f"- {f['field']}: {f['description']}\n" for f in fields)
    for detail in (listed, None):
        err = exc.UnprocessableEntityError(
            status=422, title="Input validation failed", detail=detail, invalid_fields=fields
        )
        message = str(err)
        assert message.count("input.scheduler: must be one of: A, B") == 1, message
        assert message.count("input.prompt: prompt is required") == 1, message
    other = exc.UnprocessableEntityError(
        status=422, title="Invalid", detail="Version is archived", invalid_fields=fields[:1]
    )
    assert "Version is archived" in str(other) and "input.scheduler" in str(other)


def test_non_json_error_bodies() -> None:
    assert error_from_response(502, {}, b"upstream gone").detail == "upstream gone"
    assert error_from_response(502, {}, b"<html>bad gateway</html>").detail is None
    assert error_from_response(500, {}, b"").status == 500


def test_official_style_positional_message() -> None:
    err = exc.ReplicateError("Model does not support streaming")
    assert err.status is None
    assert "Model does not support streaming" in str(err)


def test_retry_after_seconds_date_and_body_hint() -> None:
    now = datetime(2024, 1, 1, 12, 0, 0, tzinfo=UTC)
    assert parse_retry_after("3") == 3.0
    assert parse_retry_after("Mon, 01 Jan 2024 12:00:10 GMT", now=now) == 10.0
    assert parse_retry_after("Mon, 01 Jan 2024 11:00:00 GMT", now=now) == 0.0
    assert parse_retry_after("soon") is None
    assert retry_hint_from_text("Request was throttled. Expected available in 1 second.") == 1.0
    assert retry_hint_from_text("Your rate limit resets in ~30s.") == 30.0
    err = error_from_response(
        429, {"Retry-After": "2"}, b'{"detail":"Expected available in 9 seconds"}'
    )
    assert err.retry_after == 2.0  # header wins over the body hint
    err = error_from_response(429, {}, b'{"detail":"Expected available in 9 seconds"}')
    assert err.retry_after == 9.0


def _status_error(status: int) -> exc.ReplicateError:
    return error_from_response(status, {}, b"{}")


@pytest.mark.parametrize("status", [408, 429, 500, 502, 503, 504])
def test_reads_retry_transient_statuses(status: int) -> None:
    policy = RetryPolicy(max_retries=3)
    assert policy.should_retry("idempotent", _status_error(status), 0)
    assert not policy.should_retry("idempotent", _status_error(status), 3)


@pytest.mark.parametrize("status", [400, 401, 403, 404, 422, 501])
def test_reads_do_not_retry_client_errors(status: int) -> None:
    assert not RetryPolicy().should_retry("idempotent", _status_error(status), 0)


@pytest.mark.parametrize("retry", ["never", "reconcile"])
def test_creates_retry_only_when_nothing_happened(retry: RetryClass) -> None:
    policy = RetryPolicy()
    for status in (429, 503):
        assert policy.should_retry(retry, _status_error(status), 0)
    for status in (408, 500, 502, 504):
        assert not policy.should_retry(retry, _status_error(status), 0)
    assert policy.should_retry(retry, exc.APIConnectionError("refused", request_sent=False), 0)
    assert not policy.should_retry(retry, exc.APIConnectionError("reset", request_sent=True), 0)
    assert not policy.should_retry(retry, exc.APITimeoutError("read timeout"), 0)
    assert policy.should_retry("idempotent", exc.APITimeoutError("read timeout"), 0)


def test_calls_take_their_retry_class_from_the_spec() -> None:
    assert Call("predictions.get").retry == "idempotent"
    assert Call("predictions.create").retry == "reconcile"
    assert Call("files.create").retry == "never"
    assert Call("deployments.update").retry == "idempotent"  # a PATCH that sets given values
    assert Call("no.such.operation").retry == "never"


def test_backoff_is_exponential_capped_and_jittered() -> None:
    policy = RetryPolicy(initial_delay=0.5, max_delay=4.0, jitter=0.5, random=lambda: 1.0)
    err = exc.APIConnectionError("x")
    assert [policy.delay(err, n) for n in range(5)] == [0.25, 0.5, 1.0, 2.0, 2.0]
    no_jitter = RetryPolicy(initial_delay=0.5, max_delay=4.0, jitter=0.5, random=lambda: 0.0)
    assert no_jitter.delay(err, 10) == 4.0


def test_server_hint_wins_and_is_capped() -> None:
    policy = RetryPolicy(max_retry_after=5.0)
    assert policy.delay(exc.RateLimitError(status=429, retry_after=1.5), 0) == 1.5
    assert policy.delay(exc.RateLimitError(status=429, retry_after=500), 0) == 5.0
    assert policy.next_delay("idempotent", exc.NotFoundError(status=404), 0) is None


def test_read_timeout_exceeds_prefer_wait() -> None:
    assert read_timeout_for_wait(60, 30.0) is not None
    assert read_timeout_for_wait(60, 30.0) > 60  # type: ignore[operator]
    assert read_timeout_for_wait(5, 30.0) == 30.0
    assert read_timeout_for_wait(None, 30.0) == 30.0
    assert read_timeout_for_wait(60, None) is None  # no timeout at all is also "longer"


def test_refs() -> None:
    assert parse_ref("replicate/hello-world").uses_model_route
    ref = parse_ref(f"replicate/hello-world:{V}")
    assert (ref.owner, ref.name, ref.version) == ("replicate", "hello-world", V)
    assert not ref.uses_model_route
    assert str(ref) == f"replicate/hello-world:{V}"
    bare = parse_ref(V)
    assert bare.model is None and bare.version == V and not bare.uses_model_route
    for bad in ("hello", "a/b/c", "a/b:", "", "/x", "a b/c"):
        with pytest.raises(ValueError, match="Invalid model reference"):
            parse_ref(bad)
    assert split_name("o/n") == ("o", "n")
    with pytest.raises(ValueError):
        split_name(f"o/n:{V}")


def test_terminal_statuses() -> None:
    assert all(is_terminal(s) for s in ("succeeded", "failed", "canceled", "aborted"))
    assert not any(is_terminal(s) for s in ("starting", "processing", None, "completed"))


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("https://api.replicate.com", "https://api.replicate.com/v1"),
        ("https://api.replicate.com/", "https://api.replicate.com/v1"),
        ("https://api.replicate.com/v1", "https://api.replicate.com/v1"),
        ("http://127.0.0.1:9/v1/", "http://127.0.0.1:9/v1"),
        ("http://proxy/custom/v1", "http://proxy/custom/v1"),
    ],
)
def test_base_url_normalization(given: str, expected: str) -> None:
    assert normalize_base_url(given) == expected


def test_config_from_env_and_explicit_values() -> None:
    env = {
        "REPLICATE_API_TOKEN": "r8_env",
        "REPLICATE_BASE_URL": "http://127.0.0.1:1",
        "REPLICATE_POLL_INTERVAL": "0.25",
    }
    cfg = ClientConfig.resolve(env=env)
    assert (cfg.api_token, cfg.base_url, cfg.poll_interval) == (
        "r8_env",
        "http://127.0.0.1:1/v1",
        0.25,
    )
    assert "r8_env" not in repr(cfg)
    cfg = ClientConfig.resolve(
        api_token="r8_x", poll_interval=2, max_retries=7, timeout=12, env=env
    )
    assert (cfg.api_token, cfg.poll_interval, cfg.retry.max_retries) == ("r8_x", 2, 7)
    assert cfg.timeout == httpx.Timeout(12.0, connect=5.0)
    assert ClientConfig.resolve(env={}).api_token is None
    with pytest.raises(ValueError, match="REPLICATE_POLL_INTERVAL"):
        ClientConfig.resolve(env={"REPLICATE_POLL_INTERVAL": "fast"})
