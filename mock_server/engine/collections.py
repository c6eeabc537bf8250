"""A small fixed set of curated collections over the built-in models."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from mock_server.engine.catalogue import Catalogue, Model


@dataclass(frozen=True)
class Collection:
    slug: str
    name: str
    description: str
    full_description: str | None
    models: tuple[str, ...]  # owner/name, in display order

    def summary_json(self) -> dict[str, Any]:
        return {"name": self.name, "slug": self.slug, "description": self.description}

    def members(self, catalogue: Catalogue, viewer: str | None) -> list[Model]:
        """The collection's models that exist and the viewer may see (deleted ones drop out)."""
        found = []
        for ref in self.models:
            owner, _, name = ref.partition("/")
            model = catalogue.get(owner, name, viewer)
            if model is not None:
                found.append(model)
        return found

    def to_json(self, catalogue: Catalogue, viewer: str | None) -> dict[str, Any]:
        return {
            **self.summary_json(),
            "full_description": self.full_description,
            "models": [m.to_json() for m in self.members(catalogue, viewer)],
        }

    def matches(self, text: str) -> bool:
        needle = text.strip().lower()
        return any(needle in part.lower() for part in (self.slug, self.name, self.description))


COLLECTIONS: tuple[Collection, ...] = (
    Collection(
        "language-models",
        "Language models",
        "Chat and instruction-following models that stream their tokens.",
        "Mock LLMs: the output is a deterministic token stream derived from the prompt and seed.",
        ("meta/meta-llama-3-8b-instruct", "meta/llama-3-70b-instruct"),
    ),
    Collection(
        "text-to-image",
        "Text to image",
        "Models that turn a prompt into pictures.",
        "Mock image models: every output is a small, valid PNG served by the mock.",
        ("stability-ai/stable-diffusion", "stability-ai/sdxl"),
    ),
    Collection(
        "testing-tools",
        "Testing tools",
        "Models that make client behaviour easy to exercise.",
        None,
        ("replicate/hello-world", "mock/echo", "mock/fail", "mock/slow", "mock/trainer"),
    ),
)


def find(slug: str) -> Collection | None:
    for collection in COLLECTIONS:
        if collection.slug == slug:
            return collection
    return None


def containing(model: Model) -> list[str]:
    """Slugs of the collections that list the model."""
    return [c.slug for c in COLLECTIONS if model.full_name in c.models]
