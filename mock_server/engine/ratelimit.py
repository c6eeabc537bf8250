"""Token-bucket rate limits per account, refilled by the (possibly virtual) clock."""

from __future__ import annotations

import math
from dataclasses import dataclass

DEFAULT_LIMITS: dict[str, int] = {"create": 600, "other": 3000}  # requests per minute


@dataclass(frozen=True)
class Decision:
    allowed: bool
    limit: int
    remaining: int
    reset: int  # seconds until the bucket is full again
    retry_after: int  # seconds until one request is allowed (0 when allowed)

    def headers(self) -> dict[str, str]:
        return {
            "ratelimit-limit": str(self.limit),
            "ratelimit-remaining": str(self.remaining),
            "ratelimit-reset": str(self.reset),
        }


@dataclass
class Bucket:
    capacity: float
    per_second: float
    tokens: float
    updated: float

    def take(self, now: float) -> tuple[bool, float]:
        elapsed = max(0.0, now - self.updated)
        self.tokens = min(self.capacity, self.tokens + elapsed * self.per_second)
        self.updated = max(self.updated, now)
        if self.tokens >= 1.0:
            self.tokens -= 1.0
            return True, self.tokens
        return False, self.tokens


class RateLimiter:
    def __init__(self, limits: dict[str, int] | None) -> None:
        self.limits = dict(limits or {})
        for kind, limit in self.limits.items():
            if limit < 1:
                raise ValueError(f"rate limit for {kind!r} must be positive")
        self._buckets: dict[tuple[str, str], Bucket] = {}

    def configure(self, kind: str, per_minute: int | None) -> None:
        if per_minute is None:
            self.limits.pop(kind, None)
        elif per_minute < 1:
            raise ValueError("rate limits must be positive (or None to disable)")
        else:
            self.limits[kind] = per_minute
        self._buckets = {k: b for k, b in self._buckets.items() if k[1] != kind}

    def check(self, account: str, kind: str, now: float) -> Decision | None:
        """Take one request from the account's bucket; None when the kind is unlimited."""
        limit = self.limits.get(kind)
        if limit is None:
            return None
        bucket = self._buckets.get((account, kind))
        if bucket is None:
            bucket = Bucket(float(limit), limit / 60.0, float(limit), now)
            self._buckets[(account, kind)] = bucket
        allowed, tokens = bucket.take(now)
        reset = math.ceil((bucket.capacity - tokens) / bucket.per_second - 1e-9)
        retry_after = 0 if allowed else max(1, math.ceil((1.0 - tokens) / bucket.per_second))
        return Decision(allowed, limit, int(tokens), max(reset, 0), retry_after)
