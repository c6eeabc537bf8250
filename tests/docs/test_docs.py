"""Docs that run: every fenced ``python``, ``sh`` and ``ts`` block of the docs, as written.

Blocks are found by ``tests/docs/blocks.py`` (README.md, ts/README.md, docs/), so a section added
later is covered without touching this file. Each block is self-contained: python blocks run in a
fresh namespace, sh blocks in a fresh ``bash``, both with ``REPLICATE_API_TOKEN``,
``REPLICATE_BASE_URL`` and ``REPLICATE_GRPC_TARGET`` pointing at the served mock (a fresh account
per block). ts blocks are type-checked together by one ``tsc --strict``; they run in
``make test-ts`` (ts/test/readme.test.ts) and tests/install. A block marked
``<!-- docs-test: skip, REASON -->`` is reported as skipped with its reason; one marked
``<!-- docs-test: mypy -->`` must also pass ``mypy --strict``.

How an sh block runs: lines of the block run in order in one shell; each command line must exit 0,
or N when it ends with ``# exit N``. A line ending in ``&`` starts a background job; whatever is
still running when the block ends is stopped with its process group. Loopback ports written in the
block (``127.0.0.1:8787``, ``--port 8787``, ``--grpc-port 50051``) are swapped for free ones, the
same number for the same port, so parallel runs cannot collide.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import replicate_kit
from replicate_kit import _config
from tests.docs.blocks import ROOT, Block, all_blocks

BLOCKS = all_blocks()
BIN = Path(sys.executable).parent
TSC = ROOT / "node_modules" / "typescript" / "bin" / "tsc"
SH_TIMEOUT = 45  # inside pytest-timeout's 60 s, so the block's own output is reported


def _of(language: str) -> list[Any]:
    return [
        pytest.param(
            block, id=block.name, marks=[pytest.mark.skip(block.skip)] if block.skip else []
        )
        for block in BLOCKS
        if block.language == language
    ]


def test_the_docs_have_blocks_of_each_language() -> None:
    for language in ("python", "sh", "ts"):
        assert [b for b in BLOCKS if b.language == language and not b.skip], language


def test_skip_reasons_name_tests_that_exist() -> None:
    # A reason that points at the test running the block instead must point at a real file.
    for block in BLOCKS:
        for path in re.findall(r"\b(tests/\S+?\.py|ts/test/\S+?\.ts)\b", block.skip or ""):
            assert (ROOT / path).is_file(), f"{block.name}: {path} does not exist"


# --- python -------------------------------------------------------------------------------------


@pytest.mark.parametrize("block", _of("python"))
def test_python_block(
    block: Block, replicate_mock: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(_config, "_dotenv_loaded", True)  # no .env of the developer's
    for name, value in _environment(replicate_mock).items():
        monkeypatch.setenv(name, value)
    replicate_kit.set_default_client(None)
    namespace: dict[str, Any] = {"__name__": "__docs__"}
    try:
        exec(compile(block.code, block.name, "exec"), namespace)
        # A block that shows a pytest test gets the fixture it asks for.
        for name, value in list(namespace.items()):
            if name.startswith("test_") and callable(value):
                value(replicate_mock)
    finally:
        replicate_kit.set_default_client(None)


def test_python_blocks_marked_for_mypy_pass_mypy_strict(tmp_path: Path) -> None:
    marked = [block for block in BLOCKS if block.mypy and not block.skip]
    # The gRPC example for other teams is what the shipped .pyi stubs are judged by.
    assert any("replicate_kit_grpc" in block.code for block in marked)
    files: list[str] = []
    for number, block in enumerate(marked):
        source = tmp_path / f"block_{number:03}.py"
        source.write_text(block.code)
        files.append(str(source))
    done = subprocess.run(
        [
            str(BIN / "mypy"),
            "--strict",
            "--no-incremental",
            "--config-file",
            str(ROOT / "pyproject.toml"),
            *files,
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=55,
        check=False,
    )
    report = done.stdout
    for file, block in zip(files, marked, strict=True):
        report = report.replace(file, block.name)
    assert done.returncode == 0, report


# --- sh -----------------------------------------------------------------------------------------

PORT = re.compile(r"(?:(?<=127\.0\.0\.1:)|(?<=localhost:)|(?<=--port )|(?<=--grpc-port ))\d{4,5}\b")
EXIT = re.compile(r"\s#\s*exit (\d+)\b")
BACKGROUND = re.compile(r"&\s*(?:\w+=\$!\s*)?(?:#.*)?$")
CHECK = '__rc=$?; [ "$__rc" = {code} ] || {{ echo "docs-test: line {line} exited $__rc, not {code}" >&2; exit 97; }}'


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def shell_script(code: str) -> str:
    """The block with free ports and an exit-code check after each command line."""
    ports: dict[str, str] = {}
    code = PORT.sub(lambda m: ports.setdefault(m.group(0), str(_free_port())), code)
    out: list[str] = []
    logical = ""
    for number, line in enumerate(code.splitlines(), 1):
        logical += line
        if line.endswith("\\"):
            logical += "\n"
            continue
        out.append(logical)
        stripped = logical.strip()
        if stripped and not stripped.startswith("#") and not BACKGROUND.search(stripped):
            expected = EXIT.search(stripped)
            out.append(CHECK.format(code=expected.group(1) if expected else 0, line=number))
        logical = ""
    return "\n".join(out) + "\n"


@pytest.mark.parametrize("block", _of("sh"))
def test_sh_block(block: Block, replicate_mock: Any, tmp_path: Path) -> None:
    env = {
        **os.environ,
        **_environment(replicate_mock),
        "PATH": f"{BIN}{os.pathsep}{ROOT / 'node_modules' / '.bin'}{os.pathsep}{os.environ['PATH']}",
    }
    child = subprocess.Popen(
        ["bash", "-c", shell_script(block.code)],
        cwd=tmp_path,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,  # its own process group: background servers end with it
    )
    try:
        output, _ = child.communicate(timeout=SH_TIMEOUT)
    except subprocess.TimeoutExpired:
        os.killpg(child.pid, signal.SIGKILL)
        output, _ = child.communicate()
        pytest.fail(f"{block.name} still ran after {SH_TIMEOUT} s:\n{output[-3000:]}")
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(child.pid, signal.SIGTERM)  # jobs the block left running
    assert child.returncode == 0, output[-3000:]


# --- ts -----------------------------------------------------------------------------------------


def test_ts_blocks_type_check_with_tsc_strict(tmp_path: Path) -> None:
    blocks = [block for block in BLOCKS if block.language == "ts" and not block.skip]
    files = []
    for number, block in enumerate(blocks):
        (tmp_path / f"block_{number:03}.ts").write_text(block.code)
        files.append(f"block_{number:03}.ts")
    config = {
        "extends": str(ROOT / "ts" / "tsconfig.test.json"),
        "compilerOptions": {
            "noEmit": True,
            "rootDir": "/",  # the blocks sit in a temporary folder, the client in the checkout
            "strict": True,
            "moduleDetection": "force",  # each block is its own module, as in its own file
            "paths": {"replicate-kit": [str(ROOT / "ts" / "src" / "index.ts")]},
            "typeRoots": [
                str(ROOT / "ts" / "node_modules" / "@types")
            ],  # the package's Node 20 types
        },
        "include": [],
        "files": files,
    }
    (tmp_path / "tsconfig.json").write_text(json.dumps(config))
    done = subprocess.run(
        ["node", str(TSC), "-p", str(tmp_path)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=55,
        check=False,
    )
    report = done.stdout + done.stderr
    for number, block in enumerate(blocks):
        report = report.replace(f"block_{number:03}.ts", block.name)
    assert done.returncode == 0, report


def _environment(mock: Any) -> dict[str, str]:
    return {
        "REPLICATE_API_TOKEN": mock.token,
        "REPLICATE_BASE_URL": mock.url,
        "REPLICATE_GRPC_TARGET": mock.grpc_target,
        "REPLICATE_POLL_INTERVAL": "0",
    }
