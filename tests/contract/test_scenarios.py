"""Every scenario through replicate_kit against the mock (one client factory per transport)."""

from __future__ import annotations

from typing import Any

import pytest

import replicate_kit
from replicate_kit import RetryPolicy, exceptions

from .scenarios import SCENARIOS, Ctx

TRANSPORTS = ["http"]


def kit_ctx(mock: Any, strict: Any, transport: str) -> Ctx:
    def make_client(
        token: str | None = None, base_url: str | None = None, max_retries: int | None = None
    ) -> replicate_kit.Client:
        return replicate_kit.Client(
            token or mock.token,
            base_url=base_url or mock.url,
            poll_interval=0.01,
            transport=transport,  # type: ignore[arg-type]
            retry=RetryPolicy(
                max_retries=4 if max_retries is None else max_retries, initial_delay=0.01
            ),
        )

    return Ctx(
        client=make_client(),
        mock=mock,
        make_client=make_client,
        kit=True,
        exceptions=exceptions,
        webhook_errors=exceptions,
        extras={"strict_server": strict},
    )


@pytest.mark.parametrize("transport", TRANSPORTS)
@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_scenario(name: str, transport: str, replicate_mock: Any, strict_mock_server: Any) -> None:
    SCENARIOS[name](kit_ctx(replicate_mock, strict_mock_server, transport))
