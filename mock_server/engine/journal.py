"""Request journal: what the mock saw, for assertions in tests."""

from __future__ import annotations

from collections import deque
from fnmatch import fnmatchcase
from typing import Any


class Journal:
    def __init__(self, limit: int = 100_000) -> None:
        self._entries: deque[dict[str, Any]] = deque(maxlen=limit)
        self._seq = 0

    def record(
        self, method: str, path: str, query: str, status: int, account: str | None, at: str
    ) -> None:
        self._seq += 1
        self._entries.append(
            {
                "seq": self._seq,
                "method": method,
                "path": path,
                "query": query,
                "status": status,
                "account": account,
                "at": at,
            }
        )

    def query(self, method: str | None = None, path: str | None = None) -> list[dict[str, Any]]:
        return [
            dict(entry)
            for entry in self._entries
            if (method is None or entry["method"] == method.upper())
            and (path is None or fnmatchcase(entry["path"], path))
        ]
