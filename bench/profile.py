"""``make profile``: sample the mock with py-spy under GET and POST load, print where it spends.

    python bench/profile.py                      # GET then POST, 4 s each, c=10
    python bench/profile.py --seconds 2 --concurrency 50 --only get
    python bench/profile.py --server granian     # the mock on granian (serve --server granian)

``replicate-mock serve`` runs as py-spy's child (sampling every thread, the gRPC one included),
bench/loadgen.py loads it from another process, and the samples go to
``bench/results/profile-<load>.txt`` (py-spy's collapsed stacks: one ``frame;frame;... count``
line per stack, readable by flamegraph tools and speedscope). The top functions by own time and
by total time are printed. Bounded: each load runs a fixed time and the mock is stopped after.
"""

from __future__ import annotations

import argparse
import json
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import httpx

from bench.procs import (
    AUTH,
    BIN,
    HELLO_WORLD_VERSION,
    HOST,
    ROOT,
    BenchError,
    create_prediction,
    free_port,
    run_json,
    wait_port,
    wait_terminal,
)

RESULTS = Path(__file__).resolve().parent / "results"
CREATE_BODY = json.dumps({"version": HELLO_WORLD_VERSION, "input": {"text": "Alice"}})


def _children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(child) for child in text.split()]


def _stop(spy: subprocess.Popen[bytes]) -> None:
    """Stop the mock (py-spy then writes its file and exits), or py-spy itself as a fallback."""
    for child in _children(spy.pid):
        subprocess.run(["kill", "-TERM", str(child)], check=False)
    try:
        spy.wait(timeout=20)
    except subprocess.TimeoutExpired:
        spy.send_signal(signal.SIGINT)
        spy.wait(timeout=10)


def _load(port: int, method: str, path: str, concurrency: int, seconds: float) -> dict[str, Any]:
    plan: dict[str, Any] = {
        "host": HOST,
        "port": port,
        "method": method,
        "path": path,
        "concurrency": concurrency,
        "duration": seconds,
        "warmup": 0.3,
        "headers": dict(AUTH),
    }
    if method == "POST":
        plan["headers"]["Content-Type"] = "application/json"
        plan["body"] = CREATE_BODY
    command = [sys.executable, str(ROOT / "bench" / "loadgen.py"), json.dumps(plan)]
    return run_json(command, timeout=seconds + 30)


def profile(load: str, seconds: float, concurrency: int, rate: int, server: str) -> Path:
    suffix = "" if server == "uvicorn" else f"-{server}"
    out = RESULTS / f"profile-{load}{suffix}.txt"
    port = free_port()
    mock = [str(BIN / "replicate-mock"), "serve", "--host", HOST, "--port", str(port)]
    mock += ["--no-rate-limits", "--clock", "real", "--server", server]
    spy_command = [str(BIN / "py-spy"), "record", "--format", "raw", "--output", str(out)]
    spy_command += ["--rate", str(rate), "--nonblocking", "--", *mock]
    spy = subprocess.Popen(spy_command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=ROOT)
    try:
        wait_port(spy, port, 30, "replicate-mock serve under py-spy")
        url = f"http://{HOST}:{port}"
        with httpx.Client(base_url=url, headers=AUTH, timeout=10) as client:
            created = create_prediction(client, HELLO_WORLD_VERSION, {"text": "Alice"})
            wait_terminal(client, created["id"])
        path = f"/v1/predictions/{created['id']}" if load == "get" else "/v1/predictions"
        result = _load(port, load.upper(), path, concurrency, seconds)
        print(
            f"{load.upper()} {path} c={concurrency}: {result['rps']:.0f} req/s under sampling, "
            f"p50 {result['p50_ms']:.2f} ms, statuses {result['statuses']}"
        )
    finally:
        _stop(spy)
    if not out.exists():
        stderr = spy.stderr.read().decode() if spy.stderr else ""
        raise BenchError(f"py-spy wrote no profile: {stderr[-500:]}")
    return out


def top(path: Path, count: int) -> str:
    """The functions with the most samples on top of the stack (own) and anywhere in it (total)."""
    own: Counter[str] = Counter()
    total: Counter[str] = Counter()
    samples = 0
    for line in path.read_text().splitlines():
        stack, _, number = line.rpartition(" ")
        if not stack or not number.isdigit():
            continue
        n = int(number)
        frames = [f for f in stack.split(";") if f]
        # py-spy samples from the process start: leave out start-up (imports) and threads that
        # only wait, so the shares are of the time spent serving.
        if not frames or any(marker in stack for marker in _NOT_SERVING):
            continue
        samples += n
        own[_short(frames[-1])] += n
        for frame in {_short(f) for f in frames}:
            total[frame] += n
    lines = [f"{samples} samples while serving ({path.name})", "  own %   total %   function"]
    for name, n in own.most_common(count):
        lines.append(f"  {100 * n / samples:5.1f}   {100 * total[name] / samples:7.1f}   {name}")
    lines.append("  -- most total time (own %, total %):")
    # Frames under nearly every sample (the process, the server's loop) say nothing.
    inner = [(name, n) for name, n in total.most_common() if n < 0.95 * samples]
    for name, n in inner[:count]:
        lines.append(f"  {100 * own[name] / samples:5.1f}   {100 * n / samples:7.1f}   {name}")
    return "\n".join(lines)


_NOT_SERVING = ("<frozen importlib", "Condition.wait", "wait (threading.py")


def _short(frame: str) -> str:
    """``func (path/to/site-packages/pkg/mod.py:12)`` -> ``func (pkg/mod.py)``: lines merged."""
    name, _, where = frame.partition(" (")
    where = where.rstrip(")").rpartition(":")[0] or where.rstrip(")")
    for marker in ("site-packages/", "/lib/python3", str(ROOT) + "/"):
        if marker in where:
            where = where.split(marker, 1)[1]
    return f"{name} ({where})" if where else name


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench/profile.py", description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=["get", "post"], help="one load instead of both")
    parser.add_argument("--seconds", type=float, default=4.0, help="load time per profile")
    parser.add_argument("--concurrency", type=int, default=10)
    parser.add_argument("--rate", type=int, default=250, help="py-spy samples per second")
    parser.add_argument("--top", type=int, default=15, help="functions to print per table")
    parser.add_argument(
        "--server", choices=["uvicorn", "granian"], default="uvicorn", help="serve --server"
    )
    args = parser.parse_args(argv)
    if shutil.which("py-spy", path=str(BIN)) is None:
        print("profile: py-spy is not installed in the venv: run `make setup`", file=sys.stderr)
        return 1
    RESULTS.mkdir(parents=True, exist_ok=True)
    for load in [args.only] if args.only else ["get", "post"]:
        started = time.perf_counter()
        try:
            path = profile(load, args.seconds, args.concurrency, args.rate, args.server)
        except (BenchError, OSError, subprocess.SubprocessError) as exc:
            print(f"profile: {load} failed: {exc}", file=sys.stderr)
            return 1
        print(top(path, args.top))
        print(f"({time.perf_counter() - started:.1f} s)\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
