"""requirements.lock (the development pins) and pyproject.toml's declared requirements, read once."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]
LOCK = ROOT / "requirements.lock"
PYPROJECT = ROOT / "pyproject.toml"
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)(\s*;[^\\]*)?")


def lock_lines() -> list[str]:
    """The lock's requirements (``name==version`` with any marker), hashes left out."""
    lines = []
    for line in LOCK.read_text().splitlines():
        match = PIN.match(line)
        if match:
            lines.append(match.group(0).strip())
    return lines


def lock_pins() -> dict[str, str]:
    pins = {}
    for line in lock_lines():
        match = PIN.match(line)
        assert match
        pins[canonicalize_name(match.group(1))] = match.group(2)
    return pins


def project() -> dict[str, object]:
    data = tomllib.loads(PYPROJECT.read_text())["project"]
    assert isinstance(data, dict)
    return data


def declared() -> dict[str, list[Requirement]]:
    """Requirements by role: ``""`` for the core, then each extra."""
    data = project()
    core = data["dependencies"]
    extras = data["optional-dependencies"]
    assert isinstance(core, list) and isinstance(extras, dict)
    roles = {"": core, **extras}
    return {role: [Requirement(text) for text in texts] for role, texts in roles.items()}
