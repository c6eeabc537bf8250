"""A small Cog predictor used by the mock's Cog runner tests."""

import asyncio
import tempfile
from collections.abc import AsyncIterator

from cog import BasePredictor, ConcatenateIterator, Input, Path


class Predictor(BasePredictor):
    def setup(self) -> None:
        self.prefix = "caption"

    def predict(
        self,
        image: Path = Input(description="Image to describe"),
        style: str = Input(default="short", choices=["short", "long"]),
        words: int = Input(default=3, ge=1, le=10),
    ) -> ConcatenateIterator[str]:
        data = image.read_bytes()
        print(f"read {len(data)} bytes from {image.name}")
        for i in range(words):
            yield f"{self.prefix}-{style}-{i} "
        print("done")


class Sizes(BasePredictor):
    def predict(self, text: str, fail: bool = False) -> Path:
        if fail:
            raise RuntimeError("CUDA out of memory")
        out = Path(tempfile.mkdtemp()) / "sizes.txt"
        out.write_text(f"{len(text)}\n")
        return out


def shout(text: str = Input(description="Say it loud")) -> str:
    return text.upper() + "!"


class AsyncTokens(BasePredictor):
    async def setup(self) -> None:
        self.greeting = "hi"

    async def predict(self, count: int = 2) -> AsyncIterator[str]:
        for i in range(count):
            await asyncio.sleep(0)
            print(f"token {i}")
            yield f"{self.greeting}{i}"


async def async_shout(text: str) -> str:
    await asyncio.sleep(0)
    return text.upper()


def chatty(lines: int = 1000) -> str:
    for i in range(lines):
        print(f"step {i}")
    return "done"


class SameLoop(BasePredictor):
    async def setup(self) -> None:
        self.loop = asyncio.get_running_loop()
        self.queue: asyncio.Queue[str] = asyncio.Queue()  # bound to setup's loop

    async def predict(self, item: str) -> str:
        await self.queue.put(item)
        same = asyncio.get_running_loop() is self.loop
        return f"{await self.queue.get()} same-loop={same}"
