"""Model catalogue read routes."""

from __future__ import annotations

import httpx

from mock_server import MockServer
from tests.mock.conftest import asgi_client

HELLO_VERSION = "5c7d5dc6dd8bf75c1acaa8565735e7986bc5b66206b55cca93cb72c9bf15ccaa"


async def test_get_model_with_cog_schema(client: httpx.AsyncClient) -> None:
    model = (await client.get("/models/replicate/hello-world")).json()
    assert model["owner"] == "replicate" and model["name"] == "hello-world"
    assert model["url"] == "https://replicate.com/replicate/hello-world"
    assert model["is_official"] is False
    latest = model["latest_version"]
    assert latest["id"] == HELLO_VERSION
    schemas = latest["openapi_schema"]["components"]["schemas"]
    assert schemas["Input"]["required"] == ["text"]
    assert schemas["Input"]["properties"]["text"]["x-order"] == 0
    assert schemas["Output"] == {"type": "string", "title": "Output"}


async def test_official_llm_schema_marks_token_stream(client: httpx.AsyncClient) -> None:
    model = (await client.get("/models/meta/meta-llama-3-8b-instruct")).json()
    assert model["is_official"] is True
    output = model["latest_version"]["openapi_schema"]["components"]["schemas"]["Output"]
    assert output["x-cog-array-type"] == "iterator"
    assert output["x-cog-array-display"] == "concatenate"


async def test_sdxl_enum_inputs_use_component_refs(client: httpx.AsyncClient) -> None:
    schemas = (await client.get("/models/stability-ai/sdxl")).json()["latest_version"][
        "openapi_schema"
    ]["components"]["schemas"]
    assert schemas["Input"]["properties"]["scheduler"]["allOf"] == [
        {"$ref": "#/components/schemas/scheduler"}
    ]
    assert "DDIM" in schemas["scheduler"]["enum"]
    assert schemas["Input"]["properties"]["num_outputs"]["maximum"] == 4


async def test_versions_list_and_get(client: httpx.AsyncClient) -> None:
    page = (await client.get("/models/replicate/hello-world/versions")).json()
    assert [v["id"] for v in page["results"]] == [HELLO_VERSION]
    assert page["next"] is None and page["previous"] is None
    one = await client.get(f"/models/replicate/hello-world/versions/{HELLO_VERSION}")
    assert one.json()["id"] == HELLO_VERSION


async def test_list_models_paginates_and_sorts() -> None:
    server = MockServer(clock="virtual", page_size=4)
    async with asgi_client(server) as client:
        names: list[str] = []
        url: str | None = "/models"
        while url:
            page = (await client.get(url)).json()
            names += [f"{m['owner']}/{m['name']}" for m in page["results"]]
            url = page["next"]
        assert len(names) == len(set(names)) == 9
        asc = (
            await client.get(
                "/models", params={"sort_direction": "asc", "sort_by": "model_created_at"}
            )
        ).json()
        assert asc["results"][0]["name"] == "hello-world"


async def test_search_with_query_method(client: httpx.AsyncClient) -> None:
    response = await client.request(
        "QUERY", "/models", content="diffusion", headers={"content-type": "text/plain"}
    )
    assert response.status_code == 200
    assert [m["name"] for m in response.json()["results"]] == ["stable-diffusion"]


async def test_readme_and_examples(client: httpx.AsyncClient) -> None:
    readme = await client.get("/models/replicate/hello-world/readme")
    assert readme.headers["content-type"].startswith("text/plain")
    assert readme.text.startswith("# hello-world")
    assert (await client.get("/models/mock/echo/readme")).status_code == 404
    examples = (await client.get("/models/replicate/hello-world/examples")).json()
    assert examples == {"next": None, "previous": None, "results": []}


async def test_private_models_are_visible_only_to_their_owner(server: MockServer) -> None:
    async with (
        asgi_client(server, "r8_owner") as owner,
        asgi_client(server, "r8_stranger") as stranger,
    ):
        username = (await owner.get("/account")).json()["username"]
        server.control.register_model(
            {"owner": username, "name": "secret", "visibility": "private", "output": 1}
        )
        assert (await owner.get(f"/models/{username}/secret")).status_code == 200
        assert (await stranger.get(f"/models/{username}/secret")).status_code == 404
        created = await stranger.post(f"/models/{username}/secret/predictions", json={"input": {}})
        assert created.status_code == 404


async def test_run_count_increases(client: httpx.AsyncClient) -> None:
    await client.post("/models/mock/echo/predictions", json={"input": {"text": "a"}})
    assert (await client.get("/models/mock/echo")).json()["run_count"] == 1
