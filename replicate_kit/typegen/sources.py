"""Where a version's schema comes from: the API (or the mock behind REPLICATE_BASE_URL) or a
local JSON file. Each source returns the same :class:`Fetched` record."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from replicate_kit._client import Client

_REF = re.compile(
    r"^(?P<owner>[A-Za-z0-9_.-]+)/(?P<name>[A-Za-z0-9_.-]+)(?::(?P<version>[A-Za-z0-9]+))?$"
)


class SourceError(Exception):
    """A model, version or schema that cannot be had: the message says which and why."""


@dataclass(frozen=True)
class Request:
    """One command-line target: ``owner/name[:version]``, ``FILE.json`` or ``owner/name[:version]=FILE.json``."""

    owner: str | None
    name: str | None
    version: str | None
    file: Path | None

    @property
    def label(self) -> str:
        if self.owner:
            ref = f"{self.owner}/{self.name}" + (f":{self.version}" if self.version else "")
            return ref if self.file is None else f"{ref}={self.file}"
        return str(self.file)


@dataclass(frozen=True)
class Fetched:
    owner: str
    name: str
    version: str
    openapi_schema: Any
    description: str | None


def parse_request(text: str) -> Request:
    ref, sep, file = text.partition("=")
    if not sep and (text.endswith(".json") or Path(text).is_file()):
        return Request(None, None, None, Path(text))
    match = _REF.match(ref)
    if not match:
        raise SourceError(
            f"{text!r} is not owner/name[:version], FILE.json or owner/name[:version]=FILE.json"
        )
    return Request(match["owner"], match["name"], match["version"], Path(file) if sep else None)


def from_file(request: Request) -> Fetched:
    """A model (``GET /models/{o}/{n}``), a version, or a bare Cog OpenAPI document."""
    assert request.file is not None
    try:
        data = json.loads(request.file.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SourceError(f"{request.file}: no such file") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise SourceError(f"{request.file}: not a JSON document ({error})") from None
    if not isinstance(data, dict):
        raise SourceError(f"{request.file}: expected a JSON object")
    owner, name = request.owner or data.get("owner"), request.name or data.get("name")
    description = data.get("description") if isinstance(data.get("description"), str) else None
    version: Any = data
    if "latest_version" in data:
        version = data.get("latest_version") or {}
    if "openapi" in data and "components" in data:  # a bare Cog document
        version = {"id": request.version, "openapi_schema": data}
    if not owner or not name:
        raise SourceError(f"{request.file}: the file names no model: write owner/name=FILE.json")
    version_id = request.version or (version.get("id") if isinstance(version, dict) else None)
    if not version_id:
        raise SourceError(f"{request.file}: no version id: write {owner}/{name}:VERSION=FILE.json")
    if (
        request.version
        and isinstance(version, dict)
        and version.get("id") not in (None, request.version)
    ):
        raise SourceError(
            f"{request.file}: holds version {version.get('id')}, not {request.version}"
        )
    schema = version.get("openapi_schema") if isinstance(version, dict) else None
    return Fetched(str(owner), str(name), str(version_id), schema, description)


def from_api(client: Client, request: Request) -> Fetched:
    """The model's latest version, or the named one, from the API."""
    from replicate_kit.exceptions import NotFoundError

    model_ref = f"{request.owner}/{request.name}"
    try:
        model = client.models.get(model_ref)
    except NotFoundError:
        raise SourceError(f"unknown model {model_ref} (HTTP 404)") from None
    if request.version:
        try:
            version = model.versions.get(request.version)
        except NotFoundError:
            raise SourceError(f"{model_ref} has no version {request.version} (HTTP 404)") from None
    else:
        if model.latest_version is None:
            raise SourceError(f"{model_ref} has no versions: nothing to type")
        version = model.latest_version
    return Fetched(model.owner, model.name, version.id, version.openapi_schema, model.description)
