"""Start and stop the servers under test (the mock via ``replicate-mock serve``, Prism) on 127.0.0.1."""

from __future__ import annotations

import contextlib
import importlib.util
import json
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PRISM = ROOT / "node_modules" / ".bin" / "prism"
SPEC = ROOT / "openapi" / "replicate.openapi.yaml"
HOST = "127.0.0.1"
TOKEN = "r8_bench_000000000000000000000000000000000"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
HELLO_WORLD_VERSION = "5c7d5dc6dd8bf75c1acaa8565735e7986bc5b66206b55cca93cb72c9bf15ccaa"


class BenchError(RuntimeError):
    """A server under test could not be started or answered wrongly."""


@dataclass
class Served:
    name: str
    process: subprocess.Popen[bytes]
    port: int
    api_prefix: str  # path prefix of the API root: "/v1" for the mock, "" for Prism

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"


_grpc_port: int | None = None


def grpc_port() -> int:
    """One gRPC port per run, so sections serving gRPC can share a mock under ``reuse_mocks``."""
    global _grpc_port
    if _grpc_port is None:
        _grpc_port = free_port()
    return _grpc_port


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        port: int = sock.getsockname()[1]
        return port


def wait_port(process: subprocess.Popen[bytes], port: int, timeout: float, name: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise BenchError(f"{name} exited early with code {process.returncode}")
        with contextlib.suppress(OSError), socket.create_connection((HOST, port), timeout=0.2):
            return
        time.sleep(0.05)
    raise BenchError(f"{name} did not listen on {HOST}:{port} within {timeout:.0f} s")


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


def _spawn(command: list[str]) -> subprocess.Popen[bytes]:
    """Start ``command`` from the repository root, its output discarded."""
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)


@contextlib.contextmanager
def _running(
    command: list[str], port: int, timeout: float, name: str
) -> Iterator[subprocess.Popen[bytes]]:
    """``command`` started and listening on ``port`` (``name`` is for errors); stopped on exit."""
    process = _spawn(command)
    try:
        wait_port(process, port, timeout, name)
        yield process
    finally:
        stop(process)


_reusable: dict[tuple[str, ...], Served] | None = None


@contextlib.contextmanager
def reuse_mocks() -> Iterator[None]:
    """Within this block, sections asking for a mock with the same arguments share one process,
    reset between uses (start-up is most of a ``--quick`` run)."""
    global _reusable
    _reusable = {}
    try:
        yield
    finally:
        servers, _reusable = list(_reusable.values()), None
        for served in servers:  # all shut down at once, then waited for
            if served.process.poll() is None:
                served.process.send_signal(signal.SIGTERM)
        for served in servers:
            stop(served.process)


@contextlib.contextmanager
def mock_server(*args: str) -> Iterator[Served]:
    """``replicate-mock serve`` in its own process (so it has a core to itself), no rate limits."""
    if _reusable is None:
        fresh = _launch_mock(args)
        try:
            yield fresh
        finally:
            stop(fresh.process)
        return
    shared = _reusable.get(args)
    if shared is None:
        shared = _reusable[args] = _launch_mock(args)
    httpx.post(f"{shared.url}/_mock/reset", timeout=10).raise_for_status()
    yield shared


def _launch_mock(args: tuple[str, ...]) -> Served:
    port = free_port()
    command = [
        str(BIN / "replicate-mock"),
        "serve",
        "--host",
        HOST,
        "--port",
        str(port),
        "--no-rate-limits",
        *args,
    ]
    process = _spawn(command)
    try:
        wait_port(process, port, 20, "replicate-mock serve")
        if "--grpc-port" in args:
            grpc_port = int(args[args.index("--grpc-port") + 1])
            wait_port(process, grpc_port, 20, "replicate-mock serve (gRPC)")
    except BaseException:
        stop(process)
        raise
    name = "replicate-mock"
    if "--server" in args and args[args.index("--server") + 1] != "uvicorn":
        name += f" ({args[args.index('--server') + 1]})"
    return Served(name, process, port, "/v1")


def granian_available() -> bool:
    return importlib.util.find_spec("granian") is not None


# The ceiling on granian runs through the function `replicate-mock serve --server granian` uses.
_GRANIAN_CEILING = (
    "import sys; from bench.ceiling_app import app; from mock_server.serving import run_granian; "
    "run_granian(app, sys.argv[1], int(sys.argv[2]))"
)


@contextlib.contextmanager
def ceiling_server(server: str = "uvicorn") -> Iterator[Served]:
    """bench/ceiling_app.py on the stack ``replicate-mock serve --server SERVER`` runs: uvicorn
    (httptools/uvloop) or granian (embedded, uvloop)."""
    port = free_port()
    if server == "granian":
        command = [sys.executable, "-c", _GRANIAN_CEILING, HOST, str(port)]
        with _running(command, port, 20, "granian bench.ceiling_app") as process:
            yield Served("bare ASGI (granian)", process, port, "/v1")
        return
    command = [
        sys.executable,
        "-m",
        "uvicorn",
        "bench.ceiling_app:app",
        "--host",
        HOST,
        "--port",
        str(port),
        "--log-level",
        "warning",
        "--no-access-log",
        "--lifespan",
        "off",
    ]
    with _running(command, port, 20, "uvicorn bench.ceiling_app") as process:
        yield Served("bare ASGI", process, port, "/v1")


def wiremock_jar() -> Path | None:
    """The standalone jar the npm ``wiremock`` package bundles (pinned in package.json)."""
    jars = sorted((ROOT / "node_modules" / "wiremock" / "build").glob("wiremock-standalone-*.jar"))
    return jars[-1] if jars else None


def wiremock_missing() -> str | None:
    """Why WireMock cannot run here, or None when it can."""
    if shutil.which("java") is None:
        return "Java is not installed (WireMock needs a Java 11+ runtime on PATH)"
    if wiremock_jar() is None:
        return "the npm wiremock package is not installed: run `make setup` (npm ci)"
    return None


@contextlib.contextmanager
def wiremock_server(stubs: list[dict[str, Any]]) -> Iterator[Served]:
    """WireMock standalone serving ``stubs`` (its JSON mapping format) from a temporary root.

    The request journal is off and nothing is logged per request (its fastest settings).
    """
    reason = wiremock_missing()
    if reason is not None:
        raise BenchError(f"WireMock cannot run: {reason}")
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="bench-wiremock-") as root:
        mappings = Path(root) / "mappings"
        mappings.mkdir()
        (mappings / "stubs.json").write_text(json.dumps({"mappings": stubs}))
        command = ["java", "-jar", str(wiremock_jar()), "--port", str(port)]
        command += ["--bind-address", HOST, "--root-dir", root, "--disable-banner"]
        command += ["--no-request-journal", "--disable-request-logging"]
        # Content-Length, not chunked: the load generator reads bodies by their length.
        command += ["--use-chunked-encoding", "never"]
        with _running(command, port, 60, "WireMock") as process:
            yield Served("wiremock", process, port, "/v1")


def prism_available() -> bool:
    return PRISM.exists()


@contextlib.contextmanager
def prism_server() -> Iterator[Served]:
    """Prism's mock of the same OpenAPI file, logging only warnings (its fastest setting)."""
    if not prism_available():
        raise BenchError("Prism is not installed: run `make setup` (npm ci)")
    port = free_port()
    command = [str(PRISM), "mock", str(SPEC), "-h", HOST, "-p", str(port), "-v", "warn"]
    with _running(command, port, 60, "prism mock") as process:
        yield Served("prism", process, port, "")


def prism_version() -> str | None:
    package = ROOT / "node_modules" / "@stoplight" / "prism-cli" / "package.json"
    try:
        version: str = json.loads(package.read_text())["version"]
        return version
    except (OSError, ValueError, KeyError):
        return None


def create_prediction(
    client: httpx.Client, version: str, prediction_input: dict[str, Any], **extra: Any
) -> dict[str, Any]:
    response = client.post(
        "/v1/predictions", json={"version": version, "input": prediction_input, **extra}
    )
    if response.status_code != 201:
        raise BenchError(f"create failed: {response.status_code} {response.text[:200]}")
    body: dict[str, Any] = response.json()
    return body


def wait_terminal(client: httpx.Client, prediction_id: str, timeout: float = 10) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while True:
        body: dict[str, Any] = client.get(f"/v1/predictions/{prediction_id}").json()
        if body["status"] in ("succeeded", "failed", "canceled", "aborted"):
            return body
        if time.monotonic() > deadline:
            raise BenchError(f"prediction {prediction_id} still {body['status']}")
        time.sleep(0.02)


def register_model(client: httpx.Client, script: dict[str, Any]) -> str:
    """Register a scripted model through the control API; returns its version id."""
    response = client.post("/_mock/models", json=script)
    if response.status_code != 201:
        raise BenchError(f"model registration failed: {response.status_code} {response.text}")
    version: str = response.json()["latest_version"]["id"]
    return version


def python_version() -> str:
    return sys.version.split()[0]


def run_json(command: list[str], timeout: float) -> dict[str, Any]:
    """Run a helper process that prints one JSON object; bounded by ``timeout``."""
    done = subprocess.run(command, capture_output=True, timeout=timeout, cwd=ROOT, check=False)
    if done.returncode != 0:
        raise BenchError(f"{command[1]} failed: {done.stderr.decode()[-500:]}")
    lines = [line for line in done.stdout.decode().splitlines() if line.startswith("{")]
    if not lines:
        raise BenchError(f"{command[1]} printed no result")
    result: dict[str, Any] = json.loads(lines[-1])
    return result


def cpu_model() -> str:
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            match = re.match(r"model name\s*:\s*(.*)", line)
            if match:
                return match.group(1).strip()
    return "unknown"
