"""The ``replicate-kit`` command line (typer + rich) over the public client.

One module per command group (``cmd_*``); ``inputs`` parses ``key=value`` inputs,
``render`` prints for people or scripts, ``errors`` maps failures to exit codes.

typer and rich come with the ``cli`` extra, so this package imports them only when the command
runs (or ``app`` is asked for): the console script is installed with the core too, and there it
says what to install instead of failing with a traceback.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from replicate_kit.cli.app import app

__all__ = ["app", "main"]


def main() -> None:
    """Console-script entry point."""
    from replicate_kit.cli.errors import USAGE  # core imports only

    try:
        from replicate_kit.cli.app import main as run
    except ModuleNotFoundError as error:
        sys.stderr.write(
            f"Error: the replicate-kit command needs the 'cli' extra (no module {error.name!r}):"
            ' pip install "replicate-kit[cli]"\n'
        )
        raise SystemExit(USAGE) from None
    run()


def __getattr__(name: str) -> Any:
    if name == "app":
        from replicate_kit.cli.app import app

        return app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
