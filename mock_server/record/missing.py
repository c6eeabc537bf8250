"""``--record-missing``: what no recording answers goes to the upstream and is recorded.

An ASGI router in front of the mock. A create request the mock would refuse for want of a
recording (a cassette model with no matching entry, or a model the mock does not know) is sent
through the recording proxy instead; the client then follows that job (get, cancel, stream,
output files) through the proxy too. Once the job is terminal its entry is appended to the
cassette and installed, so the same request replays from then on (VCR's "new episodes").
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import orjson

from mock_server.engine.errors import ApiError
from mock_server.record.cassette import Cassette
from mock_server.record.recorder import Recorder, create_kind
from mock_server.record.replay import Replay, ReplayRunner

if TYPE_CHECKING:
    from mock_server.engine.catalogue import Version
    from mock_server.engine.core import Engine

Scope = dict[str, Any]
_FOLLOW_UP = re.compile(r"^/(?:v1/(?:predictions|trainings)|delivery)/([^/]+)")
_TRAINING = re.compile(r"^/v1/models/([^/]+)/([^/]+)/versions/([^/]+)/trainings$")
_MODEL_PREDICTION = re.compile(r"^/v1/models/([^/]+)/([^/]+)/predictions$")


class RecordMissing:
    def __init__(self, mock_app: Any, engine: Engine, replay: Replay, upstream: str) -> None:
        self.mock_app = mock_app
        self.engine = engine
        self.replay = replay
        self.cassette: Cassette = replay.cassettes[0]
        self.recorder = Recorder(upstream, self.cassette, on_entry=self._recorded)
        self.recorder.on_created = self._forwarded_ids_add
        self._forwarded: set[str] = set()

    def _forwarded_ids_add(self, job_id: str) -> None:
        self._forwarded.add(job_id)

    def _recorded(self, name: str, entry: dict[str, Any]) -> None:
        self.replay.add_entry(self.cassette, name, entry)

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.mock_app(scope, receive, send)
            return
        path: str = scope["path"]
        follow_up = _FOLLOW_UP.match(path)
        if follow_up and follow_up.group(1) in self._forwarded:
            await self.recorder.app(scope, receive, send)
            return
        if scope["method"] != "POST" or create_kind(path) is None:
            await self.mock_app(scope, receive, send)
            return
        body = await _read_body(receive)
        replayed = _replaying(body)
        target = self.mock_app if self._answered_here(path, body, scope) else self.recorder.app
        await target(scope, replayed, send)

    def _answered_here(self, path: str, body: bytes, scope: Scope) -> bool:
        """Whether the mock answers this create itself (a recording matches, the model is the
        mock's own, or the request is invalid in a way the mock reports anyway)."""
        try:
            data = orjson.loads(body) if body else {}
        except orjson.JSONDecodeError:
            return True
        if not isinstance(data, dict):
            return True
        with self.engine.lock:
            version, training = self._target(path, data)
        if version is None:
            return path.startswith("/v1/deployments/")
        runner = version.training_runner if training else version.runner
        validator = version.training_validator if training else version.validator
        if not isinstance(runner, ReplayRunner) or validator is None:
            return True
        try:
            validator.validate(data.get("input", {}))
        except ApiError as exc:
            return exc.title != "No matching recording"
        return True

    def _target(self, path: str, data: dict[str, Any]) -> tuple[Version | None, bool]:
        try:
            if found := _TRAINING.match(path):
                owner, name, version_id = found.groups()
                model = self.engine.get_model(owner, name, None)
                return next((v for v in model.versions if v.id == version_id), None), True
            if found := _MODEL_PREDICTION.match(path):
                owner, name = found.groups()
                model = self.engine.get_model(owner, name, None)
                return model.latest_version, False
            if path == "/v1/predictions":
                return self.engine.resolve_version(str(data.get("version", "")), None)[1], False
        except ApiError:
            pass
        return None, False


async def _read_body(receive: Any) -> bytes:
    chunks: list[bytes] = []
    while True:
        message = await receive()
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            return b"".join(chunks)


def _replaying(body: bytes) -> Any:
    sent = False

    async def receive() -> dict[str, Any]:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return {"type": "http.disconnect"}

    return receive
