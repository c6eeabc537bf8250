"""Confirmation before destructive commands."""

from __future__ import annotations

import sys

import typer

from replicate_kit.cli.errors import UsageError


def confirm_or_refuse(question: str, yes: bool) -> None:
    """Ask on a terminal; without one, insist on ``--yes`` rather than guess."""
    if yes:
        return
    if not sys.stdin.isatty():
        raise UsageError(
            f"{question.rstrip('?')}: refusing without --yes (stdin is not a terminal)"
        )
    if not typer.confirm(question, default=False, err=True):
        raise typer.Exit(1)
