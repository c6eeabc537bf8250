"""What the generator knows about one model version, independent of the output language.

A Cog schema is read once into these values (``cog.read_version``); the Python and TypeScript
writers only walk them, so a schema shape is understood in one place.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

JsonScalar = str | int | float | bool | None


@dataclass(frozen=True)
class Scalar:
    """``kind`` is one of str, int, float, bool."""

    kind: str


@dataclass(frozen=True)
class FileRef:
    """A ``format: uri`` string: a file the client uploads (input) or a ``FileOutput`` (output)."""


@dataclass(frozen=True)
class Enum:
    """A closed set of values (Cog ``choices``), named after its component when it has one."""

    values: tuple[JsonScalar, ...]
    name: str | None = None


@dataclass(frozen=True)
class ListOf:
    item: TypeNode


@dataclass(frozen=True)
class IteratorOf:
    """``x-cog-array-type: iterator``: items arrive while the model runs."""

    item: TypeNode
    concatenate: bool = False


@dataclass(frozen=True)
class MapOf:
    """An object with no declared properties: any JSON object."""


@dataclass(frozen=True)
class Nullable:
    inner: TypeNode


@dataclass(frozen=True)
class Union:
    options: tuple[TypeNode, ...]


@dataclass(frozen=True)
class Untyped:
    """Anything. ``reason`` says why, so the output can tell the reader."""

    reason: str


@dataclass(frozen=True)
class ObjectOf:
    """A structured output (a Cog ``BaseModel``): a named record of fields."""

    name: str
    fields: tuple[FieldInfo, ...]


TypeNode = (
    Scalar | FileRef | Enum | ListOf | IteratorOf | MapOf | Nullable | Union | Untyped | ObjectOf
)


@dataclass(frozen=True)
class FieldInfo:
    name: str
    type: TypeNode
    required: bool
    description: str | None = None
    default: Any = None
    has_default: bool = False
    constraints: tuple[tuple[str, Any], ...] = ()
    deprecated: bool = False


@dataclass(frozen=True)
class ModelTypes:
    """Everything the writers need for one ``owner/name`` at one version."""

    owner: str
    name: str
    version: str
    schema_hash: str
    inputs: tuple[FieldInfo, ...]
    output: TypeNode
    description: str | None = None
    enums: tuple[Enum, ...] = field(default=())

    @property
    def full_name(self) -> str:
        return f"{self.owner}/{self.name}"

    @property
    def iterator_output(self) -> IteratorOf | None:
        return self.output if isinstance(self.output, IteratorOf) else None
