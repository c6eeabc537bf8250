"""The official Python client (replicate==1.0.7), configured only through the environment
(REPLICATE_BASE_URL, REPLICATE_API_TOKEN), runs its public API against the served mock.

It runs in a fresh interpreter because the official client builds its module-level default
client once per process.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from mock_server.pytest_plugin import MockHandle

SCRIPT = Path(__file__).with_name("official_client_script.py")


def run_script(handle: MockHandle, *parts: str) -> dict[str, Any]:
    env = {
        **os.environ,
        "REPLICATE_API_TOKEN": handle.token,
        "REPLICATE_BASE_URL": handle.url,  # the official client adds /v1 itself
        "REPLICATE_POLL_INTERVAL": "0.01",
    }
    done = subprocess.run(
        [sys.executable, str(SCRIPT), *parts],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def test_official_client_module_api_against_the_served_mock(replicate_mock: MockHandle) -> None:
    seen = run_script(replicate_mock, "core")
    assert seen["run"] == "hello env"
    assert seen["stream"] and seen["stream"] == seen["run_llm"]
    assert seen["created_status"] in ("starting", "processing")
    assert seen["get"] == [True, "succeeded", "hello poll"]
    assert seen["cancel"] == "canceled"
    assert seen["hardware"][0] == "cpu"
    assert seen["deployment"] == [1, "succeeded", "hello dep"]
    assert seen["deployment_release"] == 2
    assert seen["file"] == [10, "text/plain", True]
    routes = replicate_mock.control.create_counts()
    assert routes["deployments.predictions.create"] >= 1


def test_official_client_trainings(replicate_mock: MockHandle) -> None:
    seen = run_script(replicate_mock, "trainings")
    started, finished, output_names_new_version, has_version = seen["training"]
    assert started in ("starting", "processing")
    assert (finished, output_names_new_version, has_version) == ("succeeded", True, True)


def test_official_client_webhooks_validate(replicate_mock: MockHandle) -> None:
    seen = run_script(replicate_mock, "webhooks")
    assert seen["webhook"] == [1, "succeeded", "whsec_", "InvalidSignatureError"]
