"""Building prediction/training requests and the ``run()`` flow. Pure flows."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal, TypedDict

from replicate_kit import _flows, _output
from replicate_kit._calls import Call, Flow
from replicate_kit._files import FileEncodingStrategy, encode_input
from replicate_kit._reconcile import Reconciler, Wanted
from replicate_kit._refs import ModelRef, is_version_id, parse_ref, split_name
from replicate_kit.exceptions import ReplicateError

WebhookEvent = Literal["start", "output", "logs", "completed"]


class PredictionOptions(TypedDict, total=False):
    """Keyword options of every prediction create (``predictions.create`` and its kin).

    ``webhook`` / ``webhook_completed``: URLs the API calls back (``webhook_events_filter``
    picks the events); ``stream``: ask for an event stream URL; ``wait``: hold the request
    (``True`` = 60 s, or seconds) with ``Prefer: wait``; ``cancel_after``: a deadline
    (``"1h30m"`` or seconds); ``file_encoding_strategy``: ``"url"`` uploads files in
    ``input``, ``"base64"`` inlines them.
    """

    webhook: str | None
    webhook_completed: str | None
    webhook_events_filter: Sequence[WebhookEvent] | None
    stream: bool | None
    wait: bool | int | float | None
    cancel_after: str | int | float | None
    file_encoding_strategy: FileEncodingStrategy | None


#: Seconds the server holds a ``Prefer: wait`` request (its maximum).
MAX_WAIT = 60


def prefer_header(wait: bool | int | float | None) -> tuple[dict[str, str], float | None]:
    """(headers, hold seconds) for a ``wait`` option: True → 60 s, N → N s (1..60), False/None → none."""
    if wait is None or wait is False:
        return {}, None
    if wait is True:
        return {"Prefer": "wait"}, float(MAX_WAIT)
    if isinstance(wait, int | float) and not isinstance(wait, bool):
        seconds = int(min(max(round(wait), 1), MAX_WAIT))
        return {"Prefer": f"wait={seconds}"}, float(seconds)
    raise TypeError(f"wait must be a bool or a number of seconds, not {type(wait).__name__}")


def cancel_after_header(cancel_after: str | int | float | None) -> dict[str, str]:
    """``Cancel-After``: a duration string (``"1h30m"``) or seconds."""
    if cancel_after is None:
        return {}
    if isinstance(cancel_after, int | float) and not isinstance(cancel_after, bool):
        return {"Cancel-After": f"{int(cancel_after)}s"}
    if isinstance(cancel_after, str) and cancel_after.strip():
        return {"Cancel-After": cancel_after.strip()}
    raise ValueError(f"Invalid cancel_after {cancel_after!r}")


@dataclass(frozen=True)
class Target:
    """Where a prediction is created."""

    route: Literal["version", "model", "deployment"]
    owner: str | None = None
    name: str | None = None
    version: str | None = None


def _name_of(value: Any, what: str) -> tuple[str, str]:
    if isinstance(value, tuple) and len(value) == 2:
        return str(value[0]), str(value[1])
    owner = getattr(value, "owner", None)
    name = getattr(value, "name", None)
    if isinstance(owner, str) and isinstance(name, str) and not isinstance(value, str):
        return owner, name
    if isinstance(value, str):
        return split_name(value, what)
    raise TypeError(f"{what} must be 'owner/name', an (owner, name) tuple or a {what} object")


def resolve_target(*, version: Any = None, model: Any = None, deployment: Any = None) -> Target:
    """Exactly one of version / model / deployment decides the route."""
    given = [x for x in (version, model, deployment) if x is not None]
    if len(given) != 1 and not (model is not None and version is not None and deployment is None):
        raise ValueError("Pass exactly one of version=, model= or deployment=")
    if deployment is not None:
        dep_owner, dep_name = _name_of(deployment, "deployment")
        return Target("deployment", dep_owner, dep_name)
    if version is not None:
        version_id = getattr(version, "id", version)
        if not isinstance(version_id, str):
            raise TypeError("version must be a version id, 'owner/name:version' or a Version")
        ref = parse_ref(version_id)
        if ref.version is None:
            return Target("model", ref.owner, ref.name)
        owner: str | None = ref.owner
        name: str | None = ref.name
        if model is not None:
            owner, name = _name_of(model, "model")
        return Target("version", owner, name, ref.version)
    if isinstance(model, str) and ":" in model:
        ref = parse_ref(model)
        return Target("version", ref.owner, ref.name, ref.version)
    model_owner, model_name = _name_of(model, "model")
    return Target("model", model_owner, model_name)


def create_call(
    target: Target,
    input: Mapping[str, Any],
    *,
    webhook: str | None = None,
    webhook_completed: str | None = None,
    webhook_events_filter: Sequence[WebhookEvent] | None = None,
    stream: bool | None = None,
    wait: bool | int | float | None = None,
    cancel_after: str | int | float | None = None,
) -> Call:
    """The create call for a target (never retried unless provably not received)."""
    body: dict[str, Any] = {"input": dict(input)}
    if webhook is not None:
        body["webhook"] = webhook
    if webhook_completed is not None:
        body["webhook_completed"] = webhook_completed
    if webhook_events_filter is not None:
        body["webhook_events_filter"] = list(webhook_events_filter)
    if stream is not None:
        body["stream"] = stream
    headers, hold = prefer_header(wait)
    headers.update(cancel_after_header(cancel_after))
    if target.route == "version":
        body = {"version": target.version, **body}
        return Call("predictions.create", body=body, headers=headers, wait=hold)
    assert target.owner and target.name
    if target.route == "model":
        path = {"model_owner": target.owner, "model_name": target.name}
        return Call(
            "models.predictions.create",
            path=path,
            body=body,
            headers=headers,
            wait=hold,
        )
    path = {"deployment_owner": target.owner, "deployment_name": target.name}
    return Call(
        "deployments.predictions.create",
        path=path,
        body=body,
        headers=headers,
        wait=hold,
    )


def wanted(target: Target, input: Mapping[str, Any]) -> Wanted:
    """What a prediction created for ``target`` with ``input`` looks like when listed."""
    if target.route == "deployment":
        return Wanted(input, deployment=f"{target.owner}/{target.name}")
    if target.route == "model":
        return Wanted(input, model=f"{target.owner}/{target.name}")
    return Wanted(input, version=target.version)


def create_prediction(
    target: Target,
    input: Mapping[str, Any] | None,
    *,
    reconciler: Reconciler,
    file_encoding_strategy: FileEncodingStrategy | None = None,
    **options: Any,
) -> Flow[Any]:
    """Encode input files, then create (reconciled when its outcome is unknown). Returns the
    prediction JSON."""
    encoded = yield from encode_input(dict(input or {}), file_encoding_strategy)
    call = create_call(target, encoded, **options)
    data = yield from reconciler.create(call, wanted(target, encoded))
    return data


def version_schema(owner: str, name: str, version: str, cache: dict[str, Any]) -> Flow[Any]:
    """The version's ``openapi_schema`` (cached; None if it cannot be read)."""
    if version in cache:
        return cache[version]
    try:
        data = yield Call(
            "models.versions.get",
            path={"model_owner": owner, "model_name": name, "version_id": version},
        )
    except ReplicateError:
        return None
    schema = data.get("openapi_schema") if isinstance(data, Mapping) else None
    cache[version] = schema
    return schema


def output_schema_of(
    owner: str | None, name: str | None, version: Any, cache: dict[str, Any]
) -> Flow[dict[str, Any] | None]:
    """The output schema of ``owner/name:version`` (None when the version is unnamed or unreadable)."""
    if not (owner and name and isinstance(version, str) and is_version_id(version)):
        return None
    openapi = yield from version_schema(owner, name, version, cache)
    return _output.output_schema(openapi)


@dataclass
class RunResult:
    """What the run flow hands to the sync/async wrappers."""

    prediction: dict[str, Any]
    output_schema: dict[str, Any] | None
    iterator: bool


def run_ref(ref: Any) -> tuple[Target, ModelRef | None, dict[str, Any] | None]:
    """(target, parsed ref, known openapi_schema) for what ``run()`` accepts."""
    schema = getattr(ref, "openapi_schema", None)
    if schema is not None and hasattr(ref, "id"):  # a Version object
        return Target("version", version=str(ref.id)), None, schema
    if hasattr(ref, "owner") and hasattr(ref, "name") and not isinstance(ref, str):  # a Model
        return Target("model", ref.owner, ref.name), None, None
    parsed = parse_ref(ref)
    if parsed.uses_model_route:
        return Target("model", parsed.owner, parsed.name), parsed, None
    return Target("version", parsed.owner, parsed.name, parsed.version), parsed, None


def run(
    ref: Any,
    input: Mapping[str, Any] | None,
    *,
    poll_interval: float,
    schema_cache: dict[str, Any],
    reconciler: Reconciler,
    wait: bool | int | float = True,
    file_encoding_strategy: FileEncodingStrategy | None = None,
    **options: Any,
) -> Flow[RunResult]:
    """Create, then poll until terminal; find the output schema on the way."""
    target, _parsed, openapi = run_ref(ref)
    data = yield from create_prediction(
        target,
        input,
        reconciler=reconciler,
        file_encoding_strategy=file_encoding_strategy,
        wait=wait,
        **options,
    )
    version_known = target.route == "version"
    if openapi is None:
        version = target.version or data.get("version")
        out_schema = yield from output_schema_of(target.owner, target.name, version, schema_cache)
    else:
        out_schema = _output.output_schema(openapi)
    # Like the official client, an iterator is returned only when the caller named a version.
    iterator = version_known and _output.is_iterator(out_schema)
    if not iterator:
        data = yield from _flows.poll(data, _flows.get_prediction, poll_interval)
    return RunResult(prediction=data, output_schema=out_schema, iterator=iterator)
