"""The extras the mock needs, and how a missing one is told apart from a broken install.

Every ``replicate-kit`` install ships ``mock_server``, core-only ones too; its entry points (the
pytest plugin, ``replicate-mock``) turn a missing library into one line naming what to install.
"""

from __future__ import annotations

from typing import Literal

Extra = Literal["mock", "grpc"]
# The gRPC twin is part of a mock: its extra is installed next to ``mock``.
INSTALL: dict[Extra, str] = {
    "mock": 'pip install "replicate-kit[mock]"',
    "grpc": 'pip install "replicate-kit[mock,grpc]"',
}


def missing_library(error: ModuleNotFoundError) -> str:
    """The missing third-party module; re-raises ``error`` if one of our own is missing."""
    name = error.name or ""
    if name.partition(".")[0] == "mock_server":
        raise error  # not an extra: the install itself is broken
    return name


def needs(extra: Extra, what: str, error: ModuleNotFoundError) -> str:
    """One line: ``what`` needs ``extra``, the library found missing, and the command to run."""
    return (
        f"{what} needs the {extra!r} extra (no module {missing_library(error)!r}): {INSTALL[extra]}"
    )
