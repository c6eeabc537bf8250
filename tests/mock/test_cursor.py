"""Every list operation: an empty cursor is the first page, a cursor never issued is a 404."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest

from mock_server import MockServer
from tests.mock.conftest import ROOT
from tests.mock.spec import spec

CURSOR = "#/components/parameters/Cursor"


def _lists() -> list[str]:
    urls = []
    for path, item in spec()["paths"].items():
        op: Any = item.get("get")
        if isinstance(op, dict) and {"$ref": CURSOR} in op.get("parameters", []):
            # The public models' examples are a list too: name a model that exists.
            filled = path.replace("{model_owner}", "replicate").replace(
                "{model_name}", "hello-world"
            )
            urls.append("/v1" + re.sub(r"\{[^}]+\}", "x", filled))
    return urls


@pytest.mark.parametrize("url", _lists())
async def test_empty_cursor_is_the_first_page_and_unknown_cursors_are_404(url: str) -> None:
    server = MockServer(seed=1, clock="auto")
    transport = httpx.ASGITransport(app=server.app)
    headers = {"Authorization": "Bearer r8_cursor"}
    async with httpx.AsyncClient(transport=transport, base_url=ROOT, headers=headers) as client:
        first = await client.get(url)
        empty = await client.get(url, params={"cursor": ""})
        unknown = await client.get(url, params={"cursor": "not-a-cursor"})
    assert first.status_code == empty.status_code == 200
    assert empty.json()["results"] == first.json()["results"]
    assert unknown.status_code == 404
    assert unknown.json()["title"] == "Invalid cursor"
