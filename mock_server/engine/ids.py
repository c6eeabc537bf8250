"""Seeded identifiers: the same seed yields the same sequence of ids."""

from __future__ import annotations

import hashlib
import random
import re
import sys
from array import array

BASE32 = "abcdefghijklmnopqrstuvwxyz234567"

# A draw of ``getrandbits(6)`` is the top 6 bits of one 32-bit output of the generator; an id
# character is such a draw retried while it is >= 32, so only the top byte of each output
# matters: below 0x80 it gives the character BASE32[byte >> 2], otherwise the draw is retried.
_CHAR_OF_TOP = bytes(ord(BASE32[top >> 2]) if top < 0x80 else 0 for top in range(256))
_RETRIED = bytes(range(0x80, 0x100))
_WORDS_PER_REFILL = 2048
_WORD = "I" if array("I").itemsize == 4 else "L"  # an unsigned 32-bit array item
_RUNS: dict[int, re.Pattern[bytes]] = {}


def _run_of(length: int) -> re.Pattern[bytes]:
    """Matches the top bytes of the outputs that make one id of ``length`` characters."""
    pattern = _RUNS.get(length)
    if pattern is None:
        pattern = _RUNS[length] = re.compile(b"(?:[\\x80-\\xff]*+[\\x00-\\x7f]){%d}" % length)
    return pattern


class IdGenerator:
    def __init__(self, seed: int, stream: int = 0) -> None:
        # A restarted mock (``serve --state``) draws from the next stream: the ids it handed out
        # after its last save are unknown, so continuing the old sequence could repeat them.
        self.stream = stream
        key = f"replicate-mock-ids:{seed}" if stream == 0 else f"replicate-mock-ids:{seed}:{stream}"
        self._rng = random.Random(key)
        # Outputs of the generator drawn ahead, in order, and the top byte of each; ``_next`` is
        # the index of the first one not used yet. Every use of ``_rng`` goes through them, so
        # the values are those drawing one output at a time gives.
        self._words = array(_WORD)
        self._tops = b""
        self._next = 0

    def _refill(self) -> None:
        # getrandbits(32 * n) is n outputs, the first in the least significant 32 bits.
        raw = self._rng.getrandbits(32 * _WORDS_PER_REFILL).to_bytes(
            4 * _WORDS_PER_REFILL, "little"
        )
        words = array(_WORD, raw)
        if sys.byteorder == "big":
            words.byteswap()
        self._words = self._words[self._next :] + words
        self._tops = self._tops[self._next :] + raw[3::4]
        self._next = 0

    def object_id(self) -> str:
        """26-char lowercase base32, the shape of prediction/training/file ids."""
        return self.opaque(26)

    def opaque(self, length: int = 32) -> str:
        # The characters ``rng.choice(BASE32)`` would give (what ids have always been made of),
        # read from the drawn outputs by one regex match instead of a Python loop per draw.
        if length <= 0:
            return ""
        run = _run_of(length)
        found = run.match(self._tops, self._next)
        while found is None:
            self._refill()
            found = run.match(self._tops, self._next)
        self._next = found.end()
        return found.group().translate(_CHAR_OF_TOP, _RETRIED).decode("ascii")

    def integer(self, upper: int) -> int:
        """``rng.randrange(upper)``: ``getrandbits(upper.bit_length())`` until below ``upper``."""
        if upper <= 0:
            raise ValueError("empty range for integer()")
        bits = upper.bit_length()
        count = (bits + 31) // 32
        while True:
            if self._next + count > len(self._tops):
                self._refill()
            start = self._next
            self._next += count
            if count == 1:
                value = self._words[start] >> (32 - bits)
            else:
                # getrandbits(k) for k > 32: outputs in order, the first the least significant,
                # the last shifted down to the bits left over.
                value = 0
                for i in range(count):
                    word = self._words[start + i]
                    if i == count - 1 and bits % 32:
                        word >>= 32 - bits % 32
                    value |= word << (32 * i)
            if value < upper:
                return value


def stable_hex(*parts: str) -> str:
    """64-hex digest of the parts: used for version ids that must not depend on the seed."""
    digest = hashlib.sha256("\x00".join(parts).encode())
    return digest.hexdigest()


def stable_int(*parts: str) -> int:
    return int(stable_hex(*parts)[:12], 16)
