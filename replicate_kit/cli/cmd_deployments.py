"""``deployments list|get|create|update|delete|run``."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from replicate_kit.cli import cmd_run
from replicate_kit.cli.confirm import confirm_or_refuse
from replicate_kit.cli.listing import first
from replicate_kit.cli.options import (
    CancelAfter,
    FileEncoding,
    FileEncodingOpt,
    InputArgs,
    InputOpts,
    JsonFlag,
    Limit,
    OutputDir,
    WaitFlag,
    Webhook,
    Yes,
)
from replicate_kit.cli.session import current
from replicate_kit.cli.targets import deployment_target, parse_name, parse_target

app = typer.Typer(help="Manage and run deployments.", no_args_is_help=True)

Name = Annotated[str, typer.Argument(help="owner/name of the deployment.")]
COLUMNS = [
    "owner",
    "name",
    "current_release.model",
    "current_release.number",
    "current_release.configuration.hardware",
]
DETAIL = [
    "owner",
    "name",
    "current_release.number",
    "current_release.model",
    "current_release.version",
    "current_release.configuration.hardware",
    "current_release.configuration.min_instances",
    "current_release.configuration.max_instances",
    "current_release.created_at",
]
Hardware = Annotated[
    str | None, typer.Option("--hardware", help="Hardware SKU.", show_default=False)
]
MinInstances = Annotated[int | None, typer.Option("--min-instances", min=0, show_default=False)]
MaxInstances = Annotated[int | None, typer.Option("--max-instances", min=0, show_default=False)]


@app.command("list")
def list_(limit: Limit = 20, json_out: JsonFlag = False) -> None:
    """Your deployments."""
    session = current()
    renderer = session.renderer(json_out)
    renderer.records(first(session.client().deployments.list, limit), COLUMNS)


@app.command("get")
def get(name: Name, json_out: JsonFlag = False) -> None:
    """Show a deployment and its current release."""
    session = current()
    owner, dep = parse_name(name, "deployment")
    session.renderer(json_out).record(session.client().deployments.get(f"{owner}/{dep}"), DETAIL)


@app.command("create")
def create(
    name: Annotated[str, typer.Argument(help="Name of the new deployment (in your account).")],
    model: Annotated[str, typer.Option("--model", help="owner/name:version to deploy.")],
    hardware: Annotated[str, typer.Option("--hardware", help="Hardware SKU.")],
    min_instances: Annotated[int, typer.Option("--min-instances", min=0)] = 0,
    max_instances: Annotated[int, typer.Option("--max-instances", min=0)] = 1,
    json_out: JsonFlag = False,
) -> None:
    """Create a deployment of a model version."""
    session = current()
    renderer = session.renderer(json_out)
    target = parse_target(model)
    if target.owner is None or target.version is None:
        raise typer.BadParameter("expected owner/name:version", param_hint="--model")
    deployment = session.client().deployments.create(
        name=name,
        model=target.model,
        version=target.version,
        hardware=hardware,
        min_instances=min_instances,
        max_instances=max_instances,
    )
    renderer.record(deployment, DETAIL)


@app.command("update")
def update(
    name: Name,
    version: Annotated[
        str | None, typer.Option("--version", help="Version id to release.", show_default=False)
    ] = None,
    hardware: Hardware = None,
    min_instances: MinInstances = None,
    max_instances: MaxInstances = None,
    json_out: JsonFlag = False,
) -> None:
    """Change a deployment's version, hardware or scaling (a new release)."""
    session = current()
    renderer = session.renderer(json_out)
    owner, dep = parse_name(name, "deployment")
    fields: dict[str, Any] = {
        k: v
        for k, v in {
            "version": version,
            "hardware": hardware,
            "min_instances": min_instances,
            "max_instances": max_instances,
        }.items()
        if v is not None
    }
    if not fields:
        raise typer.BadParameter(
            "give at least one of --version, --hardware, --min-instances, --max-instances"
        )
    deployment = session.client().deployments.update(owner, dep, **fields)
    renderer.record(deployment, DETAIL)


@app.command("delete")
def delete(name: Name, yes: Yes = False, json_out: JsonFlag = False) -> None:
    """Delete a deployment."""
    session = current()
    renderer = session.renderer(json_out)
    owner, dep = parse_name(name, "deployment")
    confirm_or_refuse(f"Delete deployment {owner}/{dep}?", yes)
    session.client().deployments.delete(owner, dep)
    if renderer.json:
        renderer.json_value({"deleted": f"{owner}/{dep}"})
    else:
        renderer.text(f"deleted {owner}/{dep}")


@app.command("run")
def run(
    name: Name,
    inputs: InputArgs = None,
    input_: InputOpts = None,
    wait: WaitFlag = True,
    stream: cmd_run.StreamFlag = False,
    output_dir: OutputDir = None,
    file_encoding: FileEncodingOpt = FileEncoding.url,
    cancel_after: CancelAfter = None,
    webhook: Webhook = None,
    json_out: JsonFlag = False,
) -> None:
    """Run a deployment (same options as run)."""
    cmd_run.execute(
        deployment_target(name),
        name,
        [*(inputs or []), *(input_ or [])],
        wait=wait,
        stream=stream,
        output_dir=output_dir,
        file_encoding=file_encoding,
        cancel_after=cancel_after,
        webhook=webhook,
        json_flag=json_out,
    )
