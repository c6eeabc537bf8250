"""Both transports offer the same operations, and the gRPC server serves every RPC.

The mapping tests/schema/test_parity.py reads from the descriptors (HTTP operation -> RPC, by
each RPC's `google.api.http` binding) is the reference: an
operation the HTTP transport can send but the gRPC transport cannot (or the reverse), a client
table that names another RPC or route than the contract, or an RPC the server does not
register, fails here.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

import grpc
import pytest
import yaml
from google.protobuf import descriptor_pool, message_factory
from replicate_api_table import OPERATIONS as TABLE

from mock_server.grpc import routes as server_routes
from mock_server.grpc.service import services
from replicate_kit._transport import grpc_codec

ROOT = Path(__file__).resolve().parents[2]
SPEC: dict[str, Any] = yaml.safe_load((ROOT / "openapi" / "replicate.openapi.yaml").read_text())


def _reference_table() -> dict[str, str]:
    path = ROOT / "tests" / "schema" / "test_parity.py"
    spec = importlib.util.spec_from_file_location("_schema_parity_table", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    table: dict[str, str] = module.OPERATION_TO_RPC
    return table


OPERATION_TO_RPC = _reference_table()
# operationId -> (HTTP method, path under /v1); QUERY is the spec's x-query extension.
HTTP_OPERATIONS: dict[str, tuple[str, str]] = {
    op["operationId"]: ("QUERY" if method == "x-query" else method.upper(), path)
    for path, item in SPEC["paths"].items()
    for method, op in item.items()
    if isinstance(op, dict) and "operationId" in op
}


def test_every_operation_exists_on_both_transports() -> None:
    http_ops = {op.id for op in TABLE.values()}  # the HTTP transport builds requests from it
    grpc_ops = set(grpc_codec.OPERATIONS)
    assert sorted(http_ops - grpc_ops) == [], "operations the gRPC transport cannot send"
    assert sorted(grpc_ops - http_ops) == [], "operations the HTTP transport cannot send"
    assert http_ops == set(HTTP_OPERATIONS) == set(OPERATION_TO_RPC)


@pytest.mark.parametrize("op", sorted(OPERATION_TO_RPC))
def test_client_operation_is_the_contract_rpc_and_route(op: str) -> None:
    entry = grpc_codec.OPERATIONS[op]
    assert f"{entry.service}.{entry.method}" == OPERATION_TO_RPC[op]
    assert entry.route == HTTP_OPERATIONS[op][1]
    request_cls, response_cls = grpc_codec.message_classes(entry)
    assert request_cls.DESCRIPTOR.full_name.startswith("replicate_kit.v1.")
    assert response_cls.DESCRIPTOR.full_name.startswith("replicate_kit.v1.")


def test_server_routes_every_rpc_to_its_http_operation() -> None:
    registered = {f"{s.name}.{m.name}" for s in services() for m in s.methods}
    assert registered == set(server_routes.ROUTES) == set(OPERATION_TO_RPC.values())
    for op, rpc in OPERATION_TO_RPC.items():
        method, path = HTTP_OPERATIONS[op]
        routes = {(r.method, r.path) for r in server_routes.ROUTES[rpc]}
        assert (method, "/v1" + path) in routes, op
    # One route per binding: CreatePrediction's target oneof picks one of its three.
    assert sum(len(r) for r in server_routes.ROUTES.values()) == len(OPERATION_TO_RPC)


def test_server_answers_every_rpc(replicate_mock: Any) -> None:
    """Each RPC reaches its HTTP operation: nothing answers UNIMPLEMENTED."""
    pool = descriptor_pool.Default()
    auth = (("authorization", f"Bearer {replicate_mock.token}"),)
    unimplemented = []
    with grpc.insecure_channel(replicate_mock.grpc_target) as channel:
        for service in services():
            for method in service.methods:
                descriptor = pool.FindMethodByName(f"{service.full_name}.{method.name}")
                request_cls = message_factory.GetMessageClass(descriptor.input_type)
                response_cls = message_factory.GetMessageClass(descriptor.output_type)
                path = f"/{service.full_name}/{method.name}"
                kwargs: dict[str, Any] = {
                    "request_serializer": request_cls.SerializeToString,
                    "response_deserializer": response_cls.FromString,
                }
                try:
                    if method.server_streaming:
                        call = channel.unary_stream(path, **kwargs)
                        list(call(request_cls(), metadata=auth, timeout=10))
                    else:
                        channel.unary_unary(path, **kwargs)(
                            request_cls(), metadata=auth, timeout=10
                        )
                except grpc.RpcError as error:
                    if error.code() == grpc.StatusCode.UNIMPLEMENTED:  # type: ignore[attr-defined]
                        unimplemented.append(path)
    assert unimplemented == []
