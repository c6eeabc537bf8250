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
CONFIG_FILE = Path(__file__).with_name("schemathesis.toml")
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


def _schema(*, examples: bool) -> schemathesis.schemas.BaseSchema:
    server = MockServer(
        seed=7,
        clock="auto",
        tokens=[TOKEN],
        rate_limits=None,
        max_file_size=4096,
        examples=examples,
    )
    schema = schemathesis.openapi.from_path(SPEC, config=SchemathesisConfig.from_path(CONFIG_FILE))
    if examples:
        # Like Prism, example mode keeps no memory of deletions: a deleted placeholder name comes
        # back on its next use (generated suites reuse names after their delete tests), so
        # "deleted resource still available" is the intended behaviour there.
        schema.config.checks.update(excluded_check_names=["use_after_free"])
    schema.app = server.app
    return schema


strict = _schema(examples=False)


@strict.parametrize()
def test_strict(case: schemathesis.Case) -> None:
    case.call_and_validate()


# The walks get mocks of their own: what the per-operation tests a worker ran before left behind
# must not decide where a walk goes (xdist hands each worker a different share).
TestStrictStateful = _schema(examples=False).as_state_machine().TestCase
TestStrictStateful.settings = STATEFUL


# Example mode (generated SDK suites): the same checks hold while placeholders materialise.
examples = _schema(examples=True)


@examples.parametrize()
def test_examples(case: schemathesis.Case) -> None:
    case.call_and_validate()


TestExamplesStateful = _schema(examples=True).as_state_machine().TestCase
TestExamplesStateful.settings = STATEFUL
