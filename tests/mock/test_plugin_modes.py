"""The pytest plugin's mode option builds default, strict and example-mode mocks."""

from __future__ import annotations

import pytest

from mock_server import pytest_handle, pytest_plugin
from mock_server.pytest_plugin import ASGI_ROOT, MODES


async def _status(mode: str, path: str, token: str | None = None) -> int:
    server = pytest_handle.new_server(mode, seed=0, clock="auto")
    handle = pytest_handle.handle(server, ASGI_ROOT, f"tests/x.py::{mode}")
    async with handle.async_client() as client:
        headers = {} if token is None else {"Authorization": f"Bearer {token}"}
        return (await client.get(path, headers=headers)).status_code


@pytest.mark.parametrize("mode", MODES)
async def test_the_fixture_token_works_in_every_mode(mode: str) -> None:
    assert await _status(mode, "/account") == 200


async def test_strict_mode_knows_only_the_fixture_tokens() -> None:
    assert await _status("strict", "/account", token="r8_stranger") == 401
    assert await _status("default", "/account", token="r8_stranger") == 200


async def test_example_mode_materialises_placeholders() -> None:
    assert await _status("examples", "/models/model_owner/model_name") == 200
    assert await _status("default", "/models/model_owner/model_name") == 404


def test_the_mode_option_is_read_from_the_ini_file(pytestconfig: pytest.Config) -> None:
    assert pytest_plugin._mode(pytestconfig) in MODES
