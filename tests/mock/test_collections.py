"""Hardware, collections and GET /search."""

from __future__ import annotations

import httpx

from mock_server import MockServer
from tests.mock.conftest import asgi_client


async def test_hardware_is_a_bare_array_of_skus(client: httpx.AsyncClient) -> None:
    response = await client.get("/hardware")
    assert response.status_code == 200
    hardware = response.json()
    assert isinstance(hardware, list)
    assert {"name": "CPU", "sku": "cpu"} in hardware
    assert {"name": "Nvidia T4 GPU", "sku": "gpu-t4"} in hardware
    assert len({h["sku"] for h in hardware}) == len(hardware)


async def test_collections_list_and_get(client: httpx.AsyncClient) -> None:
    page = (await client.get("/collections")).json()
    assert page["next"] is None and page["previous"] is None
    slugs = [c["slug"] for c in page["results"]]
    assert slugs == ["language-models", "text-to-image", "testing-tools"]
    assert all(set(c) == {"name", "slug", "description"} for c in page["results"])
    detail = (await client.get("/collections/text-to-image")).json()
    assert [f"{m['owner']}/{m['name']}" for m in detail["models"]] == [
        "stability-ai/stable-diffusion",
        "stability-ai/sdxl",
    ]
    assert detail["models"][0]["latest_version"]["id"]
    assert detail["full_description"]
    missing = await client.get("/collections/nothing-here")
    assert missing.status_code == 404
    assert missing.headers["content-type"] == "application/problem+json"


async def test_collections_paginate() -> None:
    server = MockServer(clock="virtual", page_size=2)
    async with asgi_client(server) as client:
        first = (await client.get("/collections")).json()
        second = (await client.get(first["next"])).json()
        slugs = [c["slug"] for c in first["results"] + second["results"]]
        assert slugs == ["language-models", "text-to-image", "testing-tools"]
        back = (await client.get(second["previous"])).json()
        assert back["results"] == first["results"]


async def test_search_finds_models_collections_and_pages(client: httpx.AsyncClient) -> None:
    result = (await client.get("/search", params={"query": "llama"})).json()
    assert result["query"] == "llama"
    names = [f"{h['model']['owner']}/{h['model']['name']}" for h in result["models"]]
    assert set(names) == {"meta/meta-llama-3-8b-instruct", "meta/llama-3-70b-instruct"}
    hit = result["models"][0]
    assert hit["metadata"]["tags"] == ["language-models", "official"]
    assert hit["metadata"]["generated_description"] == hit["model"]["description"]
    assert result["collections"] == []
    image = (await client.get("/search", params={"query": "image"})).json()
    assert [c["slug"] for c in image["collections"]] == ["text-to-image"]
    assert image["collections"][0]["models"] == [
        "stability-ai/stable-diffusion",
        "stability-ai/sdxl",
    ]
    docs = (await client.get("/search", params={"query": "webhook"})).json()
    assert {p["href"] for p in docs["pages"]} >= {"/docs/topics/webhooks"}


async def test_search_matches_query_models_and_honours_limit(client: httpx.AsyncClient) -> None:
    for text in ("mock", "a", "LLAMA", "nothing-matches-this"):
        found = (await client.get("/search", params={"query": text, "limit": 50})).json()
        queried = (
            await client.request(
                "QUERY", "/models", content=text, headers={"content-type": "text/plain"}
            )
        ).json()
        assert {h["model"]["name"] for h in found["models"]} == {
            m["name"] for m in queried["results"]
        }, text
    limited = (await client.get("/search", params={"query": "a", "limit": 2})).json()
    assert len(limited["models"]) == 2
    exact = (await client.get("/search", params={"query": "echo"})).json()
    assert exact["models"][0]["metadata"]["score"] == 1.0


async def test_search_sees_private_models_of_the_caller_only(
    server: MockServer, client: httpx.AsyncClient
) -> None:
    owner = (await client.get("/account")).json()["username"]
    server.control.register_model(
        {"model": f"{owner}/secret-sauce", "visibility": "private", "output": "x"}
    )
    mine = (await client.get("/search", params={"query": "sauce"})).json()
    assert [h["model"]["name"] for h in mine["models"]] == ["secret-sauce"]
    async with asgi_client(server, "r8_other") as other:
        theirs = (await other.get("/search", params={"query": "sauce"})).json()
        assert theirs["models"] == []


async def test_search_rejects_bad_parameters(client: httpx.AsyncClient) -> None:
    missing = await client.get("/search")
    assert missing.status_code == 400
    assert missing.json()["detail"] == 'Query parameter "query" is required'
    for params in ({"query": " "}, {"query": "x", "limit": "0"}, {"query": "x", "limit": "51"},
                   {"query": "x", "limit": "ten"}):  # fmt: skip
        response = await client.get("/search", params=params)
        assert response.status_code == 400, params
        assert response.headers["content-type"] == "application/problem+json"
