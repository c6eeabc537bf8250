"""Pure state and rules of the mock: no I/O, time comes from a `Clock`."""

from mock_server.engine.core import Engine, EngineConfig

__all__ = ["Engine", "EngineConfig"]
