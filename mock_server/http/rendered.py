"""Bodies of finished predictions, rendered and encoded once.

A terminal job no longer changes, so its wire form depends only on the root URL it is rendered
under. Polling a finished prediction is the commonest request a client makes; reusing the dict
(for gRPC) and its JSON bytes (for HTTP) takes rendering and encoding out of it. An entry is
used only for the very job object it was made from (``is``), so a reset engine whose seeded ids
repeat never sees another engine's bodies.
"""

from __future__ import annotations

from typing import Any

import orjson

from mock_server.engine.jobs import Job
from mock_server.engine.render import render_prediction

MAX_ENTRIES = 4096

_CACHE: dict[tuple[str, str], tuple[Job, dict[str, Any], bytes]] = {}


def prediction(job: Job, root: str) -> tuple[dict[str, Any], bytes | None]:
    """The prediction's body, and its JSON bytes when it is final (None while it runs)."""
    if not job.terminal:
        return render_prediction(job, root), None
    key = (job.id, root)
    hit = _CACHE.get(key)
    if hit is not None and hit[0] is job:
        return hit[1], hit[2]
    body = render_prediction(job, root)
    raw = orjson.dumps(body)
    if len(_CACHE) >= MAX_ENTRIES:
        _CACHE.clear()  # bounded; the next polls refill what is still read
    _CACHE[key] = (job, body, raw)
    return body, raw
