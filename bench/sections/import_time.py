"""5. Import time of replicate_kit vs the official replicate, each in a fresh interpreter.

`import replicate_kit` loads its client stack on first use (PEP 562 lazy names), so a second row
times the import plus that first use (resolving ``Client``, which loads httpx and the generated
stubs) against the official client, whose import already loads everything.

A third row is the start-up cost of our pytest plugin, which pytest loads in every run of an
environment that has the wheel: the time a one-test run started with ``-p no:replicate_mock``
spends loading it (see ``plugin_load_seconds``).
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from bench.procs import ROOT, BenchError
from bench.report import Row
from bench.settings import Settings

_PROBE = "import time; t = time.perf_counter(); {statement}; print(time.perf_counter() - t)"

# What each measurement runs, ours first and the official client's second.
_PLAIN = {"replicate_kit": "import replicate_kit", "replicate": "import replicate"}
_FIRST_USE = {
    "replicate_kit+Client": "import replicate_kit; replicate_kit.Client",
    "replicate+Client": "import replicate; replicate.Client",
}


def import_seconds(statement: str) -> float:
    done = subprocess.run(
        [sys.executable, "-c", _PROBE.format(statement=statement)],
        capture_output=True,
        timeout=60,
        cwd=ROOT,
        check=False,
    )
    if done.returncode != 0:
        raise BenchError(f"{statement!r} failed: {done.stderr.decode()[-300:]}")
    return float(done.stdout.decode().split()[-1])


# A pytest run with our plugin blocked by name, which then loads it from a configure hook and
# times that: import, registration and its (historic) pytest_addoption, inside a real start-up
# where the other pytest11 plugins of the environment are loaded as usual.
_PYTEST_PROBE = """
import sys, time, pytest

class Probe:
    @pytest.hookimpl(tryfirst=True)
    def pytest_configure(self, config):
        started = time.perf_counter()
        config.pluginmanager.import_plugin("mock_server.pytest_plugin")
        print("plugin-seconds", time.perf_counter() - started, file=sys.stderr)

switches = ["-q", "-p", "no:cacheprovider", "-p", "no:replicate_mock", "test_one.py"]
sys.exit(pytest.main(switches, plugins=[Probe()]))
"""


def plugin_load_seconds(folder: Path) -> float:
    """Seconds pytest spends loading our plugin while starting a one-test run in ``folder``.

    Timed inside the run, not as the difference of two runs' start-up times: on a shared two-core
    machine a two-second start-up varied by hundreds of ms (wall and CPU time alike), which hid
    a plugin's few ms.
    """
    done = subprocess.run(
        [sys.executable, "-c", _PYTEST_PROBE],
        capture_output=True,
        timeout=120,
        cwd=folder,
        check=False,
    )
    lines = [x for x in done.stderr.decode().splitlines() if x.startswith("plugin-seconds ")]
    if done.returncode != 0 or len(lines) != 1:
        raise BenchError(f"pytest with the plugin failed: {done.stdout.decode()[-300:]}")
    return float(lines[0].split()[1])


def plugin_load_ms(s: Settings, raw: dict[str, Any]) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "pytest.ini").write_text("[pytest]\n")  # none of the repository's options
        (folder / "test_one.py").write_text("def test_one():\n    pass\n")
        times = [plugin_load_seconds(folder) * 1000 for _ in range(s.import_runs)]
    raw["pytest_plugin_load_ms"] = times
    return statistics.median(times)


def run(s: Settings, raw: dict[str, Any]) -> list[Row]:
    probes = {**_PLAIN, **_FIRST_USE}
    times: dict[str, list[float]] = {name: [] for name in probes}
    if not s.quick:  # a first run of each warms the OS file cache
        for statement in _PLAIN.values():
            import_seconds(statement)
    for _ in range(s.import_runs):
        for name, statement in probes.items():  # interleaved: drift on the machine hits all alike
            times[name].append(import_seconds(statement) * 1000)
    raw["import_ms"] = times
    median = {name: statistics.median(values) for name, values in times.items()}
    return [
        Row(
            "5",
            f"import replicate_kit vs import replicate (median of {s.import_runs})",
            "ms",
            median["replicate_kit"],
            median["replicate"],
            "replicate",
            "<=0.6",
        ),
        Row(
            "5",
            f"import + first use of Client, replicate_kit vs replicate (median of {s.import_runs})",
            "ms",
            median["replicate_kit+Client"],
            median["replicate+Client"],
            "replicate",
        ),
        Row(
            "5",
            "pytest start-up: loading the replicate_mock plugin in a one-test run "
            f"(median of {s.import_runs})",
            "ms",
            plugin_load_ms(s, raw),
            goal="<50",
        ),
    ]
