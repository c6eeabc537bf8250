"""Model references: ``owner/name``, ``owner/name:version`` and bare version ids. Pure."""

from __future__ import annotations

import re
from dataclasses import dataclass

_VERSION_ID = re.compile(r"^[0-9a-f]{64}$")
_REF = re.compile(r"^(?P<owner>[^/\s:]+)/(?P<name>[^/\s:]+)(?::(?P<version>[^\s/:]+))?$")


@dataclass(frozen=True)
class ModelRef:
    """A parsed reference. ``owner``/``name`` are None for a bare version id."""

    owner: str | None
    name: str | None
    version: str | None

    @property
    def model(self) -> str | None:
        """``owner/name`` or None."""
        return f"{self.owner}/{self.name}" if self.owner and self.name else None

    @property
    def uses_model_route(self) -> bool:
        """True when the prediction goes to ``POST /models/{owner}/{name}/predictions``."""
        return self.version is None

    def __str__(self) -> str:
        if self.model is None:
            return self.version or ""
        return self.model + (f":{self.version}" if self.version else "")


def is_version_id(value: str) -> bool:
    """True for a 64-character lowercase hex version id."""
    return bool(_VERSION_ID.match(value))


def parse_ref(ref: str) -> ModelRef:
    """Parse a model reference.

    >>> parse_ref("replicate/hello-world")
    ModelRef(owner='replicate', name='hello-world', version=None)
    >>> parse_ref("a/b:" + "0" * 64).version == "0" * 64
    True
    """
    if not isinstance(ref, str):
        raise TypeError(f"model reference must be a str, not {type(ref).__name__}")
    text = ref.strip()
    if is_version_id(text):
        return ModelRef(None, None, text)
    match = _REF.match(text)
    if not match:
        raise ValueError(
            f"Invalid model reference {ref!r}: expected 'owner/name', 'owner/name:version' "
            "or a 64-character version id"
        )
    return ModelRef(match["owner"], match["name"], match["version"])


def split_name(value: str, what: str = "model") -> tuple[str, str]:
    """Split ``owner/name`` (no version allowed)."""
    ref = parse_ref(value)
    if ref.owner is None or ref.name is None or ref.version is not None:
        raise ValueError(f"Invalid {what} name {value!r}: expected 'owner/name'")
    return ref.owner, ref.name
