"""Prediction and training statuses. Pure."""

from __future__ import annotations

from typing import Final

STARTING: Final = "starting"
PROCESSING: Final = "processing"
SUCCEEDED: Final = "succeeded"
FAILED: Final = "failed"
CANCELED: Final = "canceled"
ABORTED: Final = "aborted"

#: ``aborted`` (deadline hit before the run started) is terminal too; the official
#: clients forget it and poll forever.
TERMINAL_STATUSES: Final = frozenset({SUCCEEDED, FAILED, CANCELED, ABORTED})


def is_terminal(status: str | None) -> bool:
    """True when a prediction or training with this status will not change again."""
    return status in TERMINAL_STATUSES
