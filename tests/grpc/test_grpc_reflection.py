"""Server reflection (what grpcurl `list`/`describe` use) and health checking are on."""

from __future__ import annotations

from typing import Any

import grpc
from google.protobuf.descriptor_pool import DescriptorPool
from grpc_health.v1 import health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha.proto_reflection_descriptor_database import (
    ProtoReflectionDescriptorDatabase,
)

SERVICES = {
    f"replicate_kit.v1.{name}"
    for name in (
        "AccountService",
        "CollectionService",
        "DeploymentService",
        "FileService",
        "HardwareService",
        "ModelService",
        "PredictionService",
        "SearchService",
        "TrainingService",
        "WebhookService",
    )
}


def test_reflection_lists_and_describes_every_service(replicate_mock: Any) -> None:
    with grpc.insecure_channel(replicate_mock.grpc_target) as channel:
        database = ProtoReflectionDescriptorDatabase(channel)
        listed = set(database.get_services())
        assert listed >= SERVICES
        assert "grpc.health.v1.Health" in listed
        assert "grpc.reflection.v1alpha.ServerReflection" in listed
        # `describe`: the descriptors come from the server, not from local stubs.
        pool = DescriptorPool(database)
        service = pool.FindServiceByName("replicate_kit.v1.PredictionService")
        methods = {m.name: m for m in service.methods}
        assert set(methods) == {
            "CreatePrediction",
            "GetPrediction",
            "ListPredictions",
            "CancelPrediction",
            "StreamPrediction",
        }
        assert methods["StreamPrediction"].server_streaming
        request = pool.FindMessageTypeByName("replicate_kit.v1.CreatePredictionRequest")
        assert {"version", "model", "deployment", "input"} <= set(request.fields_by_name)


def test_health_reports_serving(replicate_mock: Any) -> None:
    with grpc.insecure_channel(replicate_mock.grpc_target) as channel:
        health = health_pb2_grpc.HealthStub(channel)
        serving = health_pb2.HealthCheckResponse.SERVING
        assert health.Check(health_pb2.HealthCheckRequest()).status == serving
        for name in SERVICES:
            assert health.Check(health_pb2.HealthCheckRequest(service=name)).status == serving
