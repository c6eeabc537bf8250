"""``trainings create|get|list|cancel|wait``."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from replicate_kit import Training
from replicate_kit.cli.errors import UsageError
from replicate_kit.cli.inputs import build_input, parse_assignment
from replicate_kit.cli.listing import first
from replicate_kit.cli.options import InputArgs, InputOpts, JsonFlag, Limit, Webhook
from replicate_kit.cli.predicting import follow, report, still_running
from replicate_kit.cli.render import Renderer
from replicate_kit.cli.schema import ModelSchema
from replicate_kit.cli.session import current
from replicate_kit.cli.targets import parse_name, parse_target

app = typer.Typer(
    help="Fine-tune models: start, inspect, cancel and wait for trainings.", no_args_is_help=True
)

Id = Annotated[str, typer.Argument(help="Training id.")]
COLUMNS = ["id", "model", "destination", "status", "created_at"]
DETAIL = [
    "id",
    "model",
    "version",
    "destination",
    "status",
    "created_at",
    "started_at",
    "completed_at",
    "input",
    "output",
    "error",
    "urls.get",
]


def _training_schema(document: dict[str, object] | None) -> ModelSchema | None:
    """Trainer versions describe training inputs as ``TrainingInput``."""
    if not isinstance(document, dict):
        return None
    components = document.get("components")
    schemas = components.get("schemas") if isinstance(components, dict) else None
    if not isinstance(schemas, dict) or "TrainingInput" not in schemas:
        return None
    renamed = {
        **schemas,
        "Input": schemas["TrainingInput"],
        "Output": schemas.get("TrainingOutput"),
    }
    return ModelSchema.from_openapi({"components": {"schemas": renamed}})


def _finish(training: Training, renderer: Renderer, poll_interval: float) -> None:
    session = current()
    try:
        follow(training, renderer, training.model or training.id, poll_interval)
    except KeyboardInterrupt:
        raise still_running("training", training.id) from None
    report(
        training,
        renderer,
        client=session.client(),
        schema=None,
        output_dir=None,
        what="training",
    )


@app.command("create")
def create(
    ref: Annotated[str, typer.Argument(help="owner/name:version of the trainer.")],
    destination: Annotated[
        str, typer.Option("--destination", "-d", help="owner/name of a model you own.")
    ],
    inputs: InputArgs = None,
    input_: InputOpts = None,
    wait: Annotated[
        bool, typer.Option("--wait/--no-wait", help="Wait for the training to finish.")
    ] = False,
    webhook: Webhook = None,
    json_out: JsonFlag = False,
) -> None:
    """Start a training of a model version into DESTINATION."""
    session = current()
    renderer = session.renderer(json_out)
    target = parse_target(ref)
    if target.owner is None or target.version is None:
        raise UsageError("trainings need owner/name:version")
    dest_owner, dest_name = parse_name(destination, "destination model")
    parsed = [parse_assignment(text) for text in [*(inputs or []), *(input_ or [])]]
    client = session.client()
    version = client.models.versions(target.model).get(target.version)
    schema = _training_schema(version.openapi_schema)
    payload = build_input(parsed, schema, lambda: sys.stdin.buffer.read())
    training = client.trainings.create(
        version=f"{target.model}:{target.version}",
        input=payload,
        destination=f"{dest_owner}/{dest_name}",
        webhook=webhook,
    )
    if not wait:
        renderer.record(training, ["id", "model", "destination", "status", "urls.get"])
        return
    _finish(training, renderer, client.poll_interval)


@app.command("get")
def get(id: Id, json_out: JsonFlag = False) -> None:
    """Show a training."""
    session = current()
    session.renderer(json_out).record(session.client().trainings.get(id), DETAIL)


@app.command("list")
def list_(limit: Limit = 20, json_out: JsonFlag = False) -> None:
    """Your trainings, newest first."""
    session = current()
    renderer = session.renderer(json_out)
    renderer.records(first(session.client().trainings.list, limit), COLUMNS)


@app.command("cancel")
def cancel(id: Id, json_out: JsonFlag = False) -> None:
    """Cancel a training."""
    session = current()
    renderer = session.renderer(json_out)
    renderer.record(session.client().trainings.cancel(id), ["id", "status"])


@app.command("wait")
def wait_(id: Id, json_out: JsonFlag = False) -> None:
    """Wait for a training to finish (exit 1 if it did not succeed)."""
    session = current()
    renderer = session.renderer(json_out)
    client = session.client()
    _finish(client.trainings.get(id), renderer, client.poll_interval)
