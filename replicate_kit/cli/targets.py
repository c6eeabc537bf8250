"""What a model reference points at, and its schema (fetched through the client)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from replicate_kit import Client
from replicate_kit._refs import ModelRef, parse_ref
from replicate_kit.cli.errors import UsageError
from replicate_kit.cli.schema import ModelSchema
from replicate_kit.exceptions import NotFoundError


@dataclass(frozen=True)
class Target:
    kind: Literal["model", "version", "deployment"]
    owner: str | None = None
    name: str | None = None
    version: str | None = None

    @property
    def model(self) -> str:
        return f"{self.owner}/{self.name}"

    def create_args(self) -> dict[str, Any]:
        """Keyword arguments for ``client.predictions.create``."""
        if self.kind == "deployment":
            return {"deployment": self.model}
        if self.kind == "model":
            return {"model": self.model}
        if self.owner is not None:
            return {"version": f"{self.model}:{self.version}"}
        return {"version": self.version}


def _parsed(ref: str) -> ModelRef | None:
    try:
        return parse_ref(ref)
    except ValueError:
        return None


def parse_target(ref: str) -> Target:
    """``owner/name``, ``owner/name:version`` or a 64-hex version id."""
    parsed = _parsed(ref)
    if parsed is None:
        raise UsageError(
            f"invalid model reference {ref!r}: expected owner/name, owner/name:version "
            "or a version id"
        )
    if parsed.version:
        return Target("version", parsed.owner, parsed.name, parsed.version)
    return Target("model", parsed.owner, parsed.name)


def parse_name(value: str, what: str) -> tuple[str, str]:
    parsed = _parsed(value)
    if parsed is None or parsed.version or parsed.owner is None or parsed.name is None:
        raise UsageError(f"invalid {what} name {value!r}: expected owner/name")
    return parsed.owner, parsed.name


def deployment_target(name: str) -> Target:
    owner, dep = parse_name(name, "deployment")
    return Target("deployment", owner, dep)


def fetch_schema(client: Client, target: Target) -> ModelSchema | None:
    """The input/output schema behind ``target``, or None when it cannot be known.

    An unknown model or version raises NotFoundError: better to stop before creating
    anything. A deployment's schema is a nicety: lookup failures are ignored.
    """
    if target.kind == "model":
        model = client.models.get(target.model)
        latest = model.latest_version
        return ModelSchema.from_openapi(latest.openapi_schema) if latest else None
    if target.kind == "version":
        if target.owner is None or target.version is None:
            return None
        version = client.models.versions(target.model).get(target.version)
        return ModelSchema.from_openapi(version.openapi_schema)
    try:
        deployment = client.deployments.get(target.model)
        release = deployment.current_release
        if release is None or not release.model or not release.version:
            return None
        version = client.models.versions(release.model).get(release.version)
        return ModelSchema.from_openapi(version.openapi_schema)
    except NotFoundError:
        return None
