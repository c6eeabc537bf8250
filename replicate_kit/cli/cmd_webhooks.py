"""``webhooks secret`` and ``webhooks verify``."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from replicate_kit.cli.errors import UsageError
from replicate_kit.cli.options import JsonFlag
from replicate_kit.cli.session import current
from replicate_kit.resources import Webhooks

app = typer.Typer(help="Webhook signing secret and signature checks.", no_args_is_help=True)


@app.command("secret")
def secret(json_out: JsonFlag = False) -> None:
    """Print the signing secret of webhooks sent to you (whsec_...)."""
    session = current()
    renderer = session.renderer(json_out)
    value = session.client().webhooks.default.secret()
    if renderer.json:
        renderer.json_value({"key": value.key})
    else:
        renderer.text(value.key)


def parse_headers(text: str) -> dict[str, str]:
    """A JSON object, or ``Name: value`` lines (a raw HTTP header block). Pure."""
    stripped = text.strip()
    if stripped.startswith("{"):
        try:
            data = json.loads(stripped)
        except ValueError as exc:
            raise UsageError(f"headers: invalid JSON ({exc})") from None
        if not isinstance(data, dict):
            raise UsageError("headers: expected a JSON object")
        return {str(k).lower(): str(v) for k, v in data.items()}
    headers: dict[str, str] = {}
    for line in stripped.splitlines():
        if not line.strip() or line.startswith(("HTTP/", "POST ", "PUT ")):
            continue
        name, sep, value = line.partition(":")
        if not sep:
            raise UsageError(f"headers: cannot read line {line!r} (expected Name: value)")
        headers[name.strip().lower()] = value.strip()
    return headers


def _read(source: str, stdin: bytes | None) -> bytes:
    if source == "-":
        if stdin is None:
            raise UsageError("only one of --headers and --body can be - (stdin)")
        return stdin
    path = Path(source)
    if not path.is_file():
        raise UsageError(f"no such file {source!r}")
    return path.read_bytes()


@app.command("verify")
def verify(
    headers: Annotated[
        str,
        typer.Option("--headers", help="File with the headers (JSON or Name: value lines), or -."),
    ],
    body: Annotated[str, typer.Option("--body", help="File with the raw body, or -.")],
    secret_key: Annotated[
        str | None,
        typer.Option(
            "--secret",
            envvar="REPLICATE_WEBHOOK_SECRET",
            help="whsec_... (default: $REPLICATE_WEBHOOK_SECRET, else fetched with your token).",
            show_default=False,
            show_envvar=False,
        ),
    ] = None,
    tolerance: Annotated[
        float, typer.Option("--tolerance", help="Maximum age of the timestamp, in seconds.")
    ] = 300.0,
    json_out: JsonFlag = False,
) -> None:
    """Check a webhook's signature (exit 0 valid, 1 invalid)."""
    session = current()
    renderer = session.renderer(json_out)
    if headers == "-" and body == "-":
        raise UsageError("only one of --headers and --body can be - (stdin)")
    stdin = sys.stdin.buffer.read() if "-" in (headers, body) else None
    header_map = parse_headers(_read(headers, stdin).decode("utf-8", errors="replace"))
    raw_body = _read(body, stdin)
    key = secret_key or session.client().webhooks.default.secret().key
    Webhooks.validate(headers=header_map, body=raw_body, secret=key, tolerance=tolerance)
    if renderer.json:
        renderer.json_value({"valid": True, "webhook_id": header_map.get("webhook-id")})
    else:
        renderer.text("valid")
