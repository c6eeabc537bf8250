"""How a model behaves over time: a runner turns validated input into a `Plan`."""

from mock_server.engine.runners.plan import MISSING, Blob, Plan, RunContext, Runner, Step

__all__ = ["MISSING", "Blob", "Plan", "RunContext", "Runner", "Step"]
