"""Transports: how calls reach the API. ``base`` is the protocol; ``http`` and ``grpc`` implement it."""

import os

# grpcio's C core restarts its poller thread in a forked child; when the child then closes its
# file descriptors before exec (subprocess.Popen(close_fds=True), pexpect), the poller can crash
# it first (grpc/grpc#43055). This client never forks with gRPC state in use, so unless the
# application chose otherwise, gRPC's fork handlers stay off. Set here, before grpc is imported.
os.environ.setdefault("GRPC_ENABLE_FORK_SUPPORT", "false")
