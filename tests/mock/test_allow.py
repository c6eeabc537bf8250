"""405 answers name exactly the methods of the path in `Allow` (RFC 9110), for every spec path."""

from __future__ import annotations

import re

import httpx
import pytest

from mock_server import MockServer
from tests.mock.conftest import ROOT
from tests.mock.spec import METHODS, spec

PATHS = sorted(spec()["paths"])
# Served besides the spec's methods: HEAD wherever GET is (Starlette). `x-query` counts as the
# QUERY method it documents (OpenAPI 3.1 has none).
IMPLICIT = {"HEAD"}


@pytest.mark.parametrize("path", PATHS)
async def test_options_is_405_with_the_exact_allow_header(path: str) -> None:
    item = spec()["paths"][path]
    declared = {("QUERY" if m == "x-query" else m.upper()) for m in METHODS if m in item}
    url = "/v1" + re.sub(r"\{[^}]+\}", "x", path)
    server = MockServer(seed=1, clock="auto")
    transport = httpx.ASGITransport(app=server.app)
    async with httpx.AsyncClient(transport=transport, base_url=ROOT) as client:
        response = await client.options(url, headers={"Authorization": "Bearer r8_allow"})
    assert response.status_code == 405
    assert response.headers["content-type"] == "application/problem+json"
    allowed = {m.strip() for m in response.headers["allow"].split(",")}
    assert allowed - IMPLICIT == declared
