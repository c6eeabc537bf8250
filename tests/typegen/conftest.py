"""Schemas for the gen-types tests: the mock's built-in catalogue plus fixtures written after
the shapes of popular public models (an LLM, SDXL, Whisper, a FLUX-style model, rare shapes)."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from mock_server.engine.builtin_models import build_version, builtin_specs
from mock_server.engine.ids import stable_hex
from replicate_kit.typegen import generate, ir
from replicate_kit.typegen.sources import Fetched, from_file, parse_request

HERE = Path(__file__).parent
FIXTURES = sorted((HERE / "fixtures").glob("*.json"))
ROOT = HERE.parents[1]
PACKAGE = "typed_models"  # the generated Python package, importable from the session's tmp dir


def catalogue() -> list[Fetched]:
    """Every built-in model of the mock, at its version, with its schema as the mock serves it."""
    out = []
    for spec in builtin_specs():
        version_id = spec.version or stable_hex(spec.owner, spec.name, "builtin")
        version = build_version(spec, version_id)
        out.append(
            Fetched(spec.owner, spec.name, version_id, version.openapi_schema, spec.description)
        )
    return out


def fixtures() -> list[Fetched]:
    return [from_file(parse_request(str(path))) for path in FIXTURES]


def all_fetched() -> list[Fetched]:
    return catalogue() + fixtures()


def all_models() -> list[ir.ModelTypes]:
    return [generate.read(f) for f in all_fetched()]


def fixture_document(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((HERE / "fixtures" / f"{name}.json").read_text())
    return data


@pytest.fixture(scope="session")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Python and TypeScript output for every schema; the Python package is importable."""
    root = tmp_path_factory.mktemp("typegen")
    models = all_models()
    generate.write(root / PACKAGE, generate.render(models, "py"), "py")
    generate.write(root / "ts_models", generate.render(models, "ts"), "ts")
    sys.path.insert(0, str(root))
    try:
        yield root
    finally:
        sys.path.remove(str(root))
        for name in [m for m in sys.modules if m == PACKAGE or m.startswith(f"{PACKAGE}.")]:
            del sys.modules[name]


# The CLI tests run `replicate-kit` in-process against the mock, as tests/cli does.
from tests.cli.conftest import CliFn, Run, cli  # noqa: E402, F401
