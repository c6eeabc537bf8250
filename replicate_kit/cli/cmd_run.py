"""``run`` (alias ``predict``) and ``stream``: create a prediction and follow it."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated

import typer

from replicate_kit.cli.inputs import build_input, parse_assignment
from replicate_kit.cli.options import (
    CancelAfter,
    FileEncoding,
    FileEncodingOpt,
    InputArgs,
    InputOpts,
    JsonFlag,
    OutputDir,
    WaitFlag,
    Webhook,
)
from replicate_kit.cli.predicting import follow, follow_stream, report, still_running
from replicate_kit.cli.session import current
from replicate_kit.cli.targets import Target, fetch_schema, parse_target

Ref = Annotated[
    str, typer.Argument(help="owner/name, owner/name:version or a 64-character version id.")
]
StreamFlag = Annotated[
    bool, typer.Option("--stream", help="Follow the output as it is produced (server-sent events).")
]


def _read_stdin() -> bytes:
    return sys.stdin.buffer.read()


def execute(
    target: Target,
    title: str,
    assignments: Sequence[str],
    *,
    wait: bool,
    stream: bool,
    output_dir: Path | None,
    file_encoding: FileEncoding,
    cancel_after: str | None,
    webhook: str | None,
    json_flag: bool,
) -> None:
    """Create a prediction on ``target`` and, unless ``--no-wait``, follow and report it."""
    session = current()
    renderer = session.renderer(json_flag)
    parsed = [parse_assignment(text) for text in assignments]  # usage errors before any request
    client = session.client()
    schema = fetch_schema(client, target)
    payload = build_input(parsed, schema, _read_stdin)
    prediction = client.predictions.create(
        **target.create_args(),
        input=payload,
        stream=True if stream else None,
        # Holding the request suits scripts; on a terminal the live view starts at once.
        wait=wait and not stream and renderer.json,
        cancel_after=cancel_after,
        webhook=webhook,
        file_encoding_strategy=file_encoding.value,
    )
    if not wait:
        renderer.record(prediction, ["id", "model", "version", "status", "urls.get"])
        return
    try:
        if stream:
            follow_stream(prediction, renderer, title)
        else:
            follow(prediction, renderer, title, client.poll_interval)
    except KeyboardInterrupt:
        raise still_running("prediction", prediction.id) from None
    report(
        prediction,
        renderer,
        client=client,
        schema=schema,
        output_dir=output_dir,
        print_result=not (stream and renderer.json),
    )


def run(
    ref: Ref,
    inputs: InputArgs = None,
    input_: InputOpts = None,
    wait: WaitFlag = True,
    stream: StreamFlag = False,
    output_dir: OutputDir = None,
    file_encoding: FileEncodingOpt = FileEncoding.url,
    cancel_after: CancelAfter = None,
    webhook: Webhook = None,
    json_out: JsonFlag = False,
) -> None:
    """Run a model: replicate-kit run owner/name prompt="a cat" steps=20."""
    execute(
        parse_target(ref),
        ref,
        [*(inputs or []), *(input_ or [])],
        wait=wait,
        stream=stream,
        output_dir=output_dir,
        file_encoding=file_encoding,
        cancel_after=cancel_after,
        webhook=webhook,
        json_flag=json_out,
    )


def stream(
    ref: Ref,
    inputs: InputArgs = None,
    input_: InputOpts = None,
    file_encoding: FileEncodingOpt = FileEncoding.url,
    cancel_after: CancelAfter = None,
    json_out: JsonFlag = False,
) -> None:
    """Run a model and print its output as it streams (JSON lines when not on a terminal)."""
    execute(
        parse_target(ref),
        ref,
        [*(inputs or []), *(input_ or [])],
        wait=True,
        stream=True,
        output_dir=None,
        file_encoding=file_encoding,
        cancel_after=cancel_after,
        webhook=None,
        json_flag=json_out,
    )


def register(app: typer.Typer) -> None:
    app.command("run")(run)
    app.command("predict", help="Same as run.")(run)
    app.command("stream")(stream)
