"""gRPC adapter: every RPC of proto/replicate_kit/v1 served from the mock's HTTP pipeline."""

from mock_server.grpc.server import GrpcServer, build_server

__all__ = ["GrpcServer", "build_server"]
