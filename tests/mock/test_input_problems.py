"""422 problems for invalid input list each field once; a schema type JSON Schema does not know
(Cog's ``tensor``, say) accepts any value instead of failing every create."""

from __future__ import annotations

import logging

import httpx
import pytest

from mock_server import MockServer

SDXL = "/models/stability-ai/sdxl/predictions"
TENSOR_MODEL = {
    "model": "acme/tensors",
    "output": "ok",
    "input_schema": {
        "properties": {"weights": {"type": "tensor"}, "scale": {"type": "number"}},
        "required": ["weights"],
    },
}


@pytest.mark.parametrize(
    ("given", "fields"),
    [
        ({"prompt": "a cat", "scheduler": "FAST"}, ["input.scheduler"]),
        ({"prompt": "a cat", "scheduler": "FAST", "num_outputs": "many"}, None),
    ],
)
async def test_each_invalid_field_is_one_line_of_the_detail(
    client: httpx.AsyncClient, given: dict[str, object], fields: list[str] | None
) -> None:
    response = await client.post(SDXL, json={"input": given})
    assert response.status_code == 422
    problem = response.json()
    invalid = problem["invalid_fields"]
    if fields is not None:
        assert [f["field"] for f in invalid] == fields
    assert len(invalid) == len({(f["field"], f["description"]) for f in invalid})
    lines = problem["detail"].splitlines()
    assert lines == [f"- {f['field']}: {f['description']}" for f in invalid]


async def test_an_unknown_schema_type_accepts_any_value_with_a_warning(
    server: MockServer, client: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="replicate_mock.validation"):
        server.control.register_model(TENSOR_MODEL)
    assert "tensor" in caplog.text
    url = "/models/acme/tensors/predictions"
    created = await client.post(url, json={"input": {"weights": [[0.5, 1.5]]}})
    assert created.status_code == 201, created.text
    # The known parts of the schema are still enforced.
    refused = await client.post(url, json={"input": {"scale": 2}})
    assert refused.status_code == 422
    assert [f["field"] for f in refused.json()["invalid_fields"]] == ["input"]
    wrong = await client.post(url, json={"input": {"weights": 1, "scale": "big"}})
    assert [f["field"] for f in wrong.json()["invalid_fields"]] == ["input.scale"]
