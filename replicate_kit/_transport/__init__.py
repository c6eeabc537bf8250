"""Transports: how calls reach the API. ``base`` defines the protocol, ``http`` implements it."""
