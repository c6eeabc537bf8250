"""The recording proxy: forwards every request to the upstream and writes a cassette.

Clients talk to the proxy exactly as to the API (URLs in responses are rewritten to point back
at it). A created prediction or training is then followed by the recorder itself, with the
client's token held in memory only: it reads the event stream, polls until the job is terminal,
downloads the output files (size-capped) and fetches the version's schema, then writes one
redacted entry. Model, version, account and file responses that pass through are kept too.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import threading
import time
from collections.abc import Callable
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import urlsplit

import httpx
import orjson
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from starlette.routing import Route

from mock_server.engine.clock import parse_iso
from mock_server.record.cassette import Cassette
from mock_server.record.redact import Redactor

DEFAULT_MAX_FILE_SIZE = 10 * 1024 * 1024
TERMINAL = frozenset({"succeeded", "failed", "canceled", "aborted"})
_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "QUERY"]
_HOP = frozenset(
    {"host", "content-length", "connection", "keep-alive", "transfer-encoding", "upgrade",
     "content-encoding", "accept-encoding"}
)  # fmt: skip
_CREATES = (
    (re.compile(r"^/v1/predictions$"), "prediction"),
    (re.compile(r"^/v1/models/[^/]+/[^/]+/predictions$"), "prediction"),
    (re.compile(r"^/v1/deployments/[^/]+/[^/]+/predictions$"), "prediction"),
    (re.compile(r"^/v1/models/[^/]+/[^/]+/versions/[^/]+/trainings$"), "training"),
)
_MODEL = re.compile(r"^/v1/models/([^/]+)/([^/]+)$")
_VERSION = re.compile(r"^/v1/models/([^/]+)/([^/]+)/versions/([^/]+)$")
_NOT_EXCHANGES = re.compile(r"^/v1/(predictions|trainings)(/|$)|/stream$")

OnEntry = Callable[[str, dict[str, Any]], None]


def create_kind(path: str) -> str | None:
    """``prediction``/``training`` when ``POST path`` creates one, else None."""
    return next((kind for pattern, kind in _CREATES if pattern.match(path)), None)


def upstream_root(upstream: str) -> str:
    """The upstream's origin and path prefix without ``/v1`` (clients add it themselves)."""
    root = upstream.rstrip("/")
    return root[: -len("/v1")] if root.endswith("/v1") else root


class Recorder:
    def __init__(
        self,
        upstream: str,
        cassette: Cassette,
        *,
        max_file_size: int = DEFAULT_MAX_FILE_SIZE,
        poll_interval: float = 0.05,
        max_follow: float = 3600.0,
        on_entry: OnEntry | None = None,
    ) -> None:
        parts = urlsplit(upstream)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError(f"--upstream must be an http(s) URL, not {upstream!r}")
        self.upstream = upstream_root(upstream)
        self.cassette = cassette
        self.redactor = Redactor()
        self.max_file_size = max_file_size
        self.poll_interval = poll_interval
        self.max_follow = max_follow
        self.on_entry = on_entry
        # Told each job id the proxy starts following (before the client sees it).
        self.on_created: Callable[[str], None] | None = None
        self.recorded: list[str] = []
        self.errors: list[str] = []
        self._client: httpx.AsyncClient | None = None
        self._busy = 0
        self._idle = threading.Condition()
        self._tasks: set[asyncio.Task[None]] = set()
        self.app = Starlette(routes=[Route("/{path:path}", self.forward, methods=_METHODS)])

    # ------------------------------------------------------------------- proxy
    @property
    def client(self) -> httpx.AsyncClient:
        # Made on first use, inside the serving loop that then owns its connections.
        if self._client is None:
            self._client = httpx.AsyncClient(timeout=httpx.Timeout(60.0, read=None))
        return self._client

    async def forward(self, request: Request) -> Response:
        body = await request.body()
        auth = request.headers.get("authorization")
        self.redactor.add_authorization(auth)
        headers = {k: v for k, v in request.headers.items() if k.lower() not in _HOP}
        path = request.url.path
        url = self.upstream + path + (f"?{request.url.query}" if request.url.query else "")
        here = f"{request.url.scheme}://{request.url.netloc}"
        started = time.monotonic()
        try:
            upstream = await self.client.send(
                self.client.build_request(request.method, url, headers=headers, content=body),
                stream=True,
            )
        except httpx.HTTPError as exc:
            return _problem(502, "Upstream unreachable", f"{self.upstream}: {type(exc).__name__}")
        out_headers = {k: v for k, v in upstream.headers.items() if k.lower() not in _HOP}
        if "text/event-stream" in upstream.headers.get("content-type", ""):
            return StreamingResponse(self._relay(upstream, here), upstream.status_code, out_headers)
        content = await upstream.aread()
        await upstream.aclose()
        try:
            self._observe(request.method, path, body, upstream, content, auth, started)
        except Exception as exc:  # a recording problem must not break the client's call
            self.errors.append(f"{request.method} {path}: {type(exc).__name__}: {exc}")
        rewritten = content.replace(self.upstream.encode(), here.encode())
        return Response(rewritten, upstream.status_code, out_headers)

    async def _relay(self, upstream: httpx.Response, here: str) -> Any:
        try:
            async for line in upstream.aiter_lines():
                yield (line.replace(self.upstream, here) + "\n").encode()
        finally:
            await upstream.aclose()

    def _observe(
        self,
        method: str,
        path: str,
        body: bytes,
        upstream: httpx.Response,
        content: bytes,
        auth: str | None,
        started: float,
    ) -> None:
        if not upstream.is_success or "json" not in upstream.headers.get("content-type", ""):
            return
        data = orjson.loads(content) if content else None
        kind = create_kind(path) if method == "POST" else None
        if kind is not None and isinstance(data, dict) and data.get("id"):
            request = orjson.loads(body) if body else {}
            if self.on_created is not None:
                self.on_created(str(data["id"]))
            self._start(self._follow(kind, request, data, auth, started))
            return
        if method != "GET" or not isinstance(data, dict):
            return
        if path == "/v1/webhooks/default/secret":
            self.redactor.add_secret(data.get("key"))
        if found := _MODEL.match(path):
            owner, name = found.groups()
            self.cassette.save_model(self.redactor.value(data), owner, name, None)
        elif found := _VERSION.match(path):
            owner, name, _ = found.groups()
            self.cassette.save_model(None, owner, name, self.redactor.value(data))
        elif not _NOT_EXCHANGES.search(path):
            exchange = {"method": method, "path": path, "status": upstream.status_code}
            self.cassette.append_exchange(
                method, path, self.redactor.value({**exchange, "body": data})
            )

    # -------------------------------------------------------------- followers
    def _start(self, work: Any) -> None:
        with self._idle:
            self._busy += 1
        task = asyncio.get_running_loop().create_task(work)
        self._tasks.add(task)
        task.add_done_callback(self._done)

    def _done(self, task: asyncio.Task[None]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            error = task.exception()
            self.errors.append(f"following a job: {type(error).__name__}: {error}")
        with self._idle:
            self._busy -= 1
            self._idle.notify_all()

    def drain(self, timeout: float = 30.0) -> bool:
        """Wait (from another thread) until every followed job is written; False on timeout."""
        with self._idle:
            return self._idle.wait_for(lambda: self._busy == 0, timeout)

    async def _follow(
        self,
        kind: str,
        request: dict[str, Any],
        created: dict[str, Any],
        auth: str | None,
        t0: float,
    ) -> None:
        headers = {"Authorization": auth} if auth else {}
        follow = _Follow(t0)
        follow.see(created)
        urls = created.get("urls") or {}
        async with asyncio.timeout(self.max_follow):
            if isinstance(urls.get("stream"), str) and created.get("status") not in TERMINAL:
                await self._read_stream(urls["stream"], headers, follow)
            get_url = urls.get("get") or f"{self.upstream}/v1/{kind}s/{created['id']}"
            # At least one read: a response held by ``Prefer: wait`` may carry its files
            # inline as data: URIs, a read shows them as the URLs to download.
            while True:
                response = await self.client.get(get_url, headers=headers)
                response.raise_for_status()
                final = response.json()
                follow.see(final)
                if final.get("status") in TERMINAL:
                    break
                await asyncio.sleep(self.poll_interval)
        files = await self._download(final.get("output"), headers)
        await self._save_version(final, headers)
        entry = follow.entry(kind, request, final, files)
        entry = self.redactor.value(entry)
        name = self.cassette.append_entry(entry)
        self.recorded.append(name)
        if self.on_entry is not None:
            self.on_entry(name, entry)

    async def _read_stream(self, url: str, headers: dict[str, str], follow: _Follow) -> None:
        sse_headers = {**headers, "Accept": "text/event-stream", "Cache-Control": "no-store"}
        async with self.client.stream("GET", url, headers=sse_headers) as response:
            if response.status_code != 200:
                return
            event, data = "message", []
            async for line in response.aiter_lines():
                if line.startswith("event:"):
                    event = line[6:].strip()
                elif line.startswith("data:"):
                    data.append(line[5:].removeprefix(" "))
                elif not line:
                    if data:
                        follow.event(event, "\n".join(data))
                        if event == "done":
                            return
                    event, data = "message", []

    async def _download(self, output: Any, headers: dict[str, str]) -> dict[str, Any]:
        files: dict[str, Any] = {}
        for url in _urls(output):
            if url in files:
                continue
            # The token goes to the API's own origin only, never to a file host.
            same_origin = urlsplit(url).netloc == urlsplit(self.upstream).netloc
            async with self.client.stream(
                "GET", url, headers=headers if same_origin else {}
            ) as got:
                if got.status_code != 200:
                    files[url] = {"skipped": f"HTTP {got.status_code}"}
                    continue
                chunks: list[bytes] = []
                size = 0
                async for chunk in got.aiter_bytes():
                    size += len(chunk)
                    if size > self.max_file_size:
                        break
                    chunks.append(chunk)
                if size > self.max_file_size:
                    files[url] = {"skipped": f"larger than {self.max_file_size} bytes"}
                    continue
                data = b"".join(chunks)
                files[url] = {
                    "sha256": self.cassette.put_file(data),
                    "name": PurePosixPath(urlsplit(url).path).name or "output",
                    "content_type": got.headers.get("content-type", "application/octet-stream"),
                    "size": len(data),
                }
        return files

    async def _save_version(self, job: dict[str, Any], headers: dict[str, str]) -> None:
        owner, _, name = str(job.get("model", "")).partition("/")
        version = job.get("version")
        if not owner or not name or not isinstance(version, str):
            return
        if self.cassette.has_version(owner, name, version):
            return
        base = f"{self.upstream}/v1/models/{owner}/{name}"
        model = await self.client.get(base, headers=headers)
        got = await self.client.get(f"{base}/versions/{version}", headers=headers)
        self.cassette.save_model(
            self.redactor.value(model.json()) if model.is_success else None,
            owner,
            name,
            self.redactor.value(got.json()) if got.is_success else None,
        )

    async def aclose(self) -> None:
        if self._client is not None:
            await self._client.aclose()


class _Follow:
    """What the recorder saw of one job, in wall seconds since the create request was sent."""

    def __init__(self, t0: float) -> None:
        self.t0 = t0
        self.states: list[dict[str, Any]] = []
        self.events: list[dict[str, Any]] = []
        self.log_times: list[float] = []
        self.output_times: list[float] = []
        self.done_at: float | None = None

    def now(self) -> float:
        return time.monotonic() - self.t0

    def see(self, job: dict[str, Any]) -> None:
        at = self.now()
        status = job.get("status")
        if not self.states or self.states[-1]["status"] != status:
            self.states.append({"status": status, "at": at})
        if status in TERMINAL and self.done_at is None:
            self.done_at = at
        lines = str(job.get("logs") or "").splitlines()
        self.log_times += [at] * max(0, len(lines) - len(self.log_times))
        output = job.get("output")
        if isinstance(output, list) and status not in TERMINAL:
            self.output_times += [at] * max(0, len(output) - len(self.output_times))

    def event(self, event: str, data: str) -> None:
        at = self.now()
        self.events.append({"at": at, "event": event, "data": data})
        if event == "logs":
            self.log_times += [at] * max(1, len(data.splitlines()))
        elif event == "output":
            self.output_times.append(at)
        elif event == "done":
            self.done_at = at

    def entry(
        self, kind: str, request: dict[str, Any], final: dict[str, Any], files: dict[str, Any]
    ) -> dict[str, Any]:
        timing = _timing(final)
        # Wall offsets onto the upstream's clock: the recorded end lands on its completed_at
        # (a real API gives a factor near 1; a fast-running mock a larger one).
        scale = 1.0
        if self.done_at and timing.get("total"):
            scale = timing["total"] / self.done_at
        for item in (*self.states, *self.events):
            item["at"] = round(item["at"] * scale, 6)
        states = self.states
        if "setup" in timing or "total" in timing:
            # The upstream's own timestamps say when each state began; polls only sample them.
            states = [{"status": "starting", "at": 0.0}]
            if "setup" in timing:
                states.append({"status": "processing", "at": timing["setup"]})
            if "total" in timing:
                states.append({"status": final.get("status"), "at": timing["total"]})
        return {
            "kind": kind,
            "model": final.get("model"),
            "version": final.get("version"),
            "request": request,
            "input": final.get("input", request.get("input")),
            "status": final.get("status"),
            "error": final.get("error"),
            "timing": timing,
            "states": states,
            "logs": final.get("logs") or "",
            "log_times": [round(at * scale, 6) for at in self.log_times],
            "output_times": [round(at * scale, 6) for at in self.output_times],
            "events": self.events,
            "output": final.get("output"),
            "files": files,
            "metrics": final.get("metrics") or {},
        }


def _timing(job: dict[str, Any]) -> dict[str, float]:
    stamps: dict[str, float] = {}
    for key in ("created_at", "started_at", "completed_at"):
        value = job.get(key)
        if isinstance(value, str):
            with contextlib.suppress(ValueError):
                stamps[key] = parse_iso(value)
    timing: dict[str, float] = {}
    created, started, completed = (
        stamps.get(k) for k in ("created_at", "started_at", "completed_at")
    )
    if created is not None and started is not None:
        timing["setup"] = round(started - created, 6)
    if started is not None and completed is not None:
        timing["run"] = round(completed - started, 6)
    if created is not None and completed is not None:
        timing["total"] = round(completed - created, 6)
    return timing


def _urls(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value] if value.startswith(("http://", "https://")) else []
    if isinstance(value, list):
        return [url for item in value for url in _urls(item)]
    if isinstance(value, dict):
        return [url for item in value.values() for url in _urls(item)]
    return []


def _problem(status: int, title: str, detail: str) -> Response:
    body = orjson.dumps({"title": title, "detail": detail, "status": status})
    return Response(body, status, media_type="application/problem+json")
