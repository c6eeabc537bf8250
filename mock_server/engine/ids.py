"""Seeded identifiers: the same seed yields the same sequence of ids."""

from __future__ import annotations

import hashlib
import random

BASE32 = "abcdefghijklmnopqrstuvwxyz234567"


class IdGenerator:
    def __init__(self, seed: int, stream: int = 0) -> None:
        # A restarted mock (``serve --state``) draws from the next stream: the ids it handed out
        # after its last save are unknown, so continuing the old sequence could repeat them.
        self.stream = stream
        key = f"replicate-mock-ids:{seed}" if stream == 0 else f"replicate-mock-ids:{seed}:{stream}"
        self._rng = random.Random(key)

    def object_id(self) -> str:
        """26-char lowercase base32, the shape of prediction/training/file ids."""
        return self.opaque(26)

    def opaque(self, length: int = 32) -> str:
        # The same draws as ``rng.choice(BASE32)`` per character (6 random bits, retried when
        # >= 32), so ids are unchanged for a seed, at a third of the cost of calling choice.
        bits = self._rng.getrandbits
        chars: list[str] = []
        while len(chars) < length:
            r = bits(6)
            if r < 32:
                chars.append(BASE32[r])
        return "".join(chars)

    def integer(self, upper: int) -> int:
        return self._rng.randrange(upper)


def stable_hex(*parts: str) -> str:
    """64-hex digest of the parts: used for version ids that must not depend on the seed."""
    digest = hashlib.sha256("\x00".join(parts).encode())
    return digest.hexdigest()


def stable_int(*parts: str) -> int:
    return int(stable_hex(*parts)[:12], 16)
