"""``predictions list|get|cancel|wait``."""

from __future__ import annotations

from typing import Annotated

import typer

from replicate_kit.cli.errors import CliError
from replicate_kit.cli.listing import take
from replicate_kit.cli.options import JsonFlag, Limit, OutputDir
from replicate_kit.cli.predicting import follow, report
from replicate_kit.cli.schema import ModelSchema
from replicate_kit.cli.session import current
from replicate_kit.cli.targets import fetch_schema, parse_target
from replicate_kit.exceptions import ReplicateError

app = typer.Typer(help="List, inspect, cancel and wait for predictions.", no_args_is_help=True)

Id = Annotated[str, typer.Argument(help="Prediction id.")]
COLUMNS = ["id", "model", "status", "created_at"]
DETAIL = [
    "id",
    "model",
    "version",
    "deployment",
    "status",
    "source",
    "created_at",
    "started_at",
    "completed_at",
    "input",
    "output",
    "error",
    "metrics",
    "urls.get",
]


@app.command("list")
def list_(
    limit: Limit = 20,
    since: Annotated[
        str | None,
        typer.Option("--since", help="Only created after this ISO 8601 time.", show_default=False),
    ] = None,
    json_out: JsonFlag = False,
) -> None:
    """Your predictions, newest first."""
    session = current()
    renderer = session.renderer(json_out)
    found = take(session.client().predictions.iter(created_after=since), limit)
    renderer.records(found, COLUMNS)


@app.command("get")
def get(id: Id, json_out: JsonFlag = False) -> None:
    """Show a prediction."""
    session = current()
    renderer = session.renderer(json_out)
    renderer.record(session.client().predictions.get(id), DETAIL)


@app.command("cancel")
def cancel(id: Id, json_out: JsonFlag = False) -> None:
    """Cancel a prediction."""
    session = current()
    renderer = session.renderer(json_out)
    prediction = session.client().predictions.cancel(id)
    renderer.record(prediction, ["id", "status"])


@app.command("wait")
def wait(id: Id, output_dir: OutputDir = None, json_out: JsonFlag = False) -> None:
    """Wait for a prediction to finish and print its output (exit 1 if it did not succeed)."""
    session = current()
    renderer = session.renderer(json_out)
    client = session.client()
    prediction = client.predictions.get(id)
    follow(prediction, renderer, prediction.model or id, client.poll_interval)
    schema: ModelSchema | None = None
    if prediction.model and prediction.version and prediction.status == "succeeded":
        try:
            schema = fetch_schema(client, parse_target(f"{prediction.model}:{prediction.version}"))
        except (ReplicateError, CliError):
            schema = None  # only used to recognise file outputs; the URL rule still applies
    report(prediction, renderer, client=client, schema=schema, output_dir=output_dir)
