"""``models list|get|search|create|versions``."""

from __future__ import annotations

from typing import Annotated, Literal

import typer
from rich.markup import escape
from rich.table import Table

from replicate_kit.cli.listing import items, take
from replicate_kit.cli.options import JsonFlag, Limit
from replicate_kit.cli.render import Renderer
from replicate_kit.cli.schema import ModelSchema, describe_type
from replicate_kit.cli.session import current
from replicate_kit.cli.targets import parse_name

app = typer.Typer(help="Browse, search and create models.", no_args_is_help=True)

Name = Annotated[str, typer.Argument(help="owner/name")]
COLUMNS = ["owner", "name", "visibility", "run_count", "description"]


@app.command("list")
def list_(limit: Limit = 20, json_out: JsonFlag = False) -> None:
    """Public models."""
    session = current()
    renderer = session.renderer(json_out)
    renderer.records(take(session.client().models.iter(), limit), COLUMNS)


@app.command("get")
def get(name: Name, json_out: JsonFlag = False) -> None:
    """Show a model and the inputs of its latest version."""
    session = current()
    renderer = session.renderer(json_out)
    owner, model_name = parse_name(name, "model")
    model = session.client().models.get(f"{owner}/{model_name}")
    if renderer.json:
        renderer.json_value(model)
        return
    renderer.record(
        model,
        ["url", "description", "visibility", "run_count", "is_official", "latest_version.id"],
    )
    latest = model.latest_version
    schema = ModelSchema.from_openapi(latest.openapi_schema) if latest else None
    if schema is not None:
        _inputs_table(renderer, schema)


def _inputs_table(renderer: Renderer, schema: ModelSchema) -> None:
    table = Table(title="inputs", title_justify="left", box=None, header_style="bold")
    for column in ("name", "type", "default", "description"):
        table.add_column(column)
    for key, spec in schema.ordered_inputs():
        default = spec.get("default")
        required = key in schema.required
        table.add_row(
            escape(key + (" *" if required else "")),
            escape(describe_type(spec)),
            escape("" if default is None else str(default)),
            escape(str(spec.get("description") or "")),
        )
    renderer.out.print(table)


@app.command("search")
def search(
    query: Annotated[str, typer.Argument(help="Words to look for.")],
    limit: Limit = 20,
    json_out: JsonFlag = False,
) -> None:
    """Search public models."""
    session = current()
    renderer = session.renderer(json_out)
    page = session.client().models.search(query)
    renderer.records(page.results[:limit], COLUMNS)


@app.command("create")
def create(
    name: Name,
    hardware: Annotated[str, typer.Option("--hardware", help="Hardware SKU (see: hardware list).")],
    visibility: Annotated[str, typer.Option("--visibility", help="public or private.")] = "private",
    description: Annotated[str | None, typer.Option(show_default=False)] = None,
    github_url: Annotated[str | None, typer.Option(show_default=False)] = None,
    paper_url: Annotated[str | None, typer.Option(show_default=False)] = None,
    license_url: Annotated[str | None, typer.Option(show_default=False)] = None,
    cover_image_url: Annotated[str | None, typer.Option(show_default=False)] = None,
    json_out: JsonFlag = False,
) -> None:
    """Create a model under your account or one of your organizations."""
    session = current()
    renderer = session.renderer(json_out)
    owner, model_name = parse_name(name, "model")
    if visibility not in ("public", "private"):
        raise typer.BadParameter("must be public or private", param_hint="--visibility")
    vis: Literal["public", "private"] = "public" if visibility == "public" else "private"
    model = session.client().models.create(
        owner,
        model_name,
        visibility=vis,
        hardware=hardware,
        description=description,
        github_url=github_url,
        paper_url=paper_url,
        license_url=license_url,
        cover_image_url=cover_image_url,
    )
    renderer.record(model, ["url", "owner", "name", "visibility", "description"])


@app.command("versions")
def versions(
    name: Name,
    version_id: Annotated[
        str | None, typer.Argument(help="Show this version only.", show_default=False)
    ] = None,
    limit: Limit = 20,
    json_out: JsonFlag = False,
) -> None:
    """A model's versions, newest first (or one version with its input schema)."""
    session = current()
    renderer = session.renderer(json_out)
    owner, model_name = parse_name(name, "model")
    resource = session.client().models.versions(f"{owner}/{model_name}")
    if version_id is None:
        renderer.records(take(items(resource.list), limit), ["id", "created_at", "cog_version"])
        return
    version = resource.get(version_id)
    if renderer.json:
        renderer.json_value(version)
        return
    renderer.record(version, ["id", "created_at", "cog_version"])
    schema = ModelSchema.from_openapi(version.openapi_schema)
    if schema is not None:
        _inputs_table(renderer, schema)
