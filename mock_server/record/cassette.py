"""The cassette: a folder of plain YAML files, one per recording, diffable in review.

Layout (format ``replicate-mock-cassette``, version 1)::

    cassette.yaml                       format, version, where it was recorded from
    models/<owner>/<name>.yaml          the model's metadata and each recorded version (schema)
    entries/<NNNN>-<kind>-<owner>-<name>.yaml   one prediction or training (see `Entry` keys)
    exchanges/<NNNN>-<method>-<what>.yaml       other metadata responses (account, files, ...)
    files/<sha256>                      bytes of output files, named by their digest

An entry holds ``kind``, ``model``, ``version``, ``request`` (the create body), ``input``,
``status``, ``error``, ``timing`` (``setup``/``run``/``total`` seconds from the upstream's own
timestamps), ``states`` (each observed status with its offset from creation), ``logs``,
``events`` (the SSE stream: ``at``, ``event``, ``data``), ``output``, ``files`` (output URL ->
``sha256``, ``name``, ``content_type``, ``size``; or ``skipped`` with the reason) and
``metrics``; ``log_times``/``output_times`` give each log line's and output chunk's offset.
Offsets are seconds since creation on the upstream's clock. Nothing secret is in any file
(see `redact`).
"""

from __future__ import annotations

import hashlib
import re
import threading
from pathlib import Path
from typing import Any

import yaml

FORMAT = "replicate-mock-cassette"
VERSION = 1
_SAFE = re.compile(r"[^A-Za-z0-9._-]+")


class CassetteError(ValueError):
    """A folder that is not a cassette this version can read."""


class _Dumper(yaml.SafeDumper):
    pass


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    # Logs and multi-line outputs as literal blocks: a changed line is a one-line diff.
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _text)


def dump(data: Any) -> str:
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)


def _slug(text: str) -> str:
    return _SAFE.sub("_", text).strip("_")[:60] or "x"


class Cassette:
    def __init__(self, root: Path) -> None:
        self.root = root
        self._lock = threading.Lock()

    # ----------------------------------------------------------------- opening
    @classmethod
    def create(cls, root: Path, upstream: str) -> Cassette:
        """Open ``root`` for recording: a new cassette, or an existing one to append to."""
        cassette = cls(root)
        if (root / "cassette.yaml").exists():
            cassette.check()
            return cassette
        root.mkdir(parents=True, exist_ok=True)
        header = {"format": FORMAT, "version": VERSION, "recorded_from": upstream}
        (root / "cassette.yaml").write_text(dump(header))
        return cassette

    @classmethod
    def open(cls, root: Path) -> Cassette:
        cassette = cls(root)
        cassette.check()
        return cassette

    def check(self) -> None:
        header_file = self.root / "cassette.yaml"
        try:
            header = yaml.safe_load(header_file.read_text())
        except OSError as exc:
            raise CassetteError(
                f"{self.root} is not a cassette: cannot read {header_file}: {exc.strerror}"
            ) from None
        except yaml.YAMLError as exc:
            raise CassetteError(f"{header_file} is not valid YAML: {exc}") from None
        if not isinstance(header, dict) or header.get("format") != FORMAT:
            raise CassetteError(f"{header_file} does not say format: {FORMAT}")
        if header.get("version") != VERSION:
            raise CassetteError(
                f"{header_file} is version {header.get('version')!r}; this mock reads version {VERSION}"
            )

    # ----------------------------------------------------------------- reading
    def models(self) -> dict[str, dict[str, Any]]:
        found: dict[str, dict[str, Any]] = {}
        for path in sorted((self.root / "models").glob("*/*.yaml")):
            data = self._load(path)
            found[f"{data.get('owner')}/{data.get('name')}"] = data
        return found

    def entries(self) -> list[tuple[str, dict[str, Any]]]:
        return [
            (path.name, self._load(path)) for path in sorted((self.root / "entries").glob("*.yaml"))
        ]

    def file_bytes(self, digest: str) -> bytes:
        if not re.fullmatch(r"[0-9a-f]{64}", digest):
            raise CassetteError(f"not a sha256 digest: {digest!r}")
        try:
            return (self.root / "files" / digest).read_bytes()
        except OSError as exc:
            raise CassetteError(f"the cassette lacks the file {digest}: {exc.strerror}") from None

    def _load(self, path: Path) -> dict[str, Any]:
        try:
            data = yaml.safe_load(path.read_text())
        except (OSError, yaml.YAMLError) as exc:
            raise CassetteError(f"cannot read {path}: {exc}") from None
        if not isinstance(data, dict):
            raise CassetteError(f"{path} must hold a mapping")
        return data

    # ----------------------------------------------------------------- writing
    def put_file(self, data: bytes) -> str:
        digest = hashlib.sha256(data).hexdigest()
        folder = self.root / "files"
        folder.mkdir(exist_ok=True)
        target = folder / digest
        if not target.exists():
            target.write_bytes(data)
        return digest

    def save_model(
        self, model: dict[str, Any] | None, owner: str, name: str, version: dict[str, Any] | None
    ) -> None:
        """Merge a model's metadata and/or one version into ``models/<owner>/<name>.yaml``."""
        with self._lock:
            path = self.root / "models" / _slug(owner) / f"{_slug(name)}.yaml"
            current: dict[str, Any] = (
                self._load(path) if path.exists() else {"owner": owner, "name": name}
            )
            if model is not None:
                metadata = {k: v for k, v in model.items() if k != "latest_version"}
                current.update(metadata)
                latest = model.get("latest_version")
                if isinstance(latest, dict) and latest.get("id"):
                    version = version or latest
                    current["latest_version_id"] = latest["id"]
            if version is not None and version.get("id"):
                versions: dict[str, Any] = current.setdefault("versions", {})
                versions[str(version["id"])] = version
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(dump(current))

    def has_version(self, owner: str, name: str, version_id: str) -> bool:
        path = self.root / "models" / _slug(owner) / f"{_slug(name)}.yaml"
        if not path.exists():
            return False
        return version_id in (self._load(path).get("versions") or {})

    def append_entry(self, data: dict[str, Any]) -> str:
        model = str(data.get("model", "unknown/unknown"))
        owner, _, name = model.partition("/")
        return self._append(
            "entries", f"{data.get('kind', 'prediction')}-{_slug(owner)}-{_slug(name)}", data
        )

    def append_exchange(self, method: str, path: str, data: dict[str, Any]) -> str:
        return self._append("exchanges", f"{method.lower()}-{_slug(path.strip('/'))}", data)

    def _append(self, folder_name: str, stem: str, data: dict[str, Any]) -> str:
        with self._lock:
            folder = self.root / folder_name
            folder.mkdir(parents=True, exist_ok=True)
            numbers = [int(p.name[:4]) for p in folder.glob("*.yaml") if p.name[:4].isdigit()]
            name = f"{max(numbers, default=0) + 1:04d}-{stem}.yaml"
            (folder / name).write_text(dump(data))
            return name
