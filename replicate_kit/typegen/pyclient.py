"""The Python typed view: overloads of ``run``/``async_run``/``stream``/``predictions.create``,
one per model ref, over the public ``Client``/``AsyncClient`` (so any transport works)."""

from __future__ import annotations

from dataclasses import dataclass

from replicate_kit.typegen import ir
from replicate_kit.typegen.pysource import bracketed, docstring, import_from
from replicate_kit.typegen.python import header, model_names


@dataclass(frozen=True)
class _Variant:
    ref: str
    input: str
    output: str
    async_output: str


def _variants(model: ir.ModelTypes) -> list[_Variant]:
    module, input_name, output = model_names(model)
    refs = (f"{module}.ModelRef", f"{module}.VersionRef")
    done = f"{module}.{output}"
    if model.iterator_output is None:
        return [_Variant(f"{module}.Ref", f"{module}.{input_name}", done, done)]
    # Like the official client, only a named version streams its output from run().
    return [
        _Variant(refs[0], f"{module}.{input_name}", done, done),
        _Variant(
            refs[1], f"{module}.{input_name}", f"{done}Iterator", f"{module}.{output}AsyncIterator"
        ),
    ]


def _method(
    name: str,
    params: list[str],
    returns: str,
    variants: list[tuple[list[str], str]],
    impl_params: list[str],
    impl_body: list[str],
    doc: str,
    is_async: bool = False,
) -> list[str]:
    """Overload stubs (or one typed def if there is one variant) plus the implementation."""
    prefix = "async def" if is_async else "def"
    lines: list[str] = []
    if len(variants) == 1:
        typed_params, typed_returns = variants[0]
        lines.extend(
            bracketed(
                f"{prefix} {name}(", ["self", *typed_params], f") -> {typed_returns}:", "    "
            )
        )
        lines.extend([*docstring([doc], "        "), *impl_body])
        return lines
    for typed_params, typed_returns in variants:
        lines.append("    @overload")
        lines.extend(
            bracketed(
                f"{prefix} {name}(", ["self", *typed_params], f") -> {typed_returns}: ...", "    "
            )
        )
    lines.extend(bracketed(f"{prefix} {name}(", ["self", *impl_params], f") -> {returns}:", "    "))
    lines.extend([*docstring([doc], "        "), *impl_body])
    return lines


def client_module(models: list[ir.ModelTypes]) -> str:
    variants = [v for m in models for v in _variants(m)]
    modules = sorted({model_names(m)[0] for m in models})

    def run_like(name: str, is_async_view: bool, awaitable: bool) -> list[str]:
        out = [
            (
                [f"ref: {v.ref}", f"input: {v.input}", "**options: Unpack[RunOptions]"],
                v.async_output if awaitable else v.output,
            )
            for v in variants
        ]
        call = "self.client.async_run" if (awaitable and not is_async_view) else "self.client.run"
        await_ = "await " if awaitable else ""
        return _method(
            name,
            [],
            "Any",
            out,
            ["ref: str", "input: Mapping[str, Any]", "**options: Any"],
            [f"        return {await_}{call}(ref, input, use_file_output=True, **options)"],
            "Run a model and return its output, typed (see ``Client.run``).",
            is_async=awaitable,
        )

    def stream(is_async_view: bool) -> list[str]:
        returns = "AsyncIterable[ServerSentEvent]" if is_async_view else "Iterator[ServerSentEvent]"
        out = [
            ([f"ref: {v.ref}", f"input: {v.input}", "**options: Unpack[StreamOptions]"], returns)
            for v in variants
        ]
        return _method(
            "stream",
            [],
            returns,
            out,
            ["ref: str", "input: Mapping[str, Any]", "**options: Any"],
            ["        return self.client.stream(ref, input, **options)"],
            "Run a model and yield its server-sent events (see ``Client.stream``).",
        )

    def create(is_async_view: bool) -> list[str]:
        out: list[tuple[list[str], str]] = []
        for m in models:
            module, input_name, _ = model_names(m)
            typed_input = f"input: {module}.{input_name}"
            out.append(
                (
                    [
                        f"version: {module}.VersionRef",
                        typed_input,
                        "**options: Unpack[CreateOptions]",
                    ],
                    "Prediction",
                )
            )
            out.append(
                (
                    [
                        "*",
                        f"model: {module}.ModelRef",
                        typed_input,
                        "**options: Unpack[CreateOptions]",
                    ],
                    "Prediction",
                )
            )
        await_ = "await " if is_async_view else ""
        return _method(
            "create",
            [],
            "Prediction",
            out,
            [
                "version: str | None = None",
                "input: Mapping[str, Any] | None = None",
                "*",
                "model: str | None = None",
                "**options: Any",
            ],
            [
                f"        return {await_}self._predictions.create(version, input, model=model, **options)"
            ],
            "Create a prediction of a version or an official model (see ``predictions.create``).",
            is_async=is_async_view,
        )

    lines = [
        *header(models),
        '"""Typed views of ``Client`` and ``AsyncClient`` for the models generated beside this module.',
        "",
        "``typed(client)`` wraps a client: ``run``, ``async_run``, ``stream`` and",
        "``predictions.create`` then take only these models' refs, check each input against the",
        "model's ``TypedDict`` and return its output type. ``view.client`` is the client itself,",
        "for other models and everything else.",
        '"""',
        "",
        "from __future__ import annotations",
        "",
        "from collections.abc import AsyncIterable, Iterator, Mapping",
        "from typing import Any, Unpack, overload",
        "",
        "from replicate_kit import AsyncClient, Client, Prediction, ServerSentEvent",
        "from replicate_kit.typegen.options import CreateOptions, RunOptions, StreamOptions",
        "",
        *import_from(".", modules),
        "",
        "",
        "class TypedPredictions:",
        '    """``client.predictions`` with typed ``create``."""',
        "",
        "    def __init__(self, client: Client) -> None:",
        "        self._predictions = client.predictions",
        "",
        *create(False),
        "",
        "",
        "class TypedClient:",
        '    """A ``Client`` whose ``run``, ``async_run``, ``stream`` and ``predictions.create`` are typed."""',
        "",
        "    def __init__(self, client: Client) -> None:",
        "        self.client = client",
        "        self.predictions = TypedPredictions(client)",
        "",
        *run_like("run", False, False),
        "",
        *run_like("async_run", False, True),
        "",
        *stream(False),
        "",
        "",
        "class AsyncTypedPredictions:",
        '    """``AsyncClient.predictions`` with typed ``create``."""',
        "",
        "    def __init__(self, client: AsyncClient) -> None:",
        "        self._predictions = client.predictions",
        "",
        *create(True),
        "",
        "",
        "class AsyncTypedClient:",
        '    """An ``AsyncClient`` whose ``run``, ``stream`` and ``predictions.create`` are typed."""',
        "",
        "    def __init__(self, client: AsyncClient) -> None:",
        "        self.client = client",
        "        self.predictions = AsyncTypedPredictions(client)",
        "",
        *run_like("run", True, True),
        "",
        *stream(True),
        "",
        "",
        "@overload",
        "def typed(client: Client) -> TypedClient: ...",
        "@overload",
        "def typed(client: AsyncClient) -> AsyncTypedClient: ...",
        "def typed(client: Client | AsyncClient) -> TypedClient | AsyncTypedClient:",
        '    """The typed view of ``client``."""',
        "    if isinstance(client, AsyncClient):",
        "        return AsyncTypedClient(client)",
        "    return TypedClient(client)",
    ]
    return "\n".join(lines) + "\n"


def package_init(models: list[ir.ModelTypes]) -> str:
    """``__init__.py``: the typed view and each model's input and output names."""
    exports: list[str] = ["AsyncTypedClient", "TypedClient", "typed"]
    imports: list[str] = []
    modules = sorted([*(model_names(m)[0] for m in models), "client"])
    by_module = {model_names(m)[0]: m for m in models}
    for module in modules:
        if module == "client":
            imports.append("from .client import AsyncTypedClient, TypedClient, typed")
            continue
        m = by_module[module]
        module, input_name, output = model_names(m)
        names = [input_name, output]
        if m.iterator_output is not None:
            names.extend([f"{output}AsyncIterator", f"{output}Iterator"])
        imports.extend(import_from(f".{module}", sorted(names)))
        exports.extend(names)
    return (
        "\n".join(
            [
                *header(models),
                '"""Typed inputs and outputs of the models listed above, and ``typed(client)``."""',
                "",
                *imports,
                "",
                *bracketed("__all__ = [", [f'"{n}"' for n in sorted(exports)], "]"),
            ]
        )
        + "\n"
    )
