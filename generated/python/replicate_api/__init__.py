"""A client library for accessing Replicate HTTP API (replicate-kit contract)"""

from .client import AuthenticatedClient, Client

__all__ = (
    "AuthenticatedClient",
    "Client",
)
