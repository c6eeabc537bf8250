"""Thin HTTP adapter (ASGI/Starlette) over the engine."""

from mock_server.http.app import build_app

__all__ = ["build_app"]
