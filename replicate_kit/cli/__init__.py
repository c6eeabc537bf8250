"""The ``replicate-kit`` command line (typer + rich) over the public client.

One module per command group (``cmd_*``); ``inputs`` parses ``key=value`` inputs,
``render`` prints for people or scripts, ``errors`` maps failures to exit codes.

typer and rich come with the ``cli`` extra, but the console script is installed with the core
too: there, ``main`` says what to install instead of failing with a traceback.
"""

from __future__ import annotations

import sys

__all__ = ["app", "main"]

try:
    from replicate_kit.cli.app import app, main
except ModuleNotFoundError as missing:
    _missing_module = missing.name

    def main() -> None:
        """Console-script entry point of an installation without the ``cli`` extra."""
        from replicate_kit.cli.errors import USAGE  # core imports only

        sys.stderr.write(
            f"Error: the replicate-kit command needs the 'cli' extra (no module"
            f' {_missing_module!r}): pip install "replicate-kit[cli]"\n'
        )
        raise SystemExit(USAGE)
