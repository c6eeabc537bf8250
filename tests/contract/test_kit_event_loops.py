"""Async calls of one client from one ``asyncio.run`` after another (each runs its own event
loop): connections kept from a closed loop are not reused, on both transports."""

from __future__ import annotations

import asyncio

from .conftest import Kit
from .scenarios import HELLO_VERSION


def test_a_blocking_clients_async_forms_work_in_successive_event_loops(kit: Kit) -> None:
    client = kit.client()
    created = client.predictions.create(version=HELLO_VERSION, input={"text": "loops"})
    for _ in range(3):
        fetched = asyncio.run(client.predictions.async_get(created.id))
        assert fetched.id == created.id


def test_an_async_client_works_in_successive_event_loops(kit: Kit) -> None:
    client = kit.async_client()

    async def create() -> str:
        made = await client.predictions.async_create(version=HELLO_VERSION, input={"text": "x"})
        return made.id

    ids = [asyncio.run(create()) for _ in range(3)]
    assert len(set(ids)) == 3
