"""The npm package as other teams get it: ``npm pack`` in ts/, then installed from the tarball.

The tarball must carry what a published package needs (README, LICENSE, the built code and its types,
no source map pointing at a file it does not ship). A fresh project installs it with npm (its two
dependencies come from npm's cache, filled by ``make setup``), type-checks the TypeScript program of
ts/README.md with ``tsc --strict`` and runs it against a mock.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tarfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from mock_server import MockServer
from tests.install.lock import ROOT

pytestmark = pytest.mark.timeout(240)
TS = ROOT / "ts"
TSC = ROOT / "node_modules" / "typescript" / "bin" / "tsc"
TIMEOUT = 180  # seconds for one npm or tsc step; each takes a few seconds on an idle machine
TS_BLOCK = re.compile(r"```ts\n(.*?)```", re.S)


def _run(args: list[str | Path], cwd: Path, env: dict[str, str] | None = None) -> str:
    node = shutil.which("node")
    assert node, "node is needed (make setup checks for it)"
    done = subprocess.run(
        [str(a) for a in args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )
    assert done.returncode == 0, f"{args}:\n{done.stdout}\n{done.stderr}"
    return done.stdout


@pytest.fixture(scope="module")
def tarball(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("npm-pack")
    _run(["npm", "pack", "--silent", "--pack-destination", out], cwd=TS)
    (packed,) = out.glob("replicate-kit-*.tgz")
    return packed


def _members(tarball: Path) -> dict[str, tarfile.TarInfo]:
    with tarfile.open(tarball) as archive:
        return {m.name.removeprefix("package/"): m for m in archive.getmembers()}


def _manifest(tarball: Path) -> dict[str, Any]:
    with tarfile.open(tarball) as archive:
        member = archive.extractfile("package/package.json")
        assert member is not None
        manifest: dict[str, Any] = json.load(member)
    return manifest


def test_tarball_is_publishable(tarball: Path) -> None:
    files = _members(tarball)
    manifest = _manifest(tarball)
    assert {"package.json", "README.md", "LICENSE"} <= set(files)
    assert "MIT License" in (ROOT / "LICENSE").read_text()
    assert "private" not in manifest
    for field in ("name", "version", "description", "license", "repository", "engines", "files"):
        assert manifest.get(field), field
    assert manifest["license"] == "MIT"
    assert "prepack" in manifest["scripts"]
    root_export = manifest["exports"]["."]
    for target in root_export.values():
        assert target.removeprefix("./") in files, target
    assert root_export["types"].endswith(".d.ts")
    assert not [name for name in files if name.endswith(".map")]  # none that could point nowhere
    assert not [name for name in files if "/test/" in name or "/examples/" in name]


def _readme_program() -> str:
    blocks = TS_BLOCK.findall((TS / "README.md").read_text())
    assert len(blocks) == 1, "ts/README.md has one TypeScript example, the one this test runs"
    program: str = blocks[0]
    return program


@pytest.fixture
def consumer(tarball: Path, tmp_path: Path) -> Iterator[Path]:
    """A new project with the tarball installed and the README's program type-checked."""
    project = tmp_path / "consumer"
    project.mkdir()
    (project / "package.json").write_text(
        json.dumps({"name": "consumer", "private": True, "type": "module"}) + "\n"
    )
    _run(
        ["npm", "install", "--prefer-offline", "--no-audit", "--no-fund", "--silent", tarball],
        cwd=project,
    )
    (project / "main.ts").write_text(_readme_program())
    tsconfig = {
        "compilerOptions": {
            "target": "ES2022",
            "module": "NodeNext",
            "moduleResolution": "NodeNext",
            "strict": True,
            # The package's own declarations are checked too, with the workspace's Node types.
            "skipLibCheck": False,
            "types": ["node"],
            "typeRoots": [str(ROOT / "node_modules" / "@types")],
        },
        "files": ["main.ts"],
    }
    (project / "tsconfig.json").write_text(json.dumps(tsconfig))
    _run(["node", TSC, "-p", "."], cwd=project)
    yield project


def test_installed_tarball_runs_the_readme_program_against_a_mock(consumer: Path) -> None:
    assert (consumer / "node_modules" / "replicate-kit" / "LICENSE").exists()
    with MockServer(seed=1, clock="auto") as mock:
        env = {**os.environ, "REPLICATE_API_TOKEN": "r8_npm", "REPLICATE_BASE_URL": mock.url}
        out = _run(["node", "main.js"], cwd=consumer, env=env)
    lines = out.splitlines()
    assert lines[0] == "hello npm"
    assert lines[1].strip()  # the streamed tokens
    assert lines[2] == "succeeded hello later"
    assert lines[3] == "refused: UnprocessableEntityError"  # text is required: HTTP 422
