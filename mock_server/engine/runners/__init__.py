"""How a model behaves over time: a runner turns validated input into a `Plan`."""

from mock_server.engine.runners.plan import (
    MISSING,
    Blob,
    Plan,
    RunContext,
    Runner,
    Step,
    input_only,
    is_input_only,
)

__all__ = [
    "MISSING",
    "Blob",
    "Plan",
    "RunContext",
    "Runner",
    "Step",
    "input_only",
    "is_input_only",
]
