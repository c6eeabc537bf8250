"""The pytest plugin and ``replicate-mock`` load the mock only when used, and name a missing extra.

Each check runs in a fresh interpreter; "not installed" is simulated by blocking the extra's modules
(``sys.modules[name] = None`` makes importing them raise ``ModuleNotFoundError``), as in an
install without the extra. tests/install/test_wheel.py does the same from a real core-only install.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

# What the ``mock`` extra brings and the plugin must not load before a fixture is used.
MOCK_LIBRARIES = ("starlette", "uvicorn", "jsonschema", "yaml", "standardwebhooks")
GRPC_LIBRARIES = ("grpc", "grpc_health", "grpc_reflection")
# The plugin's own light modules: everything else of mock_server waits for a fixture.
PLUGIN_MODULES = {"mock_server", "mock_server.extras", "mock_server.pytest_plugin"}

BLOCK = "import sys\nfor name in {blocked!r}:\n    sys.modules[name] = None\n"


def _python(program: str, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"}
    return subprocess.run(
        [sys.executable, "-c", program, *args],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=cwd,
        env=env,
        check=False,
    )


def test_plugin_module_loads_no_part_of_the_mock() -> None:
    program = "import sys, json, mock_server.pytest_plugin\nprint(json.dumps(sorted(sys.modules)))"
    done = _python(program)
    assert done.returncode == 0, done.stderr
    loaded = set(json.loads(done.stdout))
    ours = {name for name in loaded if name.split(".")[0] == "mock_server"}
    assert ours == PLUGIN_MODULES
    heavy = {name.split(".")[0] for name in loaded} & {*MOCK_LIBRARIES, *GRPC_LIBRARIES}
    assert not heavy


def _pytest_run(tmp_path: Path, tests: str, blocked: tuple[str, ...]) -> str:
    """Output of a pytest run of ``tests`` with only this plugin, ``blocked`` not importable."""
    (tmp_path / "pytest.ini").write_text("[pytest]\n")  # not the repository's configuration
    (tmp_path / "test_it.py").write_text(textwrap.dedent(tests))
    program = BLOCK.format(blocked=blocked) + textwrap.dedent(
        """
        import pytest
        sys.exit(pytest.main(["-q", "-rfE", "-p", "mock_server.pytest_plugin", "test_it.py"]))
        """
    )
    return _python(program, cwd=tmp_path).stdout


def test_without_the_mock_extra_pytest_runs_and_a_fixture_fails_in_one_line(
    tmp_path: Path,
) -> None:
    tests = """
        def test_plain():
            assert True

        def test_asgi(replicate_mock_asgi):
            pass

        def test_served(replicate_mock):
            pass
        """
    output = _pytest_run(tmp_path, tests, MOCK_LIBRARIES)
    assert "1 passed, 2 errors" in output, output
    assert "Traceback" not in output
    assert "During handling" not in output  # no ImportError chained above the message
    # One line per failed fixture in the errors section (the short summary repeats it in full
    # only where pytest does not shorten it, e.g. with CI set: those "ERROR ..." lines are skipped).
    needs = [
        line
        for line in output.splitlines()
        if 'pip install "replicate-kit[mock]"' in line and not line.startswith("ERROR ")
    ]
    assert len(needs) == 2, output
    assert all("this replicate_mock fixture needs the 'mock' extra" in line for line in needs)


def test_without_the_grpc_extra_the_served_fixture_serves_http_only(tmp_path: Path) -> None:
    tests = """
        import pytest

        def test_http(replicate_mock):
            with replicate_mock.client() as client:
                assert client.get("/account").status_code == 200
            with pytest.raises(RuntimeError, match=r'pip install "replicate-kit\\[mock,grpc\\]"'):
                replicate_mock.grpc_target
        """
    output = _pytest_run(tmp_path, tests, GRPC_LIBRARIES)
    assert "1 passed" in output, output


def _replicate_mock(blocked: tuple[str, ...], *args: str) -> subprocess.CompletedProcess[str]:
    program = BLOCK.format(blocked=blocked) + textwrap.dedent(
        """
        import runpy
        sys.argv = ["replicate-mock", *sys.argv[1:]]
        runpy.run_module("mock_server", run_name="__main__", alter_sys=True)
        """
    )
    return _python(program, *args)


def test_replicate_mock_without_the_mock_extra_names_it() -> None:
    done = _replicate_mock(MOCK_LIBRARIES, "--help")
    assert done.returncode == 2
    (line,) = done.stderr.splitlines()
    missing = line.partition("(no module ")[2].partition(")")[0].strip("'")
    assert missing in MOCK_LIBRARIES, line  # whichever of them the command imports first
    assert line.startswith("replicate-mock: the command needs the 'mock' extra")
    assert line.endswith('pip install "replicate-kit[mock]"')


def test_replicate_mock_grpc_port_without_the_grpc_extra_names_it() -> None:
    done = _replicate_mock(GRPC_LIBRARIES, "serve", "--port", "0", "--grpc-port", "0")
    assert done.returncode == 2
    assert done.stderr.splitlines() == [
        "replicate-mock: --grpc-port needs the 'grpc' extra (no module 'grpc'): "
        'pip install "replicate-kit[mock,grpc]"'
    ]
    assert "serving" not in done.stdout
