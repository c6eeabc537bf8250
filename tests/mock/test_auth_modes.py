"""Authentication in the default and strict modes, on every operation of the spec."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest

from mock_server import MockServer
from tests.mock.conftest import ROOT
from tests.mock.spec import METHODS, spec

KNOWN = "r8_known"
MALFORMED = [
    "Bearer a b",
    "Bearer r8_x\x01",
    "Bearer\tr8_x",
    "Bearer r8_x extra",
    "Digest r8_x",
    "Basic cjhfeDo=",
    "",
    "   ",
    "Bearer",
]


def _operations() -> list[tuple[str, str, str]]:
    """(operation id, method, URL path) of every operation, path parameters filled in."""
    found = []
    for path, item in spec()["paths"].items():
        for method in METHODS:
            op: Any = item.get(method)
            if isinstance(op, dict):
                url = "/v1" + re.sub(r"\{[^}]+\}", "placeholder", path)
                verb = "QUERY" if method == "x-query" else method.upper()
                found.append((op["operationId"], verb, url))
    return found


def _needs_token(operation_id: str) -> bool:
    for item in spec()["paths"].values():
        for method in METHODS:
            op: Any = item.get(method)
            if isinstance(op, dict) and op["operationId"] == operation_id:
                return {} not in op.get("security", spec()["security"])
    raise KeyError(operation_id)


async def _call(server: MockServer, method: str, url: str, header: str | None) -> httpx.Response:
    headers = {} if header is None else {"Authorization": header}
    transport = httpx.ASGITransport(app=server.app)
    async with httpx.AsyncClient(transport=transport, base_url=ROOT) as client:
        return await client.request(method, url, headers=headers)


OPERATIONS = _operations()


@pytest.mark.parametrize(("operation_id", "method", "url"), OPERATIONS)
async def test_strict_mode_refuses_unknown_tokens_before_looking_anything_up(
    operation_id: str, method: str, url: str
) -> None:
    server = MockServer(seed=1, clock="auto", tokens=[KNOWN], rate_limits=None)
    unknown = await _call(server, method, url, "Bearer r8_unknown")
    known = await _call(server, method, url, f"Bearer {KNOWN}")
    if _needs_token(operation_id):
        assert unknown.status_code == 401, unknown.text
        assert unknown.headers["content-type"] == "application/problem+json"
    # The known token gets past authentication: whatever it meets next is not a 401.
    assert known.status_code != 401, known.text


@pytest.mark.parametrize("strict", [False, True], ids=["default", "strict"])
@pytest.mark.parametrize("header", MALFORMED)
async def test_malformed_authorization_is_401_in_both_modes(strict: bool, header: str) -> None:
    server = MockServer(seed=1, clock="auto", tokens=[KNOWN] if strict else None)
    for _, method, url in [op for op in OPERATIONS if _needs_token(op[0])]:
        response = await _call(server, method, url, header)
        assert response.status_code == 401, (method, url, response.text)
    # Nothing was minted from the broken headers.
    assert [a.token for a in server.engine.accounts.all()] == ([KNOWN] if strict else [])
