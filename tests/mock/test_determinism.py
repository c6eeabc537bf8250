"""Same seed + same requests → byte-identical responses."""

from __future__ import annotations

from mock_server import MockServer
from tests.mock.conftest import HELLO, asgi_client


async def _session(seed: int) -> list[bytes]:
    server = MockServer(seed=seed, clock="auto")
    bodies: list[bytes] = []
    async with asgi_client(server) as client:
        for text in ("a", "b"):
            r = await client.post("/predictions", json={"version": HELLO, "input": {"text": text}})
            bodies.append(r.content)
            bodies.append((await client.get(r.json()["urls"]["get"])).content)
        r = await client.post(
            "/models/stability-ai/sdxl/predictions", json={"input": {"num_outputs": 2}}
        )
        for _ in range(3):
            bodies.append((await client.get(r.json()["urls"]["get"])).content)
        r = await client.post(
            "/models/meta/meta-llama-3-8b-instruct/predictions",
            json={"input": {"prompt": "p"}},
            headers={"Prefer": "wait", "Cancel-After": "30s"},
        )
        bodies.append(r.content)
        bodies.append((await client.get(r.json()["urls"]["stream"])).content)
        bodies.append((await client.get("/predictions")).content)
        bodies.append((await client.get("/models/replicate/hello-world")).content)
    return bodies


async def test_same_seed_same_bytes() -> None:
    first = await _session(42)
    second = await _session(42)
    assert first == second


async def test_different_seed_different_ids() -> None:
    assert (await _session(1))[0] != (await _session(2))[0]
