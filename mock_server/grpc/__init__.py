"""gRPC adapter: every RPC of proto/replicate_kit/v1 served from the mock's HTTP pipeline."""

import os

# Before grpc is imported: its fork handlers can crash fork+exec children such as the test
# suite's subprocesses (grpc/grpc#43055); the mock never forks with gRPC state in use.
os.environ.setdefault("GRPC_ENABLE_FORK_SUPPORT", "false")

from mock_server.grpc.server import GrpcServer, build_server

__all__ = ["GrpcServer", "build_server"]
