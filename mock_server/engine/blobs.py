"""Bytes of output files, served without auth like replicate.delivery."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class StoredBlob:
    content_type: str
    data: bytes


class BlobStore:
    PREFIX = "/delivery"

    def __init__(self) -> None:
        self._blobs: dict[str, StoredBlob] = {}

    def put(self, key: str, name: str, content_type: str, data: bytes) -> str:
        path = f"{self.PREFIX}/{key}/{name}"
        self._blobs[path] = StoredBlob(content_type, data)
        return path

    def restore(self, path: str, blob: StoredBlob) -> None:
        self._blobs[path] = blob

    def items(self) -> list[tuple[str, StoredBlob]]:
        return list(self._blobs.items())

    def get(self, path: str) -> StoredBlob | None:
        return self._blobs.get(path)
