"""The pytest plugin's cassette options: the mock fixtures serve the recorded models.

(The options are read through the plugin's own helper with a stand-in config: a nested pytest
run would cost seconds of start-up for the same check.)
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from mock_server import MockServer
from mock_server.pytest_handle import with_cassettes
from tests.record.conftest import Recorded


class _Config:
    def __init__(self, ini: dict[str, Any], options: dict[str, Any]) -> None:
        self.ini, self.options = ini, options

    def getini(self, name: str) -> Any:
        return self.ini[name]

    def getoption(self, name: str) -> Any:
        return self.options[name]


@pytest.mark.parametrize("where", ["ini", "command line"])
def test_cassettes_option_installs_them(recorded: Recorded, where: str) -> None:
    folders: list[Path] = [recorded.folder]
    ini = {
        "replicate_mock_cassettes": folders if where == "ini" else [],
        "replicate_mock_match": "exact",
    }
    options = {
        "--replicate-cassettes": [str(recorded.folder)] if where != "ini" else [],
        "--replicate-match": "ignore:topic",
    }
    server = with_cassettes(MockServer(seed=0), _Config(ini, options))  # type: ignore[arg-type]
    catalogue = server.engine.catalogue
    story = catalogue.get("acme", "story")
    assert story is not None and catalogue.get("mock", "echo") is not None
    assert story.latest_version is not None
    assert str(story.latest_version.runner.matching) == "ignore:topic"  # type: ignore[attr-defined]
    server.engine.reset()  # survives a reset, as fixtures do
    assert catalogue is not server.engine.catalogue
    assert server.engine.catalogue.get("acme", "story") is not None


def test_no_option_no_cassette() -> None:
    config = _Config(
        {"replicate_mock_cassettes": [], "replicate_mock_match": "exact"},
        {"--replicate-cassettes": [], "--replicate-match": None},
    )
    server = with_cassettes(MockServer(seed=0), config)  # type: ignore[arg-type]
    assert server.engine.catalogue.get("acme", "story") is None
    assert not server.engine.config.extensions
