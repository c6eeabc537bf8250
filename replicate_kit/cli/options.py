"""Option and argument types shared by several commands."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

JsonFlag = Annotated[
    bool, typer.Option("--json", help="Print JSON (the default when stdout is not a terminal).")
]
Limit = Annotated[
    int, typer.Option("--limit", "-n", min=1, help="Show at most this many (pages load lazily).")
]
InputArgs = Annotated[
    list[str] | None,
    typer.Argument(
        help="Inputs as key=value (typed by the model's schema); key=@file uploads, "
        "key=@- reads stdin.",
        show_default=False,
    ),
]
InputOpts = Annotated[
    list[str] | None,
    typer.Option("--input", "-i", help="An input as key=value (repeatable).", show_default=False),
]
WaitFlag = Annotated[
    bool,
    typer.Option("--wait/--no-wait", help="Wait for the result, or print the new prediction."),
]
OutputDir = Annotated[
    Path | None,
    typer.Option(
        "--output-dir",
        "-o",
        file_okay=False,
        help="Save file outputs here (on a terminal they go to the current directory).",
    ),
]
Yes = Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")]


class FileEncoding(StrEnum):
    url = "url"
    base64 = "base64"


FileEncodingOpt = Annotated[
    FileEncoding,
    typer.Option(
        "--file-encoding",
        help="How key=@file inputs are sent: uploaded (url) or inlined as data URIs (base64).",
    ),
]
CancelAfter = Annotated[
    str | None,
    typer.Option(
        "--cancel-after", help="Deadline such as 30s or 5m (Cancel-After).", show_default=False
    ),
]
Webhook = Annotated[
    str | None, typer.Option("--webhook", help="URL to notify on completion.", show_default=False)
]
