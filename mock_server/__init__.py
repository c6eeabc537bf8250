"""A stateful, deterministic mock of the Replicate HTTP API.

from mock_server import MockServer
with MockServer(seed=1) as server:   # uvicorn on 127.0.0.1, free port, clock "auto"
    ...  # point a client at server.api_url with any token
"""

from mock_server.control import Control
from mock_server.server import MockServer

__all__ = ["Control", "MockServer"]
