"""``GET /search``: models (same matching as ``QUERY /models``), collections and doc pages."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from mock_server.engine import collections
from mock_server.engine.catalogue import Catalogue, Model

DEFAULT_LIMIT = 20
MAX_LIMIT = 50


@dataclass(frozen=True)
class DocPage:
    name: str
    href: str


# Site pages the search can point at (paths on replicate.com).
PAGES: tuple[DocPage, ...] = (
    DocPage("Run a model from Python", "/docs/get-started/python"),
    DocPage("Create a prediction", "/docs/topics/predictions/create-a-prediction"),
    DocPage("Stream model output", "/docs/topics/predictions/streaming"),
    DocPage("Receive webhooks", "/docs/topics/webhooks"),
    DocPage("Verify webhook signatures", "/docs/topics/webhooks/verify-webhook"),
    DocPage("Deployments", "/docs/topics/deployments"),
    DocPage("Fine-tune a model with trainings", "/docs/guides/fine-tune-a-language-model"),
    DocPage("Rate limits", "/docs/topics/predictions/rate-limits"),
    DocPage("Upload files", "/docs/topics/predictions/input-files"),
    DocPage("Hardware", "/docs/topics/billing"),
)


def model_order(model: Model) -> tuple[float, int]:
    """Default model order, shared with ``QUERY /models``: newest latest version first."""
    latest = model.latest_version
    return (-(latest.created_at if latest else 0.0), -model.seq)


def _score(model: Model, needle: str) -> float:
    if needle == model.name.lower() or needle == model.full_name.lower():
        return 1.0
    if needle in model.full_name.lower():
        return 0.8
    return 0.5  # matched the description only


def search(catalogue: Catalogue, viewer: str | None, query: str, limit: int) -> dict[str, Any]:
    needle = query.strip().lower()
    matched = [m for m in catalogue.visible(viewer) if m.matches(needle)]
    ranked = sorted(matched, key=lambda m: (-_score(m, needle), model_order(m)))[:limit]
    return {
        "query": query,
        "models": [
            {
                "model": m.to_json(),
                "metadata": {
                    "generated_description": m.description,
                    "score": _score(m, needle),
                    "tags": collections.containing(m) + (["official"] if m.is_official else []),
                },
            }
            for m in ranked
        ],
        "collections": [
            {
                **c.summary_json(),
                "models": [m.full_name for m in c.members(catalogue, viewer)],
            }
            for c in collections.COLLECTIONS
            if c.matches(needle)
        ],
        "pages": [{"name": p.name, "href": p.href} for p in PAGES if needle in p.name.lower()],
    }
