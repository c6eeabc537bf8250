"""The fastest possible answer to GET /v1/predictions/{id} on the mock's server stack.

A bare ASGI callable (no framework, no state) returning a fixed body the size of a real
prediction, served by the same uvicorn + httptools + uvloop as ``replicate-mock serve``.
Measured with the same load generator, it shows how much of the gap to a goal is the Python
server stack itself on this machine rather than the mock's own work.
"""

from __future__ import annotations

import orjson
from starlette.types import Receive, Scope, Send

_PREDICTION = {
    "id": "ufawqhfynnddngldkgtslldrkq",
    "model": "replicate/hello-world",
    "version": "5c7d5dc6dd8bf75c1acaa8565735e7986bc5b66206b55cca93cb72c9bf15ccaa",
    "input": {"text": "Alice"},
    "logs": "",
    "output": "hello Alice",
    "data_removed": False,
    "error": None,
    "status": "succeeded",
    "created_at": "2025-01-01T00:00:00.000000Z",
    "started_at": "2025-01-01T00:00:00.100000Z",
    "completed_at": "2025-01-01T00:00:00.200000Z",
    "urls": {
        "cancel": "http://127.0.0.1:8787/v1/predictions/ufawqhfynnddngldkgtslldrkq/cancel",
        "get": "http://127.0.0.1:8787/v1/predictions/ufawqhfynnddngldkgtslldrkq",
        "stream": "http://127.0.0.1:8787/v1/predictions/ufawqhfynnddngldkgtslldrkq/stream",
        "web": "https://replicate.com/p/ufawqhfynnddngldkgtslldrkq",
    },
    "metrics": {"predict_time": 0.1, "total_time": 0.2},
    "source": "api",
}
BODY = orjson.dumps(_PREDICTION)
HEADERS = [(b"content-type", b"application/json"), (b"content-length", str(len(BODY)).encode())]


async def app(scope: Scope, receive: Receive, send: Send) -> None:
    if scope["type"] != "http":
        return
    await send({"type": "http.response.start", "status": 200, "headers": HEADERS})
    await send({"type": "http.response.body", "body": BODY})
