"""`make gen` derives an operation's table row and RPC route from the schemas alone.

The generator runs on a copy of openapi/ and proto/ with one operation and one RPC added; nothing
hand-written is touched, yet the table row, the client codec's RPC and the mock's gRPC route of
the new operation all appear.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]

WIDGET_PROTO = """\
syntax = "proto3";

package replicate_kit.v1;

import "google/api/annotations.proto";
import "replicate_kit/v1/account.proto";

service WidgetService {
  rpc GetWidget(GetWidgetRequest) returns (GetWidgetResponse) {
    option (google.api.http) = {get: "/v1/widgets/{widget_id}"};
  }
}

message GetWidgetRequest {
  string widget_id = 1;
}

message GetWidgetResponse {
  Account account = 1;
}
"""

WIDGET_OPERATION = {
    "operationId": "widgets.get",
    "x-retry": "idempotent",
    "parameters": [
        {"name": "widget_id", "in": "path", "required": True, "schema": {"type": "string"}}
    ],
    "responses": {
        "200": {
            "description": "The widget.",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Account"}}},
        }
    },
}

# Run with the copy's generated packages first on the path: what the consumers read from them.
PROBE = """\
import json
from replicate_api_table import OPERATIONS
from replicate_kit._transport import grpc_codec
from mock_server.grpc.routes import ROUTES
op = OPERATIONS["widgets.get"]
codec = grpc_codec.OPERATIONS["widgets.get"]
request_cls, _ = grpc_codec.message_classes(codec)
print(json.dumps({
    "row": [op.method, op.path, op.retry, op.body, op.success, op.response_schema, op.paginated],
    "rpc": [op.rpc.name, op.rpc.template, [[f, list(p)] for f, p in op.rpc.path_fields]],
    "codec": [codec.path, codec.route, request_cls.DESCRIPTOR.full_name],
    "mock": [[r.method, r.path] for r in ROUTES["WidgetService.GetWidget"]],
}))
"""


@pytest.fixture(scope="module")
def derived(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[object]]:
    tmp = tmp_path_factory.mktemp("schemas")
    shutil.copytree(ROOT / "openapi", tmp / "openapi")
    shutil.copytree(ROOT / "proto", tmp / "proto")
    spec_path = tmp / "openapi" / "replicate.openapi.yaml"
    spec = yaml.safe_load(spec_path.read_text())
    spec["paths"]["/widgets/{widget_id}"] = {"get": WIDGET_OPERATION}
    spec_path.write_text(yaml.safe_dump(spec, sort_keys=False))
    (tmp / "proto" / "replicate_kit" / "v1" / "widgets.proto").write_text(WIDGET_PROTO)
    gen = [sys.executable, str(ROOT / "scripts" / "gen.py"), "--schemas", str(tmp)]
    steps = ["--only", "grpc", "--only", "table"]
    done = subprocess.run([*gen, "--out", str(tmp), *steps], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    env = {**os.environ, "PYTHONPATH": str(tmp / "generated" / "python")}
    probe = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, env=env, cwd=ROOT
    )
    assert probe.returncode == 0, probe.stderr
    result: dict[str, list[object]] = json.loads(probe.stdout)
    return result


def test_the_table_gets_a_row_for_the_new_operation(derived: dict[str, list[object]]) -> None:
    assert derived["row"] == [
        "GET",
        "/widgets/{widget_id}",
        "idempotent",
        "none",
        [200],
        "Account",
        False,
    ]
    assert derived["rpc"] == [
        "WidgetService.GetWidget",
        "/v1/widgets/{widget_id}",
        [["widget_id", ["widget_id"]]],
    ]


def test_client_and_mock_route_the_new_rpc(derived: dict[str, list[object]]) -> None:
    assert derived["codec"] == [
        "/replicate_kit.v1.WidgetService/GetWidget",
        "/widgets/{widget_id}",
        "replicate_kit.v1.GetWidgetRequest",
    ]
    assert derived["mock"] == [["GET", "/v1/widgets/{widget_id}"]]


def test_an_operation_without_x_retry_is_a_clear_generator_error(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "openapi", tmp_path / "openapi")
    shutil.copytree(ROOT / "proto", tmp_path / "proto")
    spec_path = tmp_path / "openapi" / "replicate.openapi.yaml"
    spec = yaml.safe_load(spec_path.read_text())
    del spec["paths"]["/account"]["get"]["x-retry"]
    spec_path.write_text(yaml.safe_dump(spec, sort_keys=False))
    gen = [sys.executable, str(ROOT / "scripts" / "gen.py"), "--schemas", str(tmp_path)]
    done = subprocess.run(
        [*gen, "--out", str(tmp_path), "--only", "table"], capture_output=True, text=True
    )
    assert done.returncode != 0
    assert "account.get: x-retry must be one of idempotent, never, reconcile" in done.stderr
    assert "Traceback" not in done.stderr
