"""Following a prediction to the end and reporting it (shared by run, deployments run,
predictions wait and trainings)."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

from replicate_kit import Client, Prediction
from replicate_kit.cli.errors import INTERRUPTED, CliError, OutcomeFailed
from replicate_kit.cli.live import LiveView, live_view
from replicate_kit.cli.outputs import file_urls, save_files, with_local_paths
from replicate_kit.cli.render import Renderer, stderr_is_tty
from replicate_kit.cli.schema import ModelSchema
from replicate_kit.exceptions import StreamError

SUCCEEDED = "succeeded"


class Job(Protocol):
    """What predictions and trainings share for following them."""

    id: str
    status: str
    logs: str | None
    error: Any
    output: Any

    @property
    def done(self) -> bool: ...

    def reload(self) -> None: ...

    def wait(self, timeout: float | None = None) -> None: ...

    def to_dict(self) -> dict[str, Any]: ...


def still_running(what: str, job_id: str) -> CliError:
    """The error for Ctrl-C while following: the job itself goes on, and how to stop it."""
    return CliError(
        f"interrupted; {what} {job_id} keeps running "
        f"(stop it with: replicate-kit {what}s cancel {job_id})",
        INTERRUPTED,
    )


def _show_live(renderer: Renderer) -> bool:
    return renderer.human and stderr_is_tty()


def follow(
    job: Job,
    renderer: Renderer,
    title: str,
    poll_interval: float,
    sleep: Callable[[float], None] = time.sleep,
) -> None:
    """Poll until terminal; on a terminal, with the live view."""
    if not _show_live(renderer):
        job.wait()
        return
    view = LiveView(title)
    view.prediction_id = job.id
    with live_view(view, renderer.err, enabled=True):
        while True:
            view.status = job.status
            view.set_logs(job.logs)
            if job.done:
                break
            sleep(poll_interval)
            job.reload()


def follow_stream(prediction: Prediction, renderer: Renderer, title: str) -> None:
    """Print events as they come (JSON lines, or the live view), then refresh the prediction."""
    view = LiveView(title)
    view.prediction_id = prediction.id
    view.status = "processing"
    try:
        with live_view(view, renderer.err, enabled=_show_live(renderer)):
            for event in prediction.stream():
                if renderer.json:
                    renderer.json_line({"event": event.event, "id": event.id, "data": event.data})
                elif event.event == "output":
                    view.add_text(str(event))
                elif event.event == "logs":
                    view.add_log(str(event.data))
    except StreamError as exc:
        prediction.reload()
        if not prediction.done:
            raise
        if renderer.json:
            renderer.json_line({"event": "error", "id": None, "data": str(exc)})
        return
    prediction.reload()


def _is_concatenated(schema: ModelSchema | None) -> bool:
    output = schema.output if schema else None
    return bool(output and output.get("x-cog-array-display") == "concatenate")


def human_output(output: Any, concatenate: bool) -> str:
    """How an output prints on a terminal (saved files already replaced by their paths)."""
    if output is None:
        return ""
    if isinstance(output, str):
        return output
    if isinstance(output, list) and all(isinstance(item, str) for item in output):
        return ("" if concatenate else "\n").join(output)
    return json.dumps(output, indent=2, ensure_ascii=False)


def report(
    job: Job,
    renderer: Renderer,
    *,
    client: Client,
    schema: ModelSchema | None,
    output_dir: Path | None,
    what: str = "prediction",
    print_result: bool = True,
) -> None:
    """Print the result (saving files on a terminal or with ``--output-dir``); raise on failure.

    ``print_result=False`` when the events were the output (JSON lines of a stream).
    """
    if job.status != SUCCEEDED:
        if renderer.json and print_result:
            renderer.json_value(job)
        elif renderer.human:
            tail = (job.logs or "").strip().splitlines()[-5:]
            for line in tail:
                renderer.note(f"  │ {line}")
        detail = f": {' '.join(str(job.error).split())}" if job.error else ""
        raise OutcomeFailed(f"{what} {job.id} {job.status}{detail}")
    if not print_result:
        return
    urls = file_urls(job.output, schema.output if schema else None)
    saved: dict[str, Path] = {}
    if urls and (output_dir is not None or renderer.human):
        saved = save_files(client, urls, output_dir or Path.cwd())
    if renderer.json:
        data = job.to_dict()
        if saved:
            data["local_files"] = [str(p) for p in saved.values()]
        renderer.json_value(data)
        return
    text = human_output(with_local_paths(job.output, saved), _is_concatenated(schema))
    if text:
        renderer.text(text)
