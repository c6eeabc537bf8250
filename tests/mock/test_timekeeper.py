"""One module decides when the mock's clock moves; responses tell the mock's time in ``Date``."""

from __future__ import annotations

import re
from email.utils import parsedate_to_datetime
from pathlib import Path

import httpx

from mock_server import MockServer

ADAPTERS = Path(__file__).parents[2] / "mock_server"
# Moving the clock, or choosing how long to wait for it, outside the engine's timekeeper.
_MOVES_TIME = re.compile(
    r"clock\.(advance|advance_to|real_seconds)\(|\.jump_to_next_|engine\.advance\(|clock\.mode =="
)


def test_no_adapter_decides_when_the_clock_moves() -> None:
    sources = [
        *sorted((ADAPTERS / "http").glob("*.py")),
        *sorted((ADAPTERS / "grpc").glob("*.py")),
        ADAPTERS / "server.py",
        ADAPTERS / "control.py",
    ]
    offenders = [
        f"{path.relative_to(ADAPTERS)}:{number}: {line.strip()}"
        for path in sources
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if _MOVES_TIME.search(line)
    ]
    assert offenders == []


def test_date_header_follows_the_mock_clock() -> None:
    with MockServer(clock="virtual") as server, httpx.Client(base_url=server.url) as client:
        first = client.get("/_mock/health")
        server.control.advance(86_400 + 61)
        second = client.get("/v1/account", headers={"Authorization": "Bearer r8_date"})
        now = server.control.now()
    assert len(first.headers.get_list("date")) == 1
    assert len(second.headers.get_list("date")) == 1
    before = parsedate_to_datetime(first.headers["date"]).timestamp()
    after = parsedate_to_datetime(second.headers["date"]).timestamp()
    assert after - before == 86_400 + 61
    assert after == int(now)
