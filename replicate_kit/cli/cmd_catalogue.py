"""``hardware list`` and ``collections list|get``."""

from __future__ import annotations

from typing import Annotated

import typer

from replicate_kit.cli.listing import first
from replicate_kit.cli.options import JsonFlag, Limit
from replicate_kit.cli.session import current

hardware_app = typer.Typer(
    help="Hardware available for models and deployments.", no_args_is_help=True
)
collections_app = typer.Typer(help="Curated collections of models.", no_args_is_help=True)


@hardware_app.command("list")
def hardware_list(json_out: JsonFlag = False) -> None:
    """Hardware SKUs."""
    session = current()
    session.renderer(json_out).records(session.client().hardware.list(), ["sku", "name"])


@collections_app.command("list")
def collections_list(limit: Limit = 20, json_out: JsonFlag = False) -> None:
    """Collections."""
    session = current()
    renderer = session.renderer(json_out)
    renderer.records(
        first(session.client().collections.list, limit), ["slug", "name", "description"]
    )


@collections_app.command("get")
def collections_get(
    slug: Annotated[str, typer.Argument(help="Collection slug, e.g. text-to-image.")],
    json_out: JsonFlag = False,
) -> None:
    """A collection and its models."""
    session = current()
    renderer = session.renderer(json_out)
    collection = session.client().collections.get(slug)
    if renderer.json:
        renderer.json_value(collection)
        return
    renderer.record(collection, ["slug", "name", "description"])
    renderer.records(collection.models or [], ["owner", "name", "description"])
