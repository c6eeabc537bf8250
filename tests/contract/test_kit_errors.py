"""Every replicate_kit error class, provoked through each real transport against the mock.

The official client has one ``ReplicateError`` for every status, so these checks are
ours only; the shared scenarios cover the statuses both clients see.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

import replicate_kit
from replicate_kit import RetryPolicy
from replicate_kit import exceptions as exc
from tests.status_classes import STATUS_CLASSES

from .conftest import Kit
from .scenarios import HELLO

ACCOUNT = "/v1/account"


@pytest.fixture
def client(kit: Kit, replicate_mock: Any) -> Iterator[replicate_kit.Client]:
    client = kit.client(poll_interval=0.0, retry=RetryPolicy(max_retries=0))
    try:
        yield client
    finally:
        replicate_mock.control.clear_faults()
        client.close()


@pytest.mark.parametrize(
    ("status", "cls"),
    [*STATUS_CLASSES, (502, exc.InternalServerError)],
)
def test_status_classes(
    client: replicate_kit.Client, replicate_mock: Any, status: int, cls: type[Exception]
) -> None:
    replicate_mock.control.inject_fault(method="GET", path=ACCOUNT, status=status, count=1)
    with pytest.raises(cls) as info:
        client.accounts.current()
    assert type(info.value) is cls
    assert isinstance(info.value, exc.ReplicateError) and info.value.status == status
    assert replicate_mock.token not in str(info.value) + repr(info.value)
    assert client.accounts.current().username  # the fault fired once; the API works again


def test_connection_dropped(client: replicate_kit.Client, replicate_mock: Any) -> None:
    replicate_mock.control.inject_fault(method="GET", path=ACCOUNT, drop=True, count=1)
    with pytest.raises(exc.APIConnectionError) as info:
        client.accounts.current()
    assert not isinstance(info.value, exc.APITimeoutError)


def test_read_timeout(kit: Kit, replicate_mock: Any) -> None:
    replicate_mock.control.inject_fault(method="GET", path=ACCOUNT, latency=1.0, count=1)
    slow = kit.client(timeout=0.2, retry=RetryPolicy(max_retries=0))
    try:
        with pytest.raises(exc.APITimeoutError):
            slow.accounts.current()
    finally:
        replicate_mock.control.clear_faults()
        slow.close()


def test_model_error_and_stream_error(client: replicate_kit.Client) -> None:
    with pytest.raises(exc.ModelError) as info:
        client.run("mock/fail", input={"message": "disk full"})
    assert info.value.prediction.status == "failed" and "disk full" in str(info.value)
    with pytest.raises(exc.StreamError, match="disk full") as stream_info:
        list(client.stream("mock/fail", input={"message": "disk full"}))
    assert isinstance(stream_info.value, RuntimeError)  # what the official client raises


def test_unprocessable_input_lists_fields(client: replicate_kit.Client) -> None:
    with pytest.raises(exc.UnprocessableEntityError) as info:
        client.run(HELLO, input={"text": 3})
    assert info.value.invalid_fields
    assert all("field" in f for f in info.value.invalid_fields)


def test_missing_token_names_the_variable(
    kit: Kit, replicate_mock: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Any
) -> None:
    from replicate_kit import _config

    monkeypatch.delenv("REPLICATE_API_TOKEN", raising=False)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(_config, "_dotenv_loaded", False)

    def anonymous_calls() -> int:
        # Only requests without a token: the shared mock may still be answering other
        # tests' clients, and its journal is a bounded ring.
        return sum(1 for e in replicate_mock.control.journal(path=ACCOUNT) if not e["account"])

    before = anonymous_calls()
    anonymous = replicate_kit.Client(**kit.options())
    with pytest.raises(exc.AuthenticationError, match="REPLICATE_API_TOKEN"):
        anonymous.accounts.current()
    assert anonymous_calls() == before  # nothing was sent
