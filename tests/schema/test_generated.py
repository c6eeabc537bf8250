"""The generated stub sets import, carry our template fixes, and the TypeScript output type-checks."""

from __future__ import annotations

import importlib
import pkgutil
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GENERATED = ROOT / "generated"


def _walk(package_name: str) -> list[str]:
    package = importlib.import_module(package_name)
    names = [package_name]
    for info in pkgutil.walk_packages(package.__path__, prefix=f"{package_name}."):
        importlib.import_module(info.name)
        names.append(info.name)
    return names


def test_http_stubs_import_every_module() -> None:
    modules = _walk("replicate_api")
    assert "replicate_api.api.predictions.predictions_get" in modules
    assert "replicate_api.api.predictions.predictions_create" in modules


def test_grpc_stubs_import_every_module() -> None:
    modules = _walk("replicate_kit_grpc")
    assert any(name.endswith("_pb2_grpc") for name in modules)


def test_http_stubs_have_no_fixed_multipart_boundary() -> None:
    # openapi-python-client's template pins boundary "+++": a file containing "\r\n--+++" would be
    # truncated. scripts/gen.py removes it so httpx picks a random boundary.
    sources = [p.read_text() for p in (GENERATED / "python/replicate_api").rglob("*.py")]
    assert not any("boundary=+++" in text for text in sources)
    assert not any("HTTPStatus(response.status_code)" in text for text in sources)


def test_grpc_stubs_use_relative_imports() -> None:
    for path in (GENERATED / "python/replicate_kit_grpc").rglob("*.py*"):
        text = path.read_text()
        assert "from replicate_kit.v1 import" not in text, path
        assert "import replicate_kit.v1." not in text, path


def test_generated_typescript_type_checks() -> None:
    tsc = ROOT / "node_modules/.bin/tsc"
    if not tsc.exists() or shutil.which("node") is None:
        pytest.skip("node_modules not installed (run `make setup`)")
    result = subprocess.run(
        [str(tsc), "-p", "tsconfig.generated.json"], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
