"""Cog predictors as mock models: your own ``predict.py`` answers the mock's predictions.

A model script with ``predictor: predict.py:Predictor`` (or the path of a ``cog.yaml``, whose
``predict`` entry names it) loads that class (or a plain function),
runs its ``setup()`` once when the model is registered, and derives the version's Cog
``openapi_schema`` from the signature of ``run``/``predict`` (types plus ``Input(...)`` constraints),
so the mock validates inputs the way Replicate would for the same code. Each prediction then calls
the predictor in-process: printed lines become logs, yielded items become output chunks, returned
``Path`` files are served by the mock, and an exception fails the prediction with its message.

The timeline is laid out on the mock's clock, one ``chunk_interval`` per output item and one for
the lines printed between two items, so a deterministic predictor gives byte-identical responses like the built-in models. The call
itself runs synchronously while the prediction is created: keep predictors small (this is for
testing the code around a model, not for serving one).
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import enum
import hashlib
import importlib.util
import inspect
import io
import mimetypes
import pathlib
import sys
import tempfile
import threading
import traceback
import types
import typing
from collections.abc import AsyncIterator, Callable, Coroutine, Iterator
from dataclasses import dataclass
from typing import Any

import yaml

from mock_server.engine import schema
from mock_server.engine.ids import stable_hex
from mock_server.engine.runners import capture
from mock_server.engine.runners.plan import MISSING, Blob, Plan, RunContext, Step
from mock_server.engine.schema import Field, input_schema

_SCALARS: dict[type, str] = {str: "string", int: "integer", float: "number", bool: "boolean"}
# What user code may raise that must fail the prediction (or the registration), not the server.
_USER_ERRORS = (Exception, SystemExit)
# JSON integers every client (and the mock's own encoder) can read.
_INT_RANGE = range(-(2**63), 2**64)
_MODULE_PREFIX = "_replicate_mock_predictor_"
# Modules that importing a predictor brought in from its own folder (helpers.py next to
# predict.py): dropped before the next import of a predictor whose folder has the same names.
_sibling_modules: set[str] = set()


@dataclass(frozen=True)
class CogModel:
    """A loaded predictor: its schema components and the callable that runs it."""

    ref: str
    #: sha256 of the predictor's source file: an edited predict.py is a new version.
    source_digest: str
    input_component: dict[str, Any]
    enum_components: dict[str, Any]
    output_component: dict[str, Any]
    call: Callable[..., Any]
    loop: _PredictorLoop
    file_inputs: frozenset[str]
    list_file_inputs: frozenset[str]
    secret_inputs: frozenset[str]


def load(ref: str) -> CogModel:
    """Import ``path/to/predict.py:Name``, run its setup and read its signature.

    Raises ValueError with a one-line reason for anything wrong with the predictor.
    """
    ref = resolve(ref)
    path_text, sep, name = ref.rpartition(":")
    if not sep or not path_text or not name.isidentifier():
        raise ValueError(f"predictor must look like 'predict.py:Predictor', not {ref!r}")
    path = pathlib.Path(path_text).expanduser().resolve()
    if not path.is_file():
        raise ValueError(f"predictor file not found: {path}")
    source_digest = hashlib.sha256(path.read_bytes()).hexdigest()
    module = _import(path)
    target = getattr(module, name, None)
    if target is None:
        raise ValueError(f"{path.name} has no {name!r}")
    loop = _PredictorLoop()
    if inspect.isclass(target):
        call = _prepared_instance_method(target, ref, loop)
    elif inspect.isfunction(target):
        call = target
    else:
        raise ValueError(f"{ref}: {name!r} is neither a class nor a function")
    try:
        hints = typing.get_type_hints(call, include_extras=True)
    except Exception as exc:  # an unresolvable annotation in user code
        raise ValueError(f"{ref}: cannot read the type annotations: {exc}") from exc
    fields: list[Field] = []
    files: set[str] = set()
    file_lists: set[str] = set()
    secrets: set[str] = set()
    for parameter in inspect.signature(call).parameters.values():
        if parameter.kind in (parameter.VAR_POSITIONAL, parameter.VAR_KEYWORD):
            raise ValueError(f"{ref}: *args/**kwargs cannot be model inputs")
        if parameter.name not in hints:
            raise ValueError(f"{ref}: input {parameter.name!r} has no type annotation")
        field, kind = _input_field(parameter, hints[parameter.name], ref)
        fields.append(field)
        if kind == "file":
            files.add(field.name)
        elif kind == "files":
            file_lists.add(field.name)
        elif kind == "secret":
            secrets.add(field.name)
    if "return" not in hints:
        raise ValueError(f"{ref}: the predict method needs a return type annotation")
    component, enums = input_schema(fields)
    return CogModel(
        ref=ref,
        source_digest=source_digest,
        input_component=component,
        enum_components=enums,
        output_component={"title": "Output", **_output_schema(hints["return"])},
        call=call,
        loop=loop,
        file_inputs=frozenset(files),
        list_file_inputs=frozenset(file_lists),
        secret_inputs=frozenset(secrets),
    )


def resolve(ref: str) -> str:
    """``file.py:Name`` as given, or the one a ``cog.yaml`` names (its ``predict``/``run`` key)."""
    if not ref.endswith((".yaml", ".yml")):
        return ref
    config_path = pathlib.Path(ref).expanduser()
    try:
        config = yaml.safe_load(config_path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ValueError(f"cannot read {config_path}: {exc}") from exc
    target = (config.get("predict") or config.get("run")) if isinstance(config, dict) else None
    if not isinstance(target, str) or ":" not in target:
        raise ValueError(f"{config_path} has no predict: 'predict.py:Predictor' entry")
    file, _, name = target.rpartition(":")
    return f"{(config_path.parent / file).resolve()}:{name}"


def _import(path: pathlib.Path) -> types.ModuleType:
    module_name = f"{_MODULE_PREFIX}{stable_hex(str(path))[:16]}"
    spec = importlib.util.spec_from_file_location(module_name, path)
    if spec is None or spec.loader is None:
        raise ValueError(f"cannot import {path}")
    module = importlib.util.module_from_spec(spec)
    folder = path.parent
    _forget_siblings(folder)
    before = set(sys.modules)
    # Sibling modules of predict.py import as they would inside the Cog container.
    sys.path.insert(0, str(folder))
    sys.modules[module_name] = module
    try:
        spec.loader.exec_module(module)
    except _USER_ERRORS as exc:
        sys.modules.pop(module_name, None)
        hint = " (install cog: pip install cog)" if isinstance(exc, ImportError) else ""
        raise ValueError(f"cannot import {path.name}: {type(exc).__name__}: {exc}{hint}") from exc
    finally:
        with contextlib.suppress(ValueError):
            sys.path.remove(str(folder))
        _remember_siblings(set(sys.modules) - before, folder)
    return module


def _forget_siblings(folder: pathlib.Path) -> None:
    """Drop cached sibling modules this folder also provides (same name, other folder, or an
    older copy of this one), so its predictor imports its own, as read now."""
    try:
        local = {p.stem if p.suffix == ".py" else p.name for p in folder.iterdir()}
    except OSError:
        return
    for name in [n for n in _sibling_modules if n.split(".")[0] in local]:
        sys.modules.pop(name, None)
        _sibling_modules.discard(name)


def _remember_siblings(names: set[str], folder: pathlib.Path) -> None:
    for name in names:
        file = getattr(sys.modules.get(name), "__file__", None)
        if not name.startswith(_MODULE_PREFIX) and file and _inside(file, folder):
            _sibling_modules.add(name)


def _inside(file: str, folder: pathlib.Path) -> bool:
    try:
        return pathlib.Path(file).resolve().is_relative_to(folder)
    except OSError:
        return False


def _prepared_instance_method(cls: type, ref: str, loop: _PredictorLoop) -> Callable[..., Any]:
    # Cog calls the subclass's own `run` (current) or `predict` (older predictors); the base
    # classes' versions only forward to each other.
    method_name = next(
        (
            attr
            for klass in cls.__mro__
            if klass.__module__.split(".")[0] != "cog" and klass is not object
            for attr in ("run", "predict")
            if attr in klass.__dict__
        ),
        None,
    )
    if method_name is None:
        raise ValueError(f"{ref}: the class defines neither run() nor predict()")
    try:
        instance = cls()
        setup = getattr(instance, "setup", None)
        if callable(setup):
            with capture.captured(io.StringIO()):
                started = setup()
                if inspect.iscoroutine(started):
                    loop.run(started)
    except _USER_ERRORS as exc:
        raise ValueError(f"{ref}: setup() failed: {type(exc).__name__}: {exc}") from exc
    method: Callable[..., Any] = getattr(instance, method_name)
    return method


# ------------------------------------------------------------------------------- types


def _strip(tp: Any) -> tuple[Any, bool]:
    """(the type without Annotated/Optional, whether None is allowed)."""
    if typing.get_origin(tp) is typing.Annotated:
        tp = typing.get_args(tp)[0]
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        members = [a for a in typing.get_args(tp) if a is not type(None)]
        if len(members) == 1:
            return _strip(members[0])[0], True
    return tp, False


def _is_file_type(tp: Any) -> bool:
    return isinstance(tp, type) and (
        issubclass(tp, pathlib.PurePath) or tp.__name__ in ("File", "URLFile")
    )


def _is_secret(tp: Any) -> bool:
    return isinstance(tp, type) and tp.__name__ == "Secret" and tp.__module__.startswith("cog")


def _input_field(parameter: inspect.Parameter, annotation: Any, ref: str) -> tuple[Field, str]:
    tp, nullable = _strip(annotation)
    default = parameter.default
    info: dict[str, Any] = {}
    if type(default).__name__ == "FieldInfo":  # cog.Input(...)
        info = {f.name: getattr(default, f.name) for f in dataclasses.fields(default)}
        default = info.pop("default")
        # Input() without a default means required, unless the type allows None.
        if default is None and not nullable:
            default = inspect.Parameter.empty
    kind = "value"
    items: dict[str, Any] | None = None
    choices = info.get("choices")
    if typing.get_origin(tp) is typing.Literal:
        choices = list(typing.get_args(tp))
        tp = type(choices[0])
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        choices = [member.value for member in tp]
        tp = type(choices[0])
    if typing.get_origin(tp) is list:
        (item_type,) = typing.get_args(tp) or (str,)
        items = _value_schema(item_type, ref)
        if _is_file_type(item_type):
            kind = "files"
        json_type = "array"
    elif _is_file_type(tp):
        kind, json_type = "file", "uri"
    elif _is_secret(tp):
        kind, json_type = "secret", "string"
    elif tp in _SCALARS:
        json_type = _SCALARS[tp]
    elif tp is Any:
        json_type = "any"
    else:
        raise ValueError(f"{ref}: input {parameter.name!r} has an unsupported type {tp!r}")
    if isinstance(default, pathlib.PurePath):
        default = str(default)
    field = Field(
        name=parameter.name,
        type=json_type,
        default=schema.MISSING if default is inspect.Parameter.empty else default,
        description=info.get("description"),
        ge=info.get("ge"),
        le=info.get("le"),
        min_length=info.get("min_length"),
        max_length=info.get("max_length"),
        choices=None if choices is None else tuple(choices),
        nullable=nullable,
        items=items,
    )
    return field, kind


def _value_schema(tp: Any, ref: str) -> dict[str, Any]:
    tp, _ = _strip(tp)
    if tp in _SCALARS:
        return {"type": _SCALARS[tp]}
    if _is_file_type(tp):
        return {"type": "string", "format": "uri"}
    if tp is Any or tp is None:
        return {}
    if typing.get_origin(tp) is list:
        (item,) = typing.get_args(tp) or (Any,)
        return {"type": "array", "items": _value_schema(item, ref)}
    if typing.get_origin(tp) is dict:
        return {"type": "object"}
    if dataclasses.is_dataclass(tp):
        hints = typing.get_type_hints(tp)
        return {
            "type": "object",
            "properties": {
                f.name: _value_schema(hints[f.name], ref) for f in dataclasses.fields(tp)
            },
        }
    raise ValueError(f"{ref}: unsupported type {tp!r}")


def _output_schema(annotation: Any) -> dict[str, Any]:
    tp, _ = _strip(annotation)
    origin = typing.get_origin(tp)
    if isinstance(origin, type) and issubclass(origin, Iterator | AsyncIterator):
        (item,) = typing.get_args(tp) or (Any,)
        schema = {
            "type": "array",
            "items": _value_schema(item, "output"),
            "x-cog-array-type": "iterator",
        }
        if origin.__name__ in ("ConcatenateIterator", "AsyncConcatenateIterator"):
            schema["x-cog-array-display"] = "concatenate"
        return schema
    return _value_schema(tp, "output")


# ----------------------------------------------------------------------------------- running


def runner(model: CogModel, interval: float, setup_time: float) -> Callable[[RunContext], Plan]:
    def run(ctx: RunContext) -> Plan:
        with tempfile.TemporaryDirectory(prefix="replicate-mock-") as workdir:
            return _run(model, ctx, pathlib.Path(workdir), interval, setup_time)

    return run


class _Timeline:
    """Logs and outputs in the order the predictor produced them.

    Each output takes one interval; the lines printed between two outputs share one, so a chatty
    predictor does not stretch its run by an interval per line.
    """

    def __init__(self, interval: float) -> None:
        self.interval = interval
        self.steps: list[Step] = []
        self.printed = io.StringIO()
        self._slots = 0

    def _next_slot(self) -> float:
        at = self._slots * self.interval
        self._slots += 1
        return at

    def flush_logs(self) -> None:
        lines = self.printed.getvalue().splitlines()
        self.printed.seek(0)
        self.printed.truncate()
        if lines:
            at = self._next_slot()
            self.steps.extend(Step(at, "log", line) for line in lines)

    def output(self, value: Any) -> None:
        self.flush_logs()
        self.steps.append(Step(self._next_slot(), "output", value))

    def end(self) -> float:
        self.flush_logs()
        return self._slots * self.interval + self.interval


def _run(
    model: CogModel, ctx: RunContext, workdir: pathlib.Path, interval: float, setup_time: float
) -> Plan:
    timeline = _Timeline(interval)
    output: Any = MISSING
    iterator = False
    error: str | None = None
    with capture.captured(timeline.printed):
        try:
            kwargs = _arguments(model, ctx, workdir)
            result = model.call(**kwargs)
            if inspect.iscoroutine(result):
                result = model.loop.run(result)
            if inspect.isasyncgen(result):
                iterator = True
                model.loop.run(_drain(result, timeline))
            elif inspect.isgenerator(result) or isinstance(result, Iterator):
                iterator = True
                for item in result:
                    timeline.output(_to_output(item))
            else:
                output = _to_output(result)
        except _USER_ERRORS as exc:
            error = _message(exc)
            traceback.print_exc(file=timeline.printed)
    run_time = timeline.end()
    return Plan(
        setup_time=setup_time,
        run_time=run_time,
        steps=tuple(timeline.steps),
        iterator=iterator,
        output=MISSING if error is not None else output,
        error=error,
    )


def _message(exc: BaseException) -> str:
    try:
        text = str(exc)
    except Exception:  # an exception whose __str__ fails still fails the prediction
        text = ""
    if isinstance(exc, SystemExit):
        return f"SystemExit: {text}" if text else "SystemExit"
    return text or type(exc).__name__


class _PredictorLoop:
    """The event loop an async predictor lives on, from its setup() to every prediction.

    The engine runs inside the server's own event loop, so an async predictor gets a loop of its
    own in a daemon thread, started on first use and kept: whatever setup() opened on it (a
    session, a client) still works when predict() runs. The engine waits for each call, as it
    does for a synchronous predictor, and what the predictor prints goes where the calling
    thread's output goes.
    """

    def __init__(self) -> None:
        self._loop: asyncio.AbstractEventLoop | None = None
        self._lock = threading.Lock()

    def _running(self) -> asyncio.AbstractEventLoop:
        with self._lock:
            if self._loop is None:
                loop = asyncio.new_event_loop()
                thread = threading.Thread(
                    target=loop.run_forever, name="cog-predictor-loop", daemon=True
                )
                thread.start()
                self._loop = loop
            return self._loop

    def run(self, awaitable: Coroutine[Any, Any, Any]) -> Any:
        buffer = capture.current()

        async def captured() -> Any:
            with capture.captured(buffer) if buffer is not None else contextlib.nullcontext():
                return await awaitable

        return asyncio.run_coroutine_threadsafe(captured(), self._running()).result()


async def _drain(items: AsyncIterator[Any], timeline: _Timeline) -> None:
    async for item in items:
        timeline.output(_to_output(item))


def _arguments(model: CogModel, ctx: RunContext, workdir: pathlib.Path) -> dict[str, Any]:
    kwargs = dict(ctx.input)
    for name in model.file_inputs & kwargs.keys():
        if kwargs[name] is not None:
            kwargs[name] = _fetch(ctx, str(kwargs[name]), workdir)
    for name in model.list_file_inputs & kwargs.keys():
        if kwargs[name] is not None:
            kwargs[name] = [_fetch(ctx, str(url), workdir) for url in kwargs[name]]
    if model.secret_inputs & kwargs.keys():
        from cog import Secret  # only predictors that declare a Secret input get here

        for name in model.secret_inputs & kwargs.keys():
            if kwargs[name] is not None:
                kwargs[name] = Secret(kwargs[name])
    return kwargs


def _fetch(ctx: RunContext, url: str, workdir: pathlib.Path) -> pathlib.Path:
    found = ctx.read_file(url) if ctx.read_file is not None else None
    if found is None:
        raise ValueError(f"the mock cannot fetch {url[:80]!r}: pass a data: URI or a mock file URL")
    name, data = found
    # An uploaded file's name is the client's choice: only its last part, inside workdir.
    name = pathlib.PurePath(name.replace("\\", "/")).name
    if name in ("", ".", ".."):
        name = "input"
    # A folder per input keeps two inputs with the same name apart.
    target = pathlib.Path(tempfile.mkdtemp(prefix="input-", dir=workdir)) / name
    target.write_bytes(data)
    return _cog_path(target)


def _cog_path(path: pathlib.Path) -> pathlib.Path:
    try:
        from cog import Path as CogPath
    except ImportError:  # a predictor without cog types still gets a usable path
        return path
    cog_path: pathlib.Path = CogPath(path)
    return cog_path


def _to_output(value: Any) -> Any:
    if isinstance(value, pathlib.PurePath):
        path = pathlib.Path(value)
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return Blob(path.name, content_type, path.read_bytes())
    if isinstance(value, list | tuple):
        return [_to_output(item) for item in value]
    if isinstance(value, dict):
        return {str(k): _to_output(v) for k, v in value.items()}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = dataclasses.fields(value)
        return {f.name: _to_output(getattr(value, f.name)) for f in fields}
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, int) and not isinstance(value, bool) and value not in _INT_RANGE:
        raise TypeError("the predictor returned an integer beyond 64 bits, which is not JSON")
    if value is None or isinstance(value, str | int | float | bool):
        return value
    raise TypeError(f"the predictor returned a {type(value).__name__}, which is not JSON")
