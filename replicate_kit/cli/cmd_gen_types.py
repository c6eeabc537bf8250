"""``gen-types``: typed stubs (Python or TypeScript) per model from each version's Cog schema."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

import typer

from replicate_kit.cli.errors import API, USAGE, CliError, OutcomeFailed, UsageError
from replicate_kit.cli.session import current


def gen_types(
    models: Annotated[
        list[str] | None,
        typer.Argument(
            help="owner/name[:version] (from the API or $REPLICATE_BASE_URL), FILE.json, "
            "or owner/name[:version]=FILE.json",
            show_default=False,
        ),
    ] = None,
    lang: Annotated[str, typer.Option("--lang", help="py or ts.", show_default=True)] = "py",
    out: Annotated[
        Path | None,
        typer.Option("--out", help="Directory to write (a Python package or TS folder)."),
    ] = None,
    check: Annotated[
        bool, typer.Option("--check", help="Write nothing; exit 1 if the files differ.")
    ] = False,
    models_file: Annotated[
        Path | None,
        typer.Option(
            "--models", help="Read the models (and the --out per language) from a TOML file."
        ),
    ] = None,
) -> None:
    """Generate typed inputs, outputs and client overloads for models."""
    # Imported here: the generator is not needed by any other command.
    from replicate_kit.typegen import generate, models_toml, sources

    if lang not in ("py", "ts"):
        raise UsageError(f"--lang must be py or ts, not {lang!r}")
    chosen: Literal["py", "ts"] = "py" if lang == "py" else "ts"
    try:
        requests = [sources.parse_request(text) for text in models or []]
        if models_file is not None:
            listed = models_toml.load(models_file)
            requests.extend(listed.requests)
            if out is None:
                out = listed.outputs.get(chosen)
    except sources.SourceError as error:
        raise UsageError(str(error)) from None
    if not requests:
        raise UsageError("name at least one model (owner/name[:version] or FILE.json) or --models")
    if out is None:
        raise UsageError("--out DIR is required")
    fetched = []
    for request in requests:
        try:
            if request.file is not None:
                fetched.append(sources.from_file(request))
            else:
                fetched.append(sources.from_api(current().client(), request))
        except sources.SourceError as error:
            raise CliError(str(error), USAGE if request.file is not None else API) from None
    try:
        files = generate.render([generate.read(f) for f in fetched], chosen)
    except sources.SourceError as error:
        raise UsageError(str(error)) from None
    renderer = current().renderer()
    if check:
        problems = generate.drift(out, files, chosen)
        if problems:
            raise OutcomeFailed(
                f"{len(problems)} generated file(s) out of date ({'; '.join(problems)}): "
                "run gen-types without --check"
            )
        renderer.text(f"gen-types: {out} is up to date ({len(files)} files)")
        return
    written = generate.write(out, files, chosen)
    renderer.text(f"gen-types: wrote {len(written)} files to {out}")


def register(app: typer.Typer) -> None:
    app.command("gen-types")(gen_types)
