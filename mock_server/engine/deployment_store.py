"""Deployment state: a stable name in front of a model version, with numbered releases.

The rules that change it (validation, idle checks) live in `deployments`; this module holds only
the data, so modules below the rules (example mode, persistence) can build and read it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from mock_server.engine.clock import isoformat


@dataclass
class Release:
    number: int
    model: str
    version: str
    created_at: float
    created_by: dict[str, Any]
    hardware: str
    min_instances: int
    max_instances: int

    def to_json(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "model": self.model,
            "version": self.version,
            "created_at": isoformat(self.created_at),
            "created_by": self.created_by,
            "configuration": {
                "hardware": self.hardware,
                "min_instances": self.min_instances,
                "max_instances": self.max_instances,
            },
        }


@dataclass
class Deployment:
    owner: str
    name: str
    seq: int
    releases: list[Release] = field(default_factory=list)

    @property
    def full_name(self) -> str:
        return f"{self.owner}/{self.name}"

    @property
    def current(self) -> Release:
        return self.releases[-1]

    @property
    def created_at(self) -> float:
        return self.releases[0].created_at

    def to_json(self) -> dict[str, Any]:
        return {"owner": self.owner, "name": self.name, "current_release": self.current.to_json()}


class Deployments:
    def __init__(self) -> None:
        self._items: dict[tuple[str, str], Deployment] = {}
        self.seq = 0

    def get(self, owner: str, name: str) -> Deployment | None:
        return self._items.get((owner, name))

    def create(self, owner: str, name: str, release: Release) -> Deployment:
        self.seq += 1
        deployment = Deployment(owner, name, self.seq, [release])
        self._items[(owner, name)] = deployment
        return deployment

    def restore(self, deployment: Deployment) -> None:
        self._items[(deployment.owner, deployment.name)] = deployment

    def delete(self, owner: str, name: str) -> None:
        self._items.pop((owner, name), None)

    def owned_by(self, owner: str) -> list[Deployment]:
        """Newest first."""
        mine = [d for d in self._items.values() if d.owner == owner]
        return sorted(mine, key=lambda d: -d.seq)

    def all(self) -> list[Deployment]:
        return list(self._items.values())
