"""Many predictions at once, as bench section 4 makes them: ``AsyncClient`` creates them a
few at a time and the newest-first list pages (``created_after`` the first one's ``created_at``) read
them back, on both transports."""

from __future__ import annotations

import asyncio
from typing import Any

import replicate_kit
from replicate_kit.types import Prediction

from .conftest import Kit
from .scenarios import HELLO_VERSION

COUNT = 150  # more than one list page (100)


def test_created_concurrently_and_read_back_from_list_pages(kit: Kit, replicate_mock: Any) -> None:
    async def create_all(client: replicate_kit.AsyncClient) -> list[Prediction]:
        gate = asyncio.Semaphore(4)

        async def one(n: int) -> Prediction:
            async with gate:
                return await client.predictions.async_create(
                    version=HELLO_VERSION, input={"text": f"n{n}"}
                )

        return await asyncio.gather(*(one(n) for n in range(COUNT)))

    async def read_back(
        client: replicate_kit.AsyncClient, since: str, wanted: set[str]
    ) -> list[Prediction]:
        seen: list[Prediction] = []
        async for prediction in client.predictions.async_iter(created_after=since):
            if prediction.id in wanted:
                seen.append(prediction)
                if len(seen) == len(wanted):
                    break
        return seen

    async def main() -> tuple[list[Prediction], list[Prediction]]:
        async with kit.async_client(poll_interval=0.0) as client:
            created = await create_all(client)
            replicate_mock.control.advance(60)
            since = min(p.created_at for p in created if p.created_at)
            return created, await read_back(client, since, {p.id for p in created})

    created, seen = asyncio.run(main())
    assert len({p.id for p in created}) == COUNT
    assert {p.id for p in seen} == {p.id for p in created}
    assert {p.status for p in seen} == {"succeeded"}
    assert {p.output for p in seen} == {f"hello n{n}" for n in range(COUNT)}
    stamps = [p.created_at or "" for p in seen]
    assert stamps == sorted(stamps, reverse=True)  # newest first, page after page
