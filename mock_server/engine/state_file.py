"""The engine's state as a versioned JSON document (``replicate-mock serve --state FILE``).

Format ``replicate-mock-state`` version 1, one JSON object:

- ``format``, ``version``: identify the document; another version is refused, not guessed at.
- ``seed``: the engine's seed (signing keys and webhook secrets derive from it; must match).
- ``clock``: ``{"now": epoch seconds}``; ``ids``: ``{"stream": n}``, the id generator's stream.
  A restored engine draws ids from stream ``n + 1``, so it never repeats an id handed out after
  the last save (those are not in the file).
- ``counters``: the job sequence and per-route create counts.
- ``accounts``, ``models`` (with their versions; a version added at runtime carries its
  ``origin``, how to rebuild its runner), ``deployments``, ``files`` and ``blobs`` (bytes as
  base64), ``jobs`` (predictions and trainings with their whole planned timeline, so running
  ones carry on after a restart).

JSON values that are not plain JSON are tagged objects: ``{"$file": path}`` (a stored output
file), ``{"$version": id}`` (a version a training started from).

Not kept: the request journal, faults, rate-limit windows and pending webhook deliveries.
"""

from __future__ import annotations

import base64
import copy
from collections import Counter
from collections.abc import Callable
from typing import Any, Protocol

from mock_server.engine import examples, scripted
from mock_server.engine.accounts import Account, Accounts
from mock_server.engine.blobs import BlobStore, StoredBlob
from mock_server.engine.catalogue import Catalogue, Model, Version
from mock_server.engine.clock import Clock
from mock_server.engine.deployment_store import Deployment, Deployments, Release
from mock_server.engine.files import FileStore, StoredFile
from mock_server.engine.ids import IdGenerator
from mock_server.engine.jobs import Action, FileRef, Job, StreamEvent
from mock_server.engine.runners import MISSING, Plan, Step

FORMAT = "replicate-mock-state"
VERSION = 1

_FILE_TAG = "$file"
_VERSION_TAG = "$version"


class StateError(ValueError):
    """The document cannot be loaded (malformed, another format or version, another seed)."""


class _Config(Protocol):
    @property
    def seed(self) -> int: ...


class Engine(Protocol):
    """The engine state this module reads and replaces (a Protocol: it sits below `core`)."""

    @property
    def config(self) -> _Config: ...

    clock: Clock
    ids: IdGenerator
    accounts: Accounts
    catalogue: Catalogue
    blobs: BlobStore
    deployments: Deployments
    files: FileStore
    jobs: dict[str, Job]
    jobs_by_account: dict[str, list[Job]]
    create_counts: Counter[str]

    def job_seq(self) -> int: ...

    def settle(self) -> None: ...

    def restore_jobs(self, jobs: list[Job], job_seq: int) -> None: ...


# ------------------------------------------------------------------------------ values
def _encode(value: Any) -> Any:
    if isinstance(value, FileRef):
        return {_FILE_TAG: value.path}
    if isinstance(value, Version):
        return {_VERSION_TAG: value.id}
    if isinstance(value, list | tuple):
        return [_encode(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _encode(v) for k, v in value.items()}
    return value


def _decode(value: Any, versions: Callable[[str], Version | None]) -> Any:
    if isinstance(value, list):
        return [_decode(v, versions) for v in value]
    if isinstance(value, dict):
        if len(value) == 1 and isinstance(value.get(_FILE_TAG), str):
            return FileRef(value[_FILE_TAG])
        if len(value) == 1 and isinstance(value.get(_VERSION_TAG), str):
            found = versions(value[_VERSION_TAG])
            if found is None:
                raise StateError(f"a training's base version {value[_VERSION_TAG]} is missing")
            return found
        return {k: _decode(v, versions) for k, v in value.items()}
    return value


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


# ------------------------------------------------------------------------------- dump
def dump(engine: Engine) -> dict[str, Any]:
    """The whole state as JSON-ready data (call with the engine's lock held)."""
    engine.settle()  # jobs nothing observes are applied when read: this reads them all
    return {
        "format": FORMAT,
        "version": VERSION,
        "seed": engine.config.seed,
        "clock": {"now": engine.clock.now()},
        "ids": {"stream": engine.ids.stream},
        "counters": {"jobs": engine.job_seq(), "creates": dict(engine.create_counts)},
        "accounts": [_account(a) for a in engine.accounts.all()],
        "models": {"seq": engine.catalogue.seq, "items": _models(engine.catalogue)},
        "deployments": {
            "seq": engine.deployments.seq,
            "items": [_deployment(d) for d in engine.deployments.all()],
        },
        "files": {"seq": engine.files.seq, "items": [_file(f) for f in engine.files.all()]},
        "blobs": [
            {"path": path, "content_type": blob.content_type, "data": _b64(blob.data)}
            for path, blob in engine.blobs.items()
        ],
        "jobs": [_job(job) for job in sorted(engine.jobs.values(), key=lambda j: j.seq)],
    }


def _account(account: Account) -> dict[str, Any]:
    return {
        "token": account.token,
        "username": account.username,
        "type": account.type,
        "name": account.name,
        "github_url": account.github_url,
        "avatar_url": account.avatar_url,
        "webhook_secret": account.webhook_secret,
        "extra": account.extra,
    }


_MODEL_FIELDS = (
    "owner",
    "name",
    "created_at",
    "seq",
    "description",
    "visibility",
    "is_official",
    "hardware",
    "github_url",
    "paper_url",
    "license_url",
    "cover_image_url",
    "weights_url",
    "readme",
    "run_count",
)


def _models(catalogue: Catalogue) -> list[dict[str, Any]]:
    return [
        {
            **{key: getattr(model, key) for key in _MODEL_FIELDS},
            "versions": [
                {
                    "id": v.id,
                    "created_at": v.created_at,
                    "origin": v.origin,
                    # Kept for runtime versions only: the others are installed again on start.
                    **(
                        {
                            "openapi_schema": v.openapi_schema,
                            "cog_version": v.cog_version,
                            "training_schema": v.training_schema,
                        }
                        if v.origin is not None
                        else {}
                    ),
                }
                for v in model.versions
            ],
        }
        for model in catalogue.models()
    ]


def _deployment(deployment: Deployment) -> dict[str, Any]:
    return {
        "owner": deployment.owner,
        "name": deployment.name,
        "seq": deployment.seq,
        "releases": [vars(release).copy() for release in deployment.releases],
    }


def _file(stored: StoredFile) -> dict[str, Any]:
    return {
        "id": stored.id,
        "owner": stored.owner,
        "name": stored.name,
        "content_type": stored.content_type,
        "data": _b64(stored.data),
        "metadata": stored.metadata,
        "created_at": stored.created_at,
        "expires_at": stored.expires_at,
        "seq": stored.seq,
    }


_JOB_FIELDS = (
    "id",
    "kind",
    "seq",
    "account",
    "model",
    "version",
    "input",
    "created_at",
    "route",
    "deadline",
    "webhook",
    "webhook_events_filter",
    "webhook_completed",
    "deployment",
    "source",
    "extra",
    "status",
    "output",
    "logs",
    "error",
    "started_at",
    "completed_at",
    "metrics",
)


def _job(job: Job) -> dict[str, Any]:
    plan = job.plan
    return {
        **{key: _encode(getattr(job, key)) for key in _JOB_FIELDS},
        "plan": {
            "setup_time": plan.setup_time,
            "run_time": plan.run_time,
            "steps": [[s.at, s.kind, _encode(s.value)] for s in plan.steps],
            "iterator": plan.iterator,
            **({} if plan.output is MISSING else {"output": _encode(plan.output)}),
            "error": plan.error,
            "metrics": _encode(plan.metrics),
            "cancel_at": plan.cancel_at,
        },
        "events": [[e.seq, e.event, _encode(e.data), e.at] for e in job.events],
        "pending": [[a.at, a.phase, a.rank, a.kind, _encode(a.value)] for a in job.pending],
    }


# ------------------------------------------------------------------------------- load
def load(engine: Engine, document: Any) -> None:
    """Replace the engine's state by the document's (a freshly started engine: built-in,
    fixture and recorded models are installed; the document's own take precedence)."""
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise StateError(f"not a {FORMAT} document")
    if document.get("version") != VERSION:
        raise StateError(
            f"state format version {document.get('version')!r} is not supported "
            f"(this mock reads version {VERSION}); start with a new state file"
        )
    if document.get("seed") != engine.config.seed:
        raise StateError(
            f"the state was saved with --seed {document.get('seed')}, "
            f"not {engine.config.seed}: start with the same seed"
        )
    try:
        _load(engine, document)
    except StateError:
        raise
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise StateError(f"malformed state ({type(exc).__name__}: {exc})") from exc


def _load(engine: Engine, doc: dict[str, Any]) -> None:
    now = float(doc["clock"]["now"])
    clock = engine.clock
    # A real clock never goes back to the saved instant: time went on while the mock was down.
    start = max(now, Clock("real").now()) if clock.mode == "real" else now
    catalogue = _restore_catalogue(engine.catalogue, doc["models"])
    accounts = engine.accounts
    for item in doc["accounts"]:
        account = accounts.add(str(item["token"]), str(item["username"]), str(item["type"]))
        account.name = item["name"]
        account.github_url = item["github_url"]
        account.avatar_url = item["avatar_url"]
        account.webhook_secret = str(item["webhook_secret"])
        account.extra = dict(item["extra"])
    deployments = Deployments()
    for item in doc["deployments"]["items"]:
        releases = [Release(**release) for release in item["releases"]]
        deployments.restore(Deployment(item["owner"], item["name"], int(item["seq"]), releases))
    deployments.seq = int(doc["deployments"]["seq"])
    files = FileStore(engine.config.seed, engine.files.max_size, engine.files.ttl)
    for item in doc["files"]["items"]:
        files.restore(
            StoredFile(
                id=item["id"],
                owner=item["owner"],
                name=item["name"],
                content_type=item["content_type"],
                data=base64.b64decode(item["data"], validate=True),
                metadata=dict(item["metadata"]),
                created_at=float(item["created_at"]),
                expires_at=float(item["expires_at"]),
                seq=int(item["seq"]),
            )
        )
    files.seq = int(doc["files"]["seq"])
    blobs = BlobStore()
    for item in doc["blobs"]:
        blobs.restore(
            item["path"],
            StoredBlob(item["content_type"], base64.b64decode(item["data"], validate=True)),
        )
    jobs = [_restore_job(item, catalogue.version) for item in doc["jobs"]]
    # Every piece is built before the first assignment: a bad document changes nothing.
    engine.clock = Clock(clock.mode, clock.speed, start=start)
    engine.ids = IdGenerator(engine.config.seed, int(doc["ids"]["stream"]) + 1)
    engine.catalogue = catalogue
    engine.deployments = deployments
    engine.files = files
    engine.blobs = blobs
    engine.create_counts = Counter({str(k): int(v) for k, v in doc["counters"]["creates"].items()})
    engine.restore_jobs(jobs, int(doc["counters"]["jobs"]))


def _restore_catalogue(current: Catalogue, data: dict[str, Any]) -> Catalogue:
    """The saved models over the installed ones: installed versions keep their runners, runtime
    versions are rebuilt from their origin, and models deleted at runtime stay deleted."""
    installed = {v.id: v for m in current.models() for v in m.versions}
    rebuilt: dict[str, Version] = {}

    def find(version_id: str) -> Version | None:
        return rebuilt.get(version_id) or installed.get(version_id)

    models: list[Model] = []
    for item in data["items"]:
        model = Model(**{key: item[key] for key in _MODEL_FIELDS})
        for saved in item["versions"]:
            version = _restore_version(model, saved, find)
            rebuilt[version.id] = version
            model.versions.append(version)
        models.append(model)
    catalogue = Catalogue()
    catalogue.replace(models, int(data["seq"]))
    return catalogue


def _restore_version(
    model: Model, saved: dict[str, Any], find: Callable[[str], Version | None]
) -> Version:
    version_id = str(saved["id"])
    origin = saved.get("origin")
    if origin is None:
        version = find(version_id)
        if version is None:
            raise StateError(
                f"version {version_id} of {model.full_name} is neither built in nor installed "
                "by the fixtures or recordings given now"
            )
        return version
    created_at = float(saved["created_at"])
    if origin.get("example") is True:
        version = examples.example_version(model.owner, model.name, version_id)
        version.created_at = created_at
        return version
    if "script" in origin:
        runner = scripted.parse(copy.deepcopy(origin["script"])).runner
    elif "trained_from" in origin:
        base = find(str(origin["trained_from"]))
        if base is None:
            raise StateError(f"the base of trained version {version_id} is missing")
        runner = base.runner
    else:
        raise StateError(f"version {version_id} has an unknown origin {origin!r}")
    return Version(
        id=version_id,
        model=model.full_name,
        created_at=created_at,
        openapi_schema=saved["openapi_schema"],
        runner=runner,
        cog_version=saved["cog_version"],
        training_schema=saved["training_schema"],
        origin=origin,
    )


def _restore_job(item: dict[str, Any], versions: Callable[[str], Version | None]) -> Job:
    def value(raw: Any) -> Any:
        return _decode(raw, versions)

    saved_plan = item["plan"]
    plan = Plan(
        setup_time=float(saved_plan["setup_time"]),
        run_time=float(saved_plan["run_time"]),
        steps=tuple(Step(float(at), kind, value(v)) for at, kind, v in saved_plan["steps"]),
        iterator=bool(saved_plan["iterator"]),
        output=value(saved_plan["output"]) if "output" in saved_plan else MISSING,
        error=saved_plan["error"],
        metrics=value(saved_plan["metrics"]),
        cancel_at=saved_plan["cancel_at"],
    )
    job = Job(**{key: value(item[key]) for key in _JOB_FIELDS}, plan=plan)
    job.events = [StreamEvent(int(s), e, value(d), float(at)) for s, e, d, at in item["events"]]
    job.pending = [
        Action(float(at), int(phase), int(index), kind, value(v))
        for at, phase, index, kind, v in item["pending"]
    ]
    return job
