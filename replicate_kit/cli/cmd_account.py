"""``whoami``: the account behind the token."""

from __future__ import annotations

import typer

from replicate_kit.cli.options import JsonFlag
from replicate_kit.cli.session import current


def whoami(json_out: JsonFlag = False) -> None:
    """Show the account the API token belongs to."""
    session = current()
    renderer = session.renderer(json_out)
    account = session.client().accounts.current()
    if renderer.human:
        label = account.username + (f" ({account.name})" if account.name else "")
        renderer.text(f"{label}, {account.type or 'user'}")
    else:
        renderer.json_value(account)


def register(app: typer.Typer) -> None:
    app.command("whoami")(whoami)
