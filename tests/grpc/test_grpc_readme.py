"""The README's gRPC section: its Python examples run against the served mock."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import replicate_kit
from replicate_kit import _config
from tests.readme_sections import python_blocks, readme_section


def test_grpc_section_examples_run(
    replicate_mock: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    blocks = python_blocks(readme_section("gRPC"))
    assert len(blocks) >= 2
    assert any("replicate_kit_grpc.v1" in block for block in blocks)  # the stubs, used directly
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(_config, "_dotenv_loaded", True)
    monkeypatch.setenv("REPLICATE_API_TOKEN", replicate_mock.token)
    monkeypatch.setenv("REPLICATE_BASE_URL", replicate_mock.url)
    monkeypatch.setenv("REPLICATE_GRPC_TARGET", replicate_mock.grpc_target)
    replicate_kit.set_default_client(None)
    for block in blocks:
        exec(compile(block, "README.md#grpc", "exec"), {"__name__": "__docs__"})
    journal = replicate_mock.control.journal(method="GET", path="/v1/predictions/nope")
    assert [e["status"] for e in journal if e["account"] == replicate_mock.username] == [404]
