"""Time N sequential ``predictions.get`` calls through one client, in a fresh interpreter.

    python bench/client_loop.py KIND BASE_URL TOKEN PREDICTION_ID N

KIND is ``kit`` (replicate_kit), ``official`` (the ``replicate`` package) or ``httpx`` (raw
httpx plus ``.json()``: the floor any client built on httpx pays). Each client makes a few
untimed calls first so connection setup and lazy imports are not counted. Prints one JSON object
with the wall time (what a caller waits, server included) and this process's CPU time (the
client's own cost, which other load on the machine disturbs less).
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable
from typing import Any


def _caller(kind: str, base_url: str, token: str) -> Callable[[str], Any]:
    if kind == "kit":
        import replicate_kit

        kit = replicate_kit.Client(token, base_url=base_url)
        return lambda pid: kit.predictions.get(pid)
    if kind == "official":
        from replicate.client import Client as OfficialClient

        official = OfficialClient(api_token=token, base_url=base_url)
        return lambda pid: official.predictions.get(pid)
    if kind == "httpx":
        import httpx

        raw = httpx.Client(base_url=base_url, headers={"Authorization": f"Bearer {token}"})
        return lambda pid: raw.get(f"/v1/predictions/{pid}").json()
    raise SystemExit(f"unknown client kind {kind!r}")


def time_calls(
    kind: str, base_url: str, token: str, prediction_id: str, count: int
) -> dict[str, Any]:
    call = _caller(kind, base_url, token)
    for _ in range(min(20, count)):
        call(prediction_id)
    result: Any = None
    cpu_started = time.process_time()
    started = time.perf_counter()
    for _ in range(count):
        result = call(prediction_id)
    elapsed = time.perf_counter() - started
    cpu = time.process_time() - cpu_started
    status = result["status"] if isinstance(result, dict) else result.status
    return {"kind": kind, "calls": count, "seconds": elapsed, "cpu_seconds": cpu, "status": status}


def main(argv: list[str]) -> int:
    kind, base_url, token, prediction_id, count = argv[1:6]
    print(json.dumps(time_calls(kind, base_url, token, prediction_id, int(count))))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
