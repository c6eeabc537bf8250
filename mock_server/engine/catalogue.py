"""Models and versions, public and private."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from mock_server.engine.clock import isoformat
from mock_server.engine.runners import Runner
from mock_server.engine.schema import is_iterator
from mock_server.engine.validation import InputValidator


@dataclass
class Version:
    id: str
    model: str  # owner/name
    created_at: float
    openapi_schema: dict[str, Any]
    runner: Runner
    cog_version: str | None = "0.9.4"
    training_runner: Runner | None = None
    training_schema: dict[str, Any] | None = None
    # How to rebuild the runner after a restart (`state_file`), JSON: ``{"script": spec}``,
    # ``{"trained_from": version_id}`` or ``{"example": true}``; None for built-ins and
    # recordings, which the engine installs again on start.
    origin: dict[str, Any] | None = None
    validator: InputValidator = field(init=False)
    training_validator: InputValidator | None = field(init=False, default=None)

    def __post_init__(self) -> None:
        self.validator = InputValidator(self.openapi_schema)
        if self.training_schema is not None:
            self.training_validator = InputValidator(self.training_schema, "TrainingInput")

    @property
    def output_schema(self) -> dict[str, Any]:
        schemas = self.openapi_schema.get("components", {}).get("schemas", {})
        output = schemas.get("Output", {})
        return output if isinstance(output, dict) else {}

    @property
    def streams_tokens(self) -> bool:
        return is_iterator(self.output_schema)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "created_at": isoformat(self.created_at),
            "cog_version": self.cog_version,
            "openapi_schema": self.openapi_schema,
        }


@dataclass
class Model:
    owner: str
    name: str
    created_at: float
    seq: int
    description: str | None = None
    visibility: str = "public"
    is_official: bool = False
    hardware: str = "cpu"
    github_url: str | None = None
    paper_url: str | None = None
    license_url: str | None = None
    cover_image_url: str | None = None
    weights_url: str | None = None
    readme: str | None = None
    run_count: int = 0
    versions: list[Version] = field(default_factory=list)  # oldest first

    @property
    def full_name(self) -> str:
        return f"{self.owner}/{self.name}"

    @property
    def latest_version(self) -> Version | None:
        return self.versions[-1] if self.versions else None

    def matches(self, text: str) -> bool:
        """Search rule shared by ``QUERY /models`` and ``GET /search``: a case-insensitive
        substring of the full name or the description."""
        needle = text.strip().lower()
        return needle in self.full_name.lower() or needle in (self.description or "").lower()

    def to_json(self) -> dict[str, Any]:
        latest = self.latest_version
        return {
            "url": f"https://replicate.com/{self.owner}/{self.name}",
            "owner": self.owner,
            "name": self.name,
            "description": self.description,
            "visibility": self.visibility,
            "github_url": self.github_url,
            "paper_url": self.paper_url,
            "license_url": self.license_url,
            "cover_image_url": self.cover_image_url,
            "run_count": self.run_count,
            "default_example": None,
            "latest_version": latest.to_json() if latest else None,
            "is_official": self.is_official,
            "created_at": isoformat(self.created_at),
        }


class Catalogue:
    def __init__(self) -> None:
        self._models: dict[tuple[str, str], Model] = {}
        self._versions: dict[str, Version] = {}
        self._seq = 0

    def add_model(self, model: Model) -> Model:
        self._models[(model.owner, model.name)] = model
        for version in model.versions:
            self._versions[version.id] = version
        return model

    def next_seq(self) -> int:
        self._seq += 1
        return self._seq

    def add_version(self, model: Model, version: Version) -> Version:
        model.versions = [v for v in model.versions if v.id != version.id] + [version]
        self._versions[version.id] = version
        return version

    def remove_model(self, model: Model) -> None:
        self._models.pop((model.owner, model.name), None)
        for version in model.versions:
            self._versions.pop(version.id, None)

    def remove_version(self, model: Model, version: Version) -> None:
        model.versions = [v for v in model.versions if v.id != version.id]
        self._versions.pop(version.id, None)

    def get(self, owner: str, name: str, viewer: str | None = None) -> Model | None:
        model = self._models.get((owner, name))
        if model is None or not self.can_see(model, viewer):
            return None
        return model

    def version(self, version_id: str, viewer: str | None = None) -> Version | None:
        version = self._versions.get(version_id)
        if version is None:
            return None
        owner, _, name = version.model.partition("/")
        return version if self.get(owner, name, viewer) is not None else None

    @staticmethod
    def can_see(model: Model, viewer: str | None) -> bool:
        return model.visibility == "public" or model.owner == viewer

    def visible(self, viewer: str | None) -> list[Model]:
        return [m for m in self._models.values() if self.can_see(m, viewer)]

    def exists(self, owner: str, name: str) -> bool:
        """Whether the name is taken, whoever can see it."""
        return (owner, name) in self._models

    def models(self) -> list[Model]:
        return list(self._models.values())

    @property
    def seq(self) -> int:
        return self._seq

    def replace(self, models: list[Model], seq: int) -> None:
        """Hold exactly these models (a restored state), in this order."""
        self._models = {(m.owner, m.name): m for m in models}
        self._versions = {v.id: v for m in models for v in m.versions}
        self._seq = seq

    def owned_by(self, owner: str) -> list[Model]:
        return [m for m in self._models.values() if m.owner == owner]
