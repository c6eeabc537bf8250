"""A stateful, deterministic mock of the Replicate HTTP API.

from mock_server import MockServer
with MockServer(seed=1) as server:   # uvicorn on 127.0.0.1, free port, clock "auto"
    ...  # point a client at server.api_url with any token
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

# The package is imported by its pytest plugin (auto-loaded in every pytest run of an environment
# that has the wheel) and by the replicate-mock console script, also in core-only installs: the
# server stack (starlette, uvicorn, jsonschema) loads when a name below is first used, not here.
_HOME = {"Control": "mock_server.control", "MockServer": "mock_server.server"}

if TYPE_CHECKING:
    from mock_server.control import Control
    from mock_server.server import MockServer

__all__ = ["Control", "MockServer"]


def __getattr__(name: str) -> Any:
    home = _HOME.get(name)
    if home is None:
        raise AttributeError(f"module 'mock_server' has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value  # later lookups skip this function
    return value
