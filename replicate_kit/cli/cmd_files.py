"""``files upload|list|get|delete|download``."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import parse_qs, urlsplit

import typer

from replicate_kit.cli.confirm import confirm_or_refuse
from replicate_kit.cli.errors import UsageError
from replicate_kit.cli.listing import first
from replicate_kit.cli.options import JsonFlag, Limit, Yes
from replicate_kit.cli.session import current

app = typer.Typer(help="Upload and manage files (usable as model inputs).", no_args_is_help=True)

FileId = Annotated[str, typer.Argument(help="File id.")]
COLUMNS = ["id", "name", "content_type", "size", "created_at"]
DETAIL = [
    "id",
    "name",
    "content_type",
    "size",
    "checksums.sha256",
    "metadata",
    "created_at",
    "expires_at",
    "urls.get",
]


@app.command("upload")
def upload(
    path: Annotated[Path, typer.Argument(exists=True, dir_okay=False, readable=True)],
    metadata: Annotated[
        str | None, typer.Option("--metadata", help="JSON object to attach.", show_default=False)
    ] = None,
    content_type: Annotated[
        str | None, typer.Option("--content-type", help="MIME type (default: guessed).")
    ] = None,
    json_out: JsonFlag = False,
) -> None:
    """Upload a file; its urls.get can be passed as a model input."""
    session = current()
    renderer = session.renderer(json_out)
    meta: dict[str, Any] | None = None
    if metadata is not None:
        try:
            parsed = json.loads(metadata)
        except ValueError:
            parsed = None
        if not isinstance(parsed, dict):
            raise UsageError(f"--metadata must be a JSON object, got {metadata!r}")
        meta = parsed
    file = session.client().files.create(path, meta, content_type=content_type)
    renderer.record(file, DETAIL)


@app.command("list")
def list_(limit: Limit = 20, json_out: JsonFlag = False) -> None:
    """Your files, newest first."""
    session = current()
    renderer = session.renderer(json_out)
    renderer.records(first(session.client().files.list, limit), COLUMNS)


@app.command("get")
def get(file_id: FileId, json_out: JsonFlag = False) -> None:
    """Show a file's metadata."""
    session = current()
    session.renderer(json_out).record(session.client().files.get(file_id), DETAIL)


@app.command("delete")
def delete(file_id: FileId, yes: Yes = False, json_out: JsonFlag = False) -> None:
    """Delete a file."""
    session = current()
    renderer = session.renderer(json_out)
    confirm_or_refuse(f"Delete file {file_id}?", yes)
    session.client().files.delete(file_id)
    if renderer.json:
        renderer.json_value({"deleted": file_id})
    else:
        renderer.text(f"deleted {file_id}")


def signed_params(url: str) -> tuple[str, dict[str, str]] | None:
    """(file id, owner/expiry/signature) from a ``.../files/{id}/download?...`` URL. Pure."""
    parts = urlsplit(url)
    segments = [s for s in parts.path.split("/") if s]
    if len(segments) < 3 or segments[-1] != "download" or segments[-3] != "files":
        return None
    query = {k: v[0] for k, v in parse_qs(parts.query).items() if v}
    if not all(k in query for k in ("owner", "expiry", "signature")):
        return None
    return segments[-2], {k: query[k] for k in ("owner", "expiry", "signature")}


@app.command("download")
def download(
    file: Annotated[str, typer.Argument(help="File id, or a signed .../files/{id}/download URL.")],
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Write here (default: the file's name; - for stdout)."),
    ] = None,
    owner: Annotated[str | None, typer.Option(show_default=False)] = None,
    expiry: Annotated[int | None, typer.Option(show_default=False)] = None,
    signature: Annotated[str | None, typer.Option(show_default=False)] = None,
    json_out: JsonFlag = False,
) -> None:
    """Download a file's content through its signed download parameters."""
    session = current()
    renderer = session.renderer(json_out)
    client = session.client()
    signed = signed_params(file) if "/" in file else None
    name: str | None = None
    if signed is not None:
        file_id, found = signed
        content = client.files.download(
            file_id, owner=found["owner"], expiry=int(found["expiry"]), signature=found["signature"]
        )
    elif owner is not None and expiry is not None and signature is not None:
        file_id = file
        content = client.files.download(file_id, owner=owner, expiry=expiry, signature=signature)
    else:
        meta = client.files.get(file)
        file_id, name = meta.id, meta.name
        if not (meta.urls or {}).get("download"):
            raise UsageError(
                "this file has no signed download URL: pass --owner, --expiry and --signature"
            )
        content = client.files.download(meta)
    if output is not None and str(output) == "-":
        sys.stdout.buffer.write(content)
        sys.stdout.flush()
        return
    target = output or Path(name or file_id)
    target.write_bytes(content)
    if renderer.json:
        renderer.json_value({"id": file_id, "path": str(target), "size": len(content)})
    else:
        renderer.text(str(target))
