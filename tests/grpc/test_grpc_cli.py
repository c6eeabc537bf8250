"""`replicate-mock serve --grpc-port`: both protocols from one process, on one engine."""

from __future__ import annotations

import re
import signal
import subprocess
import sys

import httpx

import replicate_kit

SERVE = [sys.executable, "-m", "mock_server", "serve"]
HELLO = "replicate/hello-world:5c7d5dc6dd8bf75c1acaa8565735e7986bc5b66206b55cca93cb72c9bf15ccaa"


def test_serve_with_grpc_port_serves_both_protocols() -> None:
    process = subprocess.Popen(
        [*SERVE, "--port", "0", "--grpc-port", "0", "--clock", "auto", "--token", "r8_cli_token"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        http_line = process.stdout.readline()
        grpc_line = process.stdout.readline()
        base = re.search(r"REPLICATE_BASE_URL=(\S+)", http_line)
        target = re.search(r"REPLICATE_GRPC_TARGET=(\S+)", grpc_line)
        assert base and target, (http_line, grpc_line)
        with replicate_kit.Client(
            "r8_cli_token", transport="grpc", grpc_target=target.group(1), base_url=base.group(1)
        ) as client:
            prediction = client.predictions.create(
                version=HELLO.split(":")[1], input={"text": "cli"}, wait=True
            )
            assert prediction.output == "hello cli"
        # The prediction made over gRPC is visible over HTTP: one engine behind both.
        headers = {"Authorization": "Bearer r8_cli_token"}
        with httpx.Client(base_url=base.group(1) + "/v1", headers=headers, timeout=10) as http:
            assert http.get(f"/predictions/{prediction.id}").json()["output"] == "hello cli"
    finally:
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=10)
    assert process.returncode == 0, err
    assert "stopped" in out
