"""Cassettes served by the mock: each recorded entry becomes a runner plan.

A replayed version is an ordinary catalogue version whose runner picks the recording that
matches the request's input and returns its plan (the recorded setup and run times, logs and
output chunks at their offsets, files, failure or cancellation). Everything else — ids,
timestamps, polling, ``Prefer: wait``, streams, webhooks, cancel — is the engine's usual
machinery on its clock. A request no recording matches is refused with a near-miss 422.
"""

from __future__ import annotations

import contextlib
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from jsonschema.exceptions import SchemaError

from mock_server.engine.catalogue import Model, Version
from mock_server.engine.errors import ApiError
from mock_server.engine.runners import MISSING, Blob, Plan, RunContext, Step
from mock_server.engine.schema import any_output, cog_document, is_iterator
from mock_server.engine.validation import InputValidator
from mock_server.record.cassette import Cassette, CassetteError

if TYPE_CHECKING:
    from mock_server.engine.core import Engine

_TIMES_ONLY = ("predict_time", "total_time")  # the engine measures these itself


@dataclass(frozen=True)
class Matching:
    """How a request's input is compared with a recording's: ``exact``, ``any`` (the first
    recording of that version), or ``ignore:key,key`` (exact but for those keys)."""

    mode: Literal["exact", "ignore", "any"] = "exact"
    ignore: frozenset[str] = frozenset()

    @classmethod
    def parse(cls, text: str) -> Matching:
        if text in ("exact", "any"):
            return cls(text)  # type: ignore[arg-type]
        kind, _, keys = text.partition(":")
        names = frozenset(k.strip() for k in keys.split(",") if k.strip())
        if kind != "ignore" or not names:
            raise ValueError(f"matching must be exact, any or ignore:KEY[,KEY...], not {text!r}")
        return cls("ignore", names)

    def __str__(self) -> str:
        return f"ignore:{','.join(sorted(self.ignore))}" if self.mode == "ignore" else self.mode

    def key(self, value: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in value.items() if k not in self.ignore}


@dataclass(frozen=True)
class Recording:
    name: str  # the entry's file name
    input: dict[str, Any]  # as the version's validator normalises it (defaults applied)
    plan: Plan


@dataclass
class ReplayRunner:
    """One version's recordings of one kind; equal matches are replayed in turn."""

    label: str  # owner/name:version, for messages
    kind: str
    matching: Matching
    recordings: list[Recording] = field(default_factory=list)
    _turns: Counter[str] = field(default_factory=Counter)

    def candidates(self, value: dict[str, Any]) -> list[Recording]:
        if self.matching.mode == "any":
            return self.recordings[:1]
        wanted = self.matching.key(value)
        return [r for r in self.recordings if self.matching.key(r.input) == wanted]

    def __call__(self, ctx: RunContext) -> Plan:
        found = self.candidates(ctx.input)
        if not found:  # the validator refuses these first; kept for direct engine use
            raise self.near_miss(ctx.input)
        group = found[0].name
        turn = self._turns[group]
        self._turns[group] += 1
        return found[turn % len(found)].plan

    def near_miss(self, value: dict[str, Any]) -> ApiError:
        if not self.recordings:
            return ApiError(
                422,
                "No matching recording",
                f"The cassette has no {self.kind} of {self.label}",
                extra={"closest_recording": None, "differences": []},
            )
        scored = [
            (r, _differences(self.matching.key(r.input), self.matching.key(value)))
            for r in self.recordings
        ]
        closest, differences = min(scored, key=lambda pair: len(pair[1]))
        said = "; ".join(
            f"{d['field']}: recorded {d['recorded']!r}, requested {d['requested']!r}"
            for d in differences
        )
        return ApiError(
            422,
            "No matching recording",
            f"No recorded {self.kind} of {self.label} matches this input (matching: "
            f"{self.matching}). The closest recording is {closest.name}, which differs in {said}",
            extra={"closest_recording": closest.name, "differences": differences},
        )


_ABSENT = "<absent>"


def _differences(recorded: dict[str, Any], requested: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {
            "field": f"input.{key}",
            "recorded": recorded.get(key, _ABSENT),
            "requested": requested.get(key, _ABSENT),
        }
        for key in sorted(set(recorded) | set(requested))
        if recorded.get(key, _ABSENT) != requested.get(key, _ABSENT)
    ]


class ReplayValidator(InputValidator):
    """The version's own validation, then the cassette's: no recording, no prediction."""

    def __init__(self, schema: dict[str, Any], component: str, runner: ReplayRunner) -> None:
        super().__init__(schema, component)
        self.runner = runner

    def validate(self, value: Any) -> dict[str, Any]:
        checked = super().validate(value)
        if not self.runner.candidates(checked):
            raise self.runner.near_miss(checked)
        return checked


# --------------------------------------------------------------------- compiling
def compile_plan(entry: dict[str, Any], blobs: dict[str, Blob], iterator: bool) -> Plan:
    """An entry's lifecycle as a plan, offsets moved from "since creation" to "since start"."""
    timing = entry.get("timing") or {}
    setup = float(timing.get("setup", 0.0))
    run = float(timing.get("run", 0.0))
    total = float(timing.get("total", setup + run))
    status = entry.get("status")

    def since_start(times: list[Any], index: int) -> float:
        at = float(times[index]) - setup if index < len(times) else run
        return min(max(at, 0.0), run) if status in ("succeeded", "failed") else max(at, 0.0)

    lines = str(entry.get("logs") or "").splitlines()
    log_times = list(entry.get("log_times") or [])
    steps = [Step(since_start(log_times, i), "log", line) for i, line in enumerate(lines)]
    output = _with_blobs(entry.get("output"), blobs)
    final: Any = MISSING
    if iterator and isinstance(output, list):
        output_times = list(entry.get("output_times") or [])
        steps += [Step(since_start(output_times, i), "output", v) for i, v in enumerate(output)]
    elif status == "succeeded":
        final = output
    metrics = {k: v for k, v in (entry.get("metrics") or {}).items() if k not in _TIMES_ONLY}
    cancel_at = None
    if status in ("canceled", "aborted"):
        cancel_at = total
        if "setup" not in timing:  # never started: stays starting until canceled
            setup = total + 1.0
        run = max(run, total - setup) + 1.0
    error = None
    if status == "failed":
        error = str(entry.get("error") or "Prediction failed")
    return Plan(
        setup_time=setup,
        run_time=run,
        steps=tuple(sorted(steps, key=lambda s: s.at)),
        iterator=iterator,
        output=final,
        error=error,
        metrics=metrics if status == "succeeded" else {},
        cancel_at=cancel_at,
    )


def _with_blobs(value: Any, blobs: dict[str, Blob]) -> Any:
    if isinstance(value, str):
        return blobs.get(value, value)
    if isinstance(value, list):
        return [_with_blobs(item, blobs) for item in value]
    if isinstance(value, dict):
        return {key: _with_blobs(item, blobs) for key, item in value.items()}
    return value


def _blobs(entry: dict[str, Any], cassette: Cassette) -> dict[str, Blob]:
    blobs: dict[str, Blob] = {}
    for url, meta in (entry.get("files") or {}).items():
        if isinstance(meta, dict) and isinstance(meta.get("sha256"), str):
            data = cassette.file_bytes(meta["sha256"])
            content_type = str(meta.get("content_type", "application/octet-stream"))
            blobs[str(url)] = Blob(str(meta.get("name", "output")), content_type, data)
    return blobs


# --------------------------------------------------------------------- serving
@dataclass
class _ModelDoc:
    metadata: dict[str, Any]
    versions: dict[str, dict[str, Any]]  # id -> version JSON, latest last
    recordings: dict[tuple[str, str], list[tuple[str, dict[str, Any]]]] = field(
        default_factory=dict
    )


class Replay:
    """The recordings of one or more cassettes, installed into an engine (again after every
    reset). Plans are compiled once; runners (and their turn counters) per install."""

    def __init__(self, folders: list[Path], matching: Matching | None = None) -> None:
        self.matching = matching or Matching()
        self.cassettes = [Cassette.open(folder) for folder in folders]
        self._models: dict[str, _ModelDoc] = {}
        self._plans: dict[str, tuple[dict[str, Any], Plan]] = {}
        self._engines: list[Engine] = []
        for cassette in self.cassettes:
            with _naming(f"{cassette.root}/models"):
                self._read_models(cassette)
            for name, entry in cassette.entries():
                with _naming(f"{cassette.root}/entries/{name}"):
                    self._add(cassette, name, entry)

    def _read_models(self, cassette: Cassette) -> None:
        for full_name, doc in cassette.models().items():
            found = self._model(full_name)
            found.metadata.update({k: v for k, v in doc.items() if k != "versions"})
            for version_id, version in (doc.get("versions") or {}).items():
                found.versions[str(version_id)] = version

    def _model(self, full_name: str) -> _ModelDoc:
        if full_name not in self._models:
            owner, _, name = full_name.partition("/")
            self._models[full_name] = _ModelDoc({"owner": owner, "name": name}, {})
        return self._models[full_name]

    def _add(self, cassette: Cassette, name: str, entry: dict[str, Any]) -> None:
        model, version = entry.get("model"), entry.get("version")
        kind = str(entry.get("kind", "prediction"))
        if not isinstance(model, str) or "/" not in model or not isinstance(version, str):
            raise CassetteError(f"{name}: an entry needs model (owner/name) and version")
        doc = self._model(model)
        schema = self._schema(doc, version)
        iterator = is_iterator(_component(schema, "Output"))
        if kind == "training":
            iterator = False
        self._plans[name] = (entry, compile_plan(entry, _blobs(entry, cassette), iterator))
        doc.recordings.setdefault((version, kind), []).append((name, entry))

    def _schema(self, doc: _ModelDoc, version: str) -> dict[str, Any]:
        found = doc.versions.get(version)
        if found is None or not isinstance(found.get("openapi_schema"), dict):
            # The version's schema was not recorded: accept any input, any output.
            found = {
                "id": version,
                "openapi_schema": cog_document(
                    {"type": "object", "title": "Input", "properties": {}}, any_output()
                ),
            }
            doc.versions[version] = found
        schema: dict[str, Any] = found["openapi_schema"]
        return schema

    def add_entry(self, cassette: Cassette, name: str, entry: dict[str, Any]) -> None:
        """A recording made while serving (``--record-missing``): replayable from now on."""
        self._read_models(cassette)
        self._add(cassette, name, entry)
        for engine in self._engines:
            with engine.lock:
                self.install(engine)

    @property
    def model_names(self) -> list[str]:
        return sorted(self._models)

    def install(self, engine: Engine) -> None:
        if engine not in self._engines:
            self._engines.append(engine)
        for full_name, doc in sorted(self._models.items()):
            self._install_model(engine, full_name, doc)
        engine.changed()

    def _install_model(self, engine: Engine, full_name: str, doc: _ModelDoc) -> None:
        owner, _, name = full_name.partition("/")
        existing = engine.catalogue.get(owner, name)
        if existing is not None:  # a recording of a built-in's name wins over the built-in
            engine.catalogue.remove_model(existing)
        meta = doc.metadata
        model = Model(
            owner=owner,
            name=name,
            created_at=engine.now(),
            seq=engine.catalogue.next_seq(),
            description=meta.get("description"),
            visibility="public",  # the recording account is not one of the mock's accounts
            is_official=bool(meta.get("is_official", False)),
            github_url=meta.get("github_url"),
            paper_url=meta.get("paper_url"),
            license_url=meta.get("license_url"),
            cover_image_url=meta.get("cover_image_url"),
        )
        latest = meta.get("latest_version_id")
        order = sorted(doc.versions, key=lambda v: (v == latest, v))
        for version_id in order:
            model.versions.append(self._version(full_name, doc, version_id, engine.now()))
        engine.catalogue.add_model(model)

    def _version(self, full_name: str, doc: _ModelDoc, version_id: str, now: float) -> Version:
        found = doc.versions[version_id]
        schema = self._schema(doc, version_id)
        label = f"{full_name}:{version_id}"
        runners = {
            kind: ReplayRunner(label, kind, self.matching) for kind in ("prediction", "training")
        }
        trainable = "TrainingInput" in (schema.get("components", {}).get("schemas", {}))
        version = Version(
            id=version_id,
            model=full_name,
            created_at=now,
            openapi_schema=schema,
            runner=runners["prediction"],
            cog_version=found.get("cog_version"),
            training_runner=runners["training"] if trainable else None,
            training_schema=schema if trainable else None,
        )
        version.validator = ReplayValidator(schema, "Input", runners["prediction"])
        if trainable:
            version.training_validator = ReplayValidator(
                schema, "TrainingInput", runners["training"]
            )
        for kind, runner in runners.items():
            base = version.validator if kind == "prediction" else version.training_validator
            for name, entry in doc.recordings.get((version_id, kind), []):
                recorded = entry.get("input") or {}
                runner.recordings.append(
                    Recording(name, _normalised(base, recorded), self._plans[name][1])
                )
        return version


def _normalised(validator: InputValidator | None, value: dict[str, Any]) -> dict[str, Any]:
    """The recorded input as this version's validator passes it on (defaults applied), so a
    request that leaves a default out still matches; as recorded if it no longer validates."""
    if validator is None:
        return dict(value)
    try:
        return InputValidator.validate(validator, value)
    except ApiError:
        return dict(value)


def _component(schema: dict[str, Any], name: str) -> dict[str, Any]:
    found = schema.get("components", {}).get("schemas", {}).get(name, {})
    return found if isinstance(found, dict) else {}


def install(engine: Engine, folders: list[Path], matching: Matching | None = None) -> Replay:
    """Serve the cassettes in ``folders`` from ``engine`` now and after every reset."""
    replay = Replay(folders, matching)
    with engine.lock, _naming(", ".join(map(str, folders))):
        replay.install(engine)
    engine.config.extensions.append(replay.install)
    return replay


@contextlib.contextmanager
def _naming(where: str) -> Iterator[None]:
    """A malformed cassette file is a CassetteError naming it, not a traceback."""
    try:
        yield
    except CassetteError:
        raise
    except (ValueError, TypeError, KeyError, AttributeError, SchemaError) as exc:
        raise CassetteError(
            f"{where}: not a valid recording: {type(exc).__name__}: {exc}"
        ) from None
