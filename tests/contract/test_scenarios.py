"""Every scenario through replicate_kit against the mock, on each transport."""

from __future__ import annotations

from typing import Any

import pytest

import replicate_kit
from replicate_kit import RetryPolicy, exceptions

from .conftest import Kit
from .scenarios import SCENARIOS, Ctx


def kit_ctx(kit: Kit, strict: Any) -> Ctx:
    mock = kit.mock

    def make_client(
        token: str | None = None, base_url: str | None = None, max_retries: int | None = None
    ) -> replicate_kit.Client:
        return kit.client(
            token,
            base_url=base_url,
            poll_interval=0.01,
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


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_scenario(name: str, kit: Kit, strict_mock_server: Any) -> None:
    SCENARIOS[name](kit_ctx(kit, strict_mock_server))
