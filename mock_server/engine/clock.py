"""Time source for the engine.

Three modes share one timeline so switching modes never makes time jump backwards:
``virtual`` moves only when advanced, ``auto`` is virtual but waiting requests may jump it
forward (the HTTP layer decides when), ``real`` follows the wall clock scaled by ``speed``.
"""

from __future__ import annotations

import functools
import time
from datetime import UTC, datetime
from typing import Literal

ClockMode = Literal["virtual", "auto", "real"]
CLOCK_MODES: tuple[ClockMode, ...] = ("virtual", "auto", "real")

# A fixed origin makes virtual timestamps identical from run to run.
VIRTUAL_EPOCH = 1735689600.0  # 2025-01-01T00:00:00Z


def parse_mode(value: object) -> ClockMode:
    for mode in CLOCK_MODES:
        if value == mode:
            return mode
    raise ValueError(f"clock mode must be one of {', '.join(CLOCK_MODES)}, got {value!r}")


class Clock:
    def __init__(self, mode: ClockMode = "auto", speed: float = 1.0, start: float | None = None):
        if speed <= 0:
            raise ValueError("speed must be positive")
        self._mode: ClockMode = mode
        self.speed = speed
        if start is None:
            start = time.time() if mode == "real" else VIRTUAL_EPOCH
        self._origin = start
        self._anchor = time.monotonic()

    @property
    def mode(self) -> ClockMode:
        return self._mode

    @property
    def is_virtual(self) -> bool:
        return self._mode != "real"

    def now(self) -> float:
        if self._mode == "real":
            return self._origin + (time.monotonic() - self._anchor) * self.speed
        return self._origin

    def advance(self, seconds: float) -> float:
        if seconds < 0:
            raise ValueError("cannot move the clock backwards")
        self._origin += seconds
        return self.now()

    def advance_to(self, instant: float) -> float:
        now = self.now()
        if instant > now:
            self.advance(instant - now)
        return self.now()

    def set_mode(self, mode: ClockMode) -> None:
        current = self.now()
        self._mode = mode
        self._origin = current
        self._anchor = time.monotonic()

    def real_seconds(self, virtual_seconds: float) -> float:
        """Wall time a real-mode wait of ``virtual_seconds`` takes."""
        return max(0.0, virtual_seconds / self.speed)


def isoformat(instant: float) -> str:
    """RFC 3339 with microseconds and a Z suffix, as the real API returns."""
    micros = round(instant * 1_000_000)
    seconds, rest = divmod(micros, 1_000_000)
    return f"{_second(seconds)}.{rest:06d}Z"


@functools.lru_cache(maxsize=4096)
def _second(seconds: int) -> str:
    # Every rendered resource and journal entry formats instants: datetime + strftime was a
    # tenth of a request's time, and instants cluster within few distinct seconds.
    return datetime.fromtimestamp(seconds, tz=UTC).strftime("%Y-%m-%dT%H:%M:%S")


def parse_iso(value: str) -> float:
    """Parse an RFC 3339 timestamp (``Z`` or offset) into epoch seconds."""
    text = value.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    parsed = datetime.fromisoformat(text)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.timestamp()
