"""schemathesis against the in-process mock (ASGI, no sockets): the spec and the mock agree.

Settings (seed, phases, checks and the few per-operation exceptions, each with its reason) live in
schemathesis.toml next to this file. Each operation is its own test, so xdist spreads them.
"""

from __future__ import annotations

from pathlib import Path

import hypothesis
import schemathesis
from schemathesis.config import SchemathesisConfig

from mock_server import MockServer

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "openapi" / "replicate.openapi.yaml"
CONFIG = SchemathesisConfig.from_path(Path(__file__).with_name("schemathesis.toml"))
# The one token the strict mock accepts: the bearer in schemathesis.toml.
TOKEN = "r8_conformance"
# Bounded like the rest of `make test`: a short seeded walk over the links of the spec.
STATEFUL = hypothesis.settings(
    max_examples=6,
    stateful_step_count=10,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(hypothesis.HealthCheck),
)


def _schema(**mode: bool) -> schemathesis.schemas.BaseSchema:
    server = MockServer(
        seed=7, clock="auto", tokens=[TOKEN], rate_limits=None, max_file_size=4096, **mode
    )
    schema = schemathesis.openapi.from_path(SPEC, config=CONFIG)
    schema.app = server.app
    return schema


strict = _schema()


@strict.parametrize()
def test_strict(case: schemathesis.Case) -> None:
    case.call_and_validate()


TestStrictStateful = strict.as_state_machine().TestCase
TestStrictStateful.settings = STATEFUL
