"""Hardware SKUs the mock accepts for models and deployments (a fixed list, like the real one)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from mock_server.engine.bodies import Body
from mock_server.engine.host import Host


@dataclass(frozen=True)
class Hardware:
    sku: str
    name: str

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "sku": self.sku}


HARDWARE: tuple[Hardware, ...] = (
    Hardware("cpu", "CPU"),
    Hardware("gpu-t4", "Nvidia T4 GPU"),
    Hardware("gpu-l40s", "Nvidia L40S GPU"),
    Hardware("gpu-l40s-2x", "2x Nvidia L40S GPU"),
    Hardware("gpu-a40-small", "Nvidia A40 GPU"),
    Hardware("gpu-a40-large", "Nvidia A40 (Large) GPU"),
    Hardware("gpu-a100-large", "Nvidia A100 (80GB) GPU"),
    Hardware("gpu-h100", "Nvidia H100 GPU"),
)

SKUS: tuple[str, ...] = tuple(h.sku for h in HARDWARE)


def hardware_field(engine: Host, body: Body, key: str = "hardware") -> str | None:
    """A SKU field of a request body; in example mode any string names (placeholder) hardware."""
    if engine.config.examples:
        return body.string(key)
    return body.choice(key, SKUS)


def list_json() -> list[dict[str, Any]]:
    return [h.to_json() for h in HARDWARE]
