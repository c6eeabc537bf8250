"""The Python client examples (README.md's "Python client" section and python-client.md) run
against the mock, block after block, through the module-level API (README.md's over gRPC only:
tests/docs runs every README block over HTTP)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

import replicate_kit
from replicate_kit import _config

from .conftest import Kit

HERE = Path(__file__).parent
README = HERE.parents[1] / "README.md"
BLOCK = re.compile(r"```python\n(.*?)```", re.S)


def _python_client_section(text: str) -> str:
    match = re.search(r"^## Python client\n(.*?)(?=^## |\Z)", text, re.S | re.M)
    return match.group(1) if match else ""


def _sources() -> list[tuple[str, str]]:
    return [
        ("README.md", _python_client_section(README.read_text())),
        ("python-client.md", (HERE / "python-client.md").read_text()),
    ]


def test_readme_has_the_python_client_section() -> None:
    section = _python_client_section(README.read_text())
    assert len(BLOCK.findall(section)) >= 4, "README.md needs a '## Python client' section"


@pytest.mark.parametrize(("name", "text"), _sources(), ids=lambda v: v if v.endswith(".md") else "")
def test_examples_run(
    name: str,
    text: str,
    kit: Kit,
    replicate_mock: Any,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    if name == "README.md" and kit.transport == "http":
        pytest.skip("tests/docs/test_docs.py runs README.md's blocks over HTTP, each on its own")
    blocks = BLOCK.findall(text)
    assert blocks, f"no python blocks in {name}"
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(_config, "_dotenv_loaded", True)
    kit.environment(monkeypatch)  # REPLICATE_API_TOKEN, _BASE_URL, _TRANSPORT, _GRPC_TARGET
    monkeypatch.setenv("REPLICATE_POLL_INTERVAL", "0")
    replicate_kit.set_default_client(None)
    namespace: dict[str, Any] = {"__name__": "__docs__"}
    try:
        for block in blocks:
            exec(compile(block, name, "exec"), namespace)
    finally:
        replicate_kit.set_default_client(None)
