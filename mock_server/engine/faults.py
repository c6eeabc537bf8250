"""Fault injection rules, drawn from a seeded generator so runs are repeatable."""

from __future__ import annotations

import random
from dataclasses import asdict, dataclass
from fnmatch import fnmatchcase
from typing import Any, Protocol, TypeVar


class Rule(Protocol):
    """What `fires` needs of a fault rule (`Fault` here, `WebhookFault` for webhook attempts)."""

    rate: float
    count: int | None
    fired: int


R = TypeVar("R", bound=Rule)


def fires(rules: list[R], rule: R, rng: random.Random) -> bool:
    """Whether a matching ``rule`` fires now: a draw from ``rng`` against its rate (only when the
    rate is below 1). A firing is counted, and the rule leaves ``rules`` once its count is used up.
    """
    if rule.rate < 1.0 and rng.random() >= rule.rate:
        return False
    rule.fired += 1
    if rule.count is not None and rule.fired >= rule.count:
        rules.remove(rule)
    return True


@dataclass
class Fault:
    id: str
    method: str | None
    path: str
    status: int | None = None
    rate: float = 1.0
    count: int | None = None
    latency: float = 0.0
    retry_after: int | None = None
    drop: bool = False
    drop_stream_after: int | None = None
    fired: int = 0

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


class Faults:
    def __init__(self, seed: int) -> None:
        self._rng = random.Random(f"replicate-mock-faults:{seed}")
        self._rules: list[Fault] = []
        self._next = 0

    def add(
        self,
        method: str | None,
        path: str,
        status: int | None = None,
        rate: float = 1.0,
        count: int | None = None,
        latency: float = 0.0,
        retry_after: int | None = None,
        drop: bool = False,
        drop_stream_after: int | None = None,
    ) -> Fault:
        if status is not None and not 100 <= status <= 599:
            raise ValueError("status must be an HTTP status code")
        if not 0.0 <= rate <= 1.0:
            raise ValueError("rate must be between 0 and 1")
        if count is not None and count < 1:
            raise ValueError("count must be positive")
        if latency < 0:
            raise ValueError("latency must not be negative")
        if drop_stream_after is not None and drop_stream_after < 0:
            raise ValueError("drop_stream_after must not be negative")
        if not path.startswith("/"):
            raise ValueError("path must start with '/'")
        self._next += 1
        fault = Fault(
            id=f"fault-{self._next}",
            method=method.upper() if method else None,
            path=path,
            status=status,
            rate=rate,
            count=count,
            latency=latency,
            retry_after=retry_after,
            drop=drop,
            drop_stream_after=drop_stream_after,
        )
        self._rules.append(fault)
        return fault

    def clear(self) -> None:
        self._rules.clear()

    def all(self) -> list[Fault]:
        return list(self._rules)

    def __bool__(self) -> bool:
        return bool(self._rules)

    def match(self, method: str, path: str) -> Fault | None:
        """The first rule that fires for this request (consumes its count)."""
        for fault in self._rules:
            if fault.method is not None and fault.method != method.upper():
                continue
            if fnmatchcase(path, fault.path) and fires(self._rules, fault, self._rng):
                return fault
        return None
