"""The contract scenarios, unchanged, through the official ``replicate`` client.

Proves the mock is wire-compatible and that our scenarios use the official call
shapes. Scenarios the official client cannot pass are listed in DIFFERENCES with
the reason (see README.md in this folder); they are asserted to *fail* there, so
the list stays honest.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.contract.scenarios import SCENARIOS, Ctx

replicate = pytest.importorskip("replicate")

#: scenario -> why the official client (replicate 1.0.7) differs.
DIFFERENCES: dict[str, str] = {}


def official_ctx(mock: Any, strict: Any) -> Ctx:
    from replicate import exceptions, webhook

    def make_client(
        token: str | None = None, base_url: str | None = None, max_retries: int | None = None
    ) -> Any:
        client = replicate.Client(api_token=token or mock.token, base_url=base_url or mock.url)
        client.poll_interval = 0.01
        return client

    return Ctx(
        client=make_client(),
        mock=mock,
        make_client=make_client,
        kit=False,
        exceptions=exceptions,
        webhook_errors=webhook,
        extras={"strict_server": strict},
    )


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_official_client(name: str, replicate_mock: Any, strict_mock_server: Any) -> None:
    ctx = official_ctx(replicate_mock, strict_mock_server)
    if name in DIFFERENCES:
        with pytest.raises(Exception):  # noqa: B017 - any failure documents the difference
            SCENARIOS[name](ctx)
        return
    SCENARIOS[name](ctx)


HELLO_VERSION = "5c7d5dc6dd8bf75c1acaa8565735e7986bc5b66206b55cca93cb72c9bf15ccaa"


def test_difference_create_throttled_once(replicate_mock: Any) -> None:
    """One 429 on a create: the official client gives up, replicate_kit retries safely."""
    import replicate_kit
    from replicate_kit import RetryPolicy

    control = replicate_mock.control
    official = replicate.Client(api_token=replicate_mock.token, base_url=replicate_mock.url)
    kit = replicate_kit.Client(
        replicate_mock.token, base_url=replicate_mock.url, retry=RetryPolicy(max_retry_after=0.0)
    )
    try:
        control.inject_fault(
            method="POST", path="/v1/predictions", status=429, count=1, retry_after=1
        )
        with pytest.raises(replicate.exceptions.ReplicateError) as info:
            official.predictions.create(version=HELLO_VERSION, input={"text": "x"})
        assert info.value.status == 429
        control.inject_fault(
            method="POST", path="/v1/predictions", status=429, count=1, retry_after=1
        )
        assert kit.predictions.create(version=HELLO_VERSION, input={"text": "x"}).id
    finally:
        control.clear_faults()


def test_difference_unknown_stream_events() -> None:
    """An event name the official decoder does not know raises there; we skip it."""
    from replicate.stream import EventSource

    from replicate_kit._transport.base import RawEvent
    from replicate_kit.stream import StreamState

    with pytest.raises(ValueError):
        EventSource.Decoder().decode("event: metrics")
    assert StreamState().accept(RawEvent(event="metrics", data="{}", id="1")) is None
