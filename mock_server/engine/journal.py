"""Request journal: what the mock saw, for assertions in tests."""

from __future__ import annotations

from collections import deque
from fnmatch import fnmatchcase
from typing import Any

from mock_server.engine.clock import isoformat

# seq, method, path, query, status, account, and the time: an ISO string, or the instant (a
# float) that ``isoformat`` turns into one when the journal is read. Every request is recorded
# and few are read back, so the formatting and the dict wait for ``query``.
_Entry = tuple[int, str, str, str, int, str | None, str | float]


class Journal:
    def __init__(self, limit: int = 100_000) -> None:
        self._entries: deque[_Entry] = deque(maxlen=limit)
        self._seq = 0

    def record(
        self, method: str, path: str, query: str, status: int, account: str | None, at: str
    ) -> None:
        self._seq += 1
        self._entries.append((self._seq, method, path, query, status, account, at))

    def note(
        self, method: str, path: str, query: str, status: int, account: str | None, instant: float
    ) -> None:
        """``record`` with the time as an instant on the engine's clock."""
        self._seq += 1
        self._entries.append((self._seq, method, path, query, status, account, instant))

    def query(self, method: str | None = None, path: str | None = None) -> list[dict[str, Any]]:
        wanted = None if method is None else method.upper()
        return [
            {
                "seq": seq,
                "method": verb,
                "path": where,
                "query": query,
                "status": status,
                "account": account,
                "at": at if isinstance(at, str) else isoformat(at),
            }
            for seq, verb, where, query, status, account, at in self._entries
            if (wanted is None or verb == wanted) and (path is None or fnmatchcase(where, path))
        ]
