"""The ``replicate-kit`` command line (typer + rich) over the public client.

One module per command group (``cmd_*``); ``inputs`` parses ``key=value`` inputs,
``render`` prints for people or scripts, ``errors`` maps failures to exit codes.
"""

from replicate_kit.cli.app import app, main

__all__ = ["app", "main"]
