"""The built wheel, installed the way other teams install it, into fresh virtual environments.

One wheel build and two installs (the core alone, and ``[all]``), made once for the module with uv
(pinned in the dev extra; pip took about 50 s for the same). The lock's versions are the
constraints, so the installs resolve nothing new and stay the same from run to run; uv serves them
from its cache after the first run (``UV_OFFLINE=1`` then makes the test work without a network).
Then: ``pip check`` (pip itself, from the development venv), a prediction from the core install
against a mock started from the development venv, and the CLI of the ``[all]`` install against a
mock that install starts itself.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from mock_server import MockServer
from tests.install.lock import ROOT, declared, lock_lines

pytestmark = pytest.mark.timeout(300)
PIP = [sys.executable, "-m", "pip", "--disable-pip-version-check"]
UV = Path(sys.executable).parent / "uv"  # pinned in the dev extra; builds and installs in seconds
# --compile-bytecode as pip does, so the first imports are not slowed down by it.
INSTALL_OPTIONS = ("--quiet", "--compile-bytecode", "--constraint")
INSTALL_TIMEOUT = 240  # seconds; a cold cache downloads about 60 wheels


@dataclass(frozen=True)
class Installs:
    wheel: Path
    core: Path  # each is a venv
    all: Path


def _bin(venv: Path, name: str) -> Path:
    return venv / "bin" / name


def _run(args: list[str | Path], **kwargs: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(a) for a in args],
        capture_output=True,
        text=True,
        timeout=INSTALL_TIMEOUT,
        check=False,
        **kwargs,  # type: ignore[call-overload]
    )


@pytest.fixture(scope="module")
def installs(tmp_path_factory: pytest.TempPathFactory) -> Installs:
    tmp = tmp_path_factory.mktemp("wheel")
    built = _run([UV, "build", "--quiet", "--wheel", "--out-dir", tmp / "dist", ROOT])
    assert built.returncode == 0, built.stderr
    (wheel,) = (tmp / "dist").glob("replicate_kit-*.whl")
    constraints = tmp / "constraints.txt"
    constraints.write_text("\n".join(lock_lines()) + "\n")
    venvs = Installs(wheel=wheel, core=tmp / "core", all=tmp / "all")
    for venv, target in ((venvs.core, str(wheel)), (venvs.all, f"{wheel}[all]")):
        _uv_install(venv, constraints, target)
    return venvs


def _uv_install(venv: Path, constraints: Path, *targets: str) -> None:
    """A new venv at ``venv`` with ``targets`` installed."""
    made = _run([UV, "venv", "--quiet", "--python", sys.executable, venv])
    assert made.returncode == 0, made.stderr
    python = _bin(venv, "python")
    installed = _run(
        [UV, "pip", "install", "--python", python, *INSTALL_OPTIONS, constraints, *targets]
    )
    assert installed.returncode == 0, f"install {targets}:\n{installed.stderr}"


def _installed(venv: Path) -> set[str]:
    listed = _run([*PIP, "--python", _bin(venv, "python"), "list", "--format=json"])
    assert listed.returncode == 0, listed.stderr
    return {canonicalize_name(d["name"]) for d in json.loads(listed.stdout)}


def _pip_check(venv: Path) -> None:
    checked = _run([*PIP, "--python", _bin(venv, "python"), "check"])
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_wheel_metadata_has_ranges_for_everything_but_dev(installs: Installs) -> None:
    with zipfile.ZipFile(installs.wheel) as wheel:
        (metadata,) = (n for n in wheel.namelist() if n.endswith(".dist-info/METADATA"))
        lines = wheel.read(metadata).decode().splitlines()
    requires = [
        Requirement(line.split(":", 1)[1]) for line in lines if line.startswith("Requires-Dist:")
    ]
    core = [r for r in requires if r.marker is None]
    assert {canonicalize_name(r.name) for r in core} == {
        canonicalize_name(r.name) for r in declared()[""]
    }
    published = [r for r in requires if "dev" not in str(r.marker)]
    pinned = [str(r) for r in published if any(s.operator == "==" for s in r.specifier)]
    assert not pinned
    extras = {line.split(":", 1)[1].strip() for line in lines if line.startswith("Provides-Extra:")}
    assert {"grpc", "cli", "mock", "cog", "all"} <= extras
    assert "License-File: LICENSE" in lines


CORE_PROGRAM = textwrap.dedent(
    """
    import sys
    import replicate_kit as replicate

    hello = replicate.run("replicate/hello-world", input={"text": "core"})
    assert hello == "hello core", hello
    tokens = [str(e) for e in replicate.stream("meta/meta-llama-3-8b-instruct",
                                                input={"prompt": "Hi", "seed": 1})]
    assert tokens, "no tokens"
    prediction = replicate.predictions.create(model="replicate/hello-world", input={"text": "x"})
    prediction.wait()
    assert prediction.output == "hello x"
    extras = {"grpc", "google", "starlette", "uvicorn", "rich", "typer", "yaml", "mock_server"}
    loaded = sorted(extras & {name.split(".")[0] for name in sys.modules})
    assert not loaded, loaded
    print("ok", len(tokens))
    """
)


def test_core_install_runs_predictions_against_a_mock(installs: Installs) -> None:
    _pip_check(installs.core)
    extras_only = {"grpcio", "protobuf", "starlette", "uvicorn", "rich", "typer", "pyyaml", "cog"}
    assert not extras_only & _installed(installs.core)
    with MockServer(seed=1, clock="auto") as mock:
        env = {
            **os.environ,
            "REPLICATE_API_TOKEN": "r8_core_install",
            "REPLICATE_BASE_URL": mock.url,
            "REPLICATE_POLL_INTERVAL": "0",
        }
        result = _run(
            [_bin(installs.core, "python"), "-c", CORE_PROGRAM], env=env, cwd=installs.core
        )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("ok ")


def test_core_install_cli_asks_for_the_cli_extra(installs: Installs) -> None:
    result = _run([_bin(installs.core, "replicate-kit"), "--help"])
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert 'pip install "replicate-kit[cli]"' in result.stderr


def test_core_install_mock_command_asks_for_the_mock_extra(installs: Installs) -> None:
    result = _run([_bin(installs.core, "replicate-mock"), "--help"])
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert len(result.stderr.splitlines()) == 1, result.stderr
    assert 'pip install "replicate-kit[mock]"' in result.stderr


MOCK_ARGS = ("serve", "--port", "0", "--seed", "1", "--clock", "auto")


PLAIN_AND_FIXTURE_TESTS = textwrap.dedent(
    """
    def test_plain():
        assert 1 + 1 == 2

    def test_fixture(replicate_mock_asgi):
        pass
    """
)


def test_core_install_with_pytest_still_runs_pytest(installs: Installs, tmp_path: Path) -> None:
    venv = tmp_path / "core-pytest"
    constraints = tmp_path / "constraints.txt"
    constraints.write_text("\n".join(lock_lines()) + "\n")
    _uv_install(venv, constraints, str(installs.wheel), "pytest")
    (tmp_path / "test_one.py").write_text(PLAIN_AND_FIXTURE_TESTS)
    pytest_run = [_bin(venv, "python"), "-m", "pytest", "-q", "-rE", "test_one.py"]
    plain = _run([*pytest_run, "-k", "plain"], cwd=tmp_path)
    assert plain.returncode == 0, plain.stdout + plain.stderr
    fixture = _run([*pytest_run, "-k", "fixture"], cwd=tmp_path)
    assert fixture.returncode == 1, fixture.stdout + fixture.stderr
    assert "Traceback" not in fixture.stdout
    (line,) = [  # the errors section's line; a CI run also repeats it in the short summary
        line
        for line in fixture.stdout.splitlines()
        if "replicate-kit[mock]" in line and not line.startswith("ERROR ")
    ]
    assert "this replicate_mock fixture needs the 'mock' extra" in line


@pytest.fixture
def all_mock(installs: Installs) -> Iterator[str]:
    """A mock served by the ``[all]`` install's own ``replicate-mock``; yields its base URL."""
    server = subprocess.Popen(
        [_bin(installs.all, "replicate-mock"), *MOCK_ARGS],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stdout is not None
        first = server.stdout.readline()  # printed once it listens
        assert first.startswith("replicate-mock serving http://"), first + server.stderr.read()
        yield first.split()[2].removesuffix("/v1")
    finally:
        server.terminate()
        server.communicate(timeout=30)


def test_all_install_cli_runs_a_model_against_its_own_mock(
    installs: Installs, all_mock: str
) -> None:
    _pip_check(installs.all)
    helped = _run([_bin(installs.all, "replicate-kit"), "--help"])
    assert helped.returncode == 0, helped.stderr
    assert "predictions" in helped.stdout
    env = {**os.environ, "REPLICATE_API_TOKEN": "r8_all_install", "REPLICATE_BASE_URL": all_mock}
    ran = _run(
        [
            _bin(installs.all, "replicate-kit"),
            "run",
            "replicate/hello-world",
            "text=Alice",
            "--json",
        ],
        env=env,
    )
    assert ran.returncode == 0, ran.stderr
    assert json.loads(ran.stdout)["output"] == "hello Alice"
