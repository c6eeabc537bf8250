"""What a model reference points at, and its schema (fetched through the client)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Literal

from replicate_kit import Client
from replicate_kit.cli.errors import UsageError
from replicate_kit.cli.schema import ModelSchema
from replicate_kit.exceptions import NotFoundError

_VERSION_ID = re.compile(r"^[0-9a-f]{64}$")
_REF = re.compile(r"^(?P<owner>[^/\s:]+)/(?P<name>[^/\s:]+)(?::(?P<version>[^\s/:]+))?$")


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


def parse_target(ref: str) -> Target:
    """``owner/name``, ``owner/name:version`` or a 64-hex version id."""
    text = ref.strip()
    if _VERSION_ID.match(text):
        return Target("version", version=text)
    match = _REF.match(text)
    if not match:
        raise UsageError(
            f"invalid model reference {ref!r}: expected owner/name, owner/name:version "
            "or a version id"
        )
    if match["version"]:
        return Target("version", match["owner"], match["name"], match["version"])
    return Target("model", match["owner"], match["name"])


def parse_name(value: str, what: str) -> tuple[str, str]:
    match = _REF.match(value.strip())
    if not match or match["version"]:
        raise UsageError(f"invalid {what} name {value!r}: expected owner/name")
    return match["owner"], match["name"]


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
