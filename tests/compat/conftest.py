"""Fixtures for the compat suite (same as tests/contract)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from mock_server import MockServer

STRICT_TOKEN = "r8_strict_good_token"


@pytest.fixture(scope="session")
def strict_mock_server() -> Iterator[MockServer]:
    """A second mock that only accepts STRICT_TOKEN (for 401 scenarios)."""
    server = MockServer(seed=0, clock="auto", tokens=[STRICT_TOKEN]).start()
    try:
        yield server
    finally:
        server.stop()
