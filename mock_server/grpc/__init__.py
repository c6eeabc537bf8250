"""gRPC adapter: every RPC of proto/replicate_kit/v1 served by the operation layer the HTTP routes use."""

import os

# Before grpc is imported: its fork handlers can crash fork+exec children such as the test
# suite's subprocesses (grpc/grpc#43055); the mock never forks with gRPC state in use.
os.environ.setdefault("GRPC_ENABLE_FORK_SUPPORT", "false")
# Also before grpc starts: accepted connections on the poller thread's own epoll (iomgr) instead
# of EventEngine's thread pool, which hands every read and write to another thread. A unary RPC
# then makes about 6 context switches in the server instead of 10, which on this kind of VM is
# most of its latency. Client channels keep EventEngine. A GRPC_EXPERIMENTS of the user's wins.
os.environ.setdefault(
    "GRPC_EXPERIMENTS", "-event_engine_listener,-event_engine_for_all_other_endpoints"
)

from mock_server.grpc.server import GrpcServer, build_server

__all__ = ["GrpcServer", "build_server"]
