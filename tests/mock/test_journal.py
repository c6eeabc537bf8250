"""The journal keeps an instant per entry and formats it when read."""

from __future__ import annotations

from mock_server.engine.clock import isoformat
from mock_server.engine.journal import Journal


def test_noted_instants_read_back_as_the_iso_text_recorded_ones_carry() -> None:
    journal = Journal()
    instant = 1735689600.123456
    journal.record("GET", "/v1/account", "", 200, "alice", isoformat(instant))
    journal.note("POST", "/v1/predictions", "a=1", 201, None, instant)
    first, second = journal.query()
    assert first["at"] == second["at"] == "2025-01-01T00:00:00.123456Z"
    assert second == {
        "seq": 2,
        "method": "POST",
        "path": "/v1/predictions",
        "query": "a=1",
        "status": 201,
        "account": None,
        "at": "2025-01-01T00:00:00.123456Z",
    }
    assert [e["seq"] for e in journal.query(method="post", path="/v1/pred*")] == [2]
    second["status"] = 500  # a copy: the journal is unchanged
    assert journal.query()[1]["status"] == 201


def test_the_journal_keeps_its_last_entries() -> None:
    journal = Journal(limit=2)
    for n in range(3):
        journal.note("GET", f"/v1/{n}", "", 200, None, float(n))
    assert [e["path"] for e in journal.query()] == ["/v1/1", "/v1/2"]
