"""User-registered models whose behaviour is a script (dict or YAML).

Example::

    owner: acme
    name: storyteller
    setup_time: 0.5          # seconds in `starting`
    logs: ["loading", {at: 0.2, line: "warming up"}]
    output: [{at: 0.3, chunk: "Once"}, {at: 0.4, chunk: " upon"}]   # chunks → iterator
    # output: {"answer": 42}  # any other value → returned at the end
    error: "out of memory"   # fail at the end instead
    input_schema: {properties: {prompt: {type: string}}, required: [prompt]}

or, instead of a scripted timeline, a Cog predictor that answers each prediction
(see ``runners/cog_predictor.py``)::

    model: acme/captioner
    predictor: ./predict.py:Predictor   # its signature gives the input/output schema
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

import orjson
import yaml

from mock_server.engine.ids import stable_hex
from mock_server.engine.runners import MISSING, Plan, RunContext, Runner, Step, cog_predictor
from mock_server.engine.schema import any_output, cog_document, token_stream_output

_KNOWN_KEYS = {
    "owner", "name", "model", "version", "description", "visibility", "official", "hardware",
    "readme", "input_schema", "output_schema", "setup_time", "run_time", "logs", "output",
    "iterator", "error", "failure", "metrics", "log_interval", "chunk_interval", "predictor",
}  # fmt: skip
# What a predictor's own code and signature decide: a script cannot also say it.
_SCRIPT_ONLY_KEYS = {
    "input_schema", "output_schema", "run_time", "logs", "output", "iterator", "error", "failure",
    "metrics", "log_interval",
}  # fmt: skip


@dataclass(frozen=True)
class ScriptSpec:
    owner: str
    name: str
    version: str
    description: str | None
    visibility: str
    official: bool
    hardware: str
    readme: str | None
    openapi_schema: dict[str, Any]
    runner: Runner


def load(spec: dict[str, Any] | str) -> dict[str, Any]:
    if isinstance(spec, str):
        try:
            loaded = yaml.safe_load(spec)
        except yaml.YAMLError as exc:
            raise ValueError(f"invalid YAML: {exc}") from exc
        spec = loaded
    if not isinstance(spec, dict):
        raise ValueError("a model script must be a mapping")
    return spec


def _number(spec: dict[str, Any], key: str, default: float) -> float:
    value = spec.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        raise ValueError(f"{key} must be a non-negative number")
    return float(value)


def _timed(items: Any, key: str, value_keys: tuple[str, ...], interval: float) -> list[Step]:
    if not isinstance(items, list):
        raise ValueError(f"{key} must be a list")
    steps: list[Step] = []
    kind = "log" if key == "logs" else "output"
    for index, item in enumerate(items):
        at = index * interval
        value: Any = item
        if isinstance(item, dict) and any(k in item for k in value_keys):
            at = item.get("at", at)
            if isinstance(at, bool) or not isinstance(at, int | float) or at < 0:
                raise ValueError(f"{key}[{index}].at must be a non-negative number")
            value = next(item[k] for k in value_keys if k in item)
        if kind == "log":
            value = str(value)
        steps.append(Step(float(at), kind, value))  # type: ignore[arg-type]
    return steps


def _is_chunk_list(output: Any) -> bool:
    return isinstance(output, list) and all(
        isinstance(item, dict) and "chunk" in item for item in output
    )


def parse(raw: dict[str, Any] | str) -> ScriptSpec:
    spec = load(raw)
    unknown = sorted(set(spec) - _KNOWN_KEYS)
    if unknown:
        raise ValueError(f"unknown keys in model script: {', '.join(unknown)}")
    owner, name = spec.get("owner"), spec.get("name")
    if "model" in spec:
        owner, _, name = str(spec["model"]).partition("/")
    if not owner or not name or not isinstance(owner, str) or not isinstance(name, str):
        raise ValueError("a model script needs owner and name (or model: owner/name)")
    if "/" in name or "/" in owner:
        raise ValueError("owner and name must not contain '/'")
    setup_time = _number(spec, "setup_time", 0.1)
    if "predictor" in spec:
        openapi_schema, runner, source = _from_predictor(spec, setup_time)
    else:
        openapi_schema, runner = _from_script(spec, setup_time)
        source = ""
    version = str(
        spec.get("version")
        or stable_hex(
            "scripted",
            owner,
            name,
            repr(sorted(spec.items(), key=str)),
            # An edited predict.py is a new version, as a new `cog push` would be.
            source,
        )
    )
    visibility = str(spec.get("visibility", "public"))
    if visibility not in ("public", "private"):
        raise ValueError("visibility must be public or private")
    return ScriptSpec(
        owner=owner,
        name=name,
        version=version,
        description=spec.get("description"),
        visibility=visibility,
        official=bool(spec.get("official", False)),
        hardware=str(spec.get("hardware", "cpu")),
        readme=spec.get("readme"),
        openapi_schema=openapi_schema,
        runner=runner,
    )


def _from_script(spec: dict[str, Any], setup_time: float) -> tuple[dict[str, Any], Runner]:
    log_steps = _timed(
        spec.get("logs", []), "logs", ("line", "text"), _number(spec, "log_interval", 0.05)
    )
    output = spec.get("output")
    iterator = bool(spec.get("iterator", _is_chunk_list(output)))
    final: Any = MISSING
    out_steps: list[Step] = []
    if iterator:
        out_steps = _timed(
            output or [], "output", ("chunk",), _number(spec, "chunk_interval", 0.05)
        )
    else:
        final = copy.deepcopy(output)
    steps = sorted([*log_steps, *out_steps], key=lambda s: s.at)
    last = max((s.at for s in steps), default=0.0)
    run_time = _number(spec, "run_time", last + 0.05)
    if run_time < last:
        raise ValueError("run_time must not be shorter than the last log or output")
    error = spec.get("error", spec.get("failure"))
    metrics = spec.get("metrics", {})
    if not isinstance(metrics, dict):
        raise ValueError("metrics must be a mapping")
    plan = Plan(
        setup_time=setup_time,
        run_time=run_time,
        steps=tuple(steps),
        iterator=iterator,
        output=final,
        error=None if error is None else str(error),
        metrics=metrics,
    )
    input_component = spec.get("input_schema") or {"properties": {}}
    if not isinstance(input_component, dict):
        raise ValueError("input_schema must be a mapping")
    input_component = {"type": "object", "title": "Input", **copy.deepcopy(input_component)}
    output_schema = spec.get("output_schema") or (
        token_stream_output() if iterator else any_output()
    )
    if not isinstance(output_schema, dict):
        raise ValueError("output_schema must be a mapping")
    document = cog_document(input_component, output_schema)
    _check_json(
        document, [step.value for step in steps], None if final is MISSING else final, metrics
    )
    return document, runner_for(plan)


def _check_json(*values: Any) -> None:
    """Refuse now what every later response would fail on (a 500): e.g. a YAML integer
    beyond 64 bits or a ``!!binary`` value."""
    try:
        orjson.dumps(values)
    except TypeError as exc:
        raise ValueError(f"the script holds a value that is not JSON: {exc}") from None


def _from_predictor(spec: dict[str, Any], setup_time: float) -> tuple[dict[str, Any], Runner, str]:
    """The version's schema, its runner and the predictor source's digest."""
    clashing = sorted(_SCRIPT_ONLY_KEYS & spec.keys())
    if clashing:
        raise ValueError(
            f"a predictor decides its own {', '.join(clashing)}: drop them from the script"
        )
    ref = spec["predictor"]
    if not isinstance(ref, str):
        raise ValueError("predictor must be a string like 'predict.py:Predictor'")
    model = cog_predictor.load(ref)
    document = cog_document(model.input_component, model.output_component, model.enum_components)
    interval = _number(spec, "chunk_interval", 0.05)
    return document, cog_predictor.runner(model, interval, setup_time), model.source_digest


def runner_for(plan: Plan) -> Runner:
    def run(_ctx: RunContext) -> Plan:
        return plan

    return run
