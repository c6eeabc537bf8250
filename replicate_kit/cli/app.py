"""The root ``replicate-kit`` command: global options, error reporting, subcommands."""

from __future__ import annotations

import sys
import traceback
from typing import Annotated, Any, NoReturn

import typer
from typer._click import exceptions as click_exceptions
from typer.core import TyperGroup

from replicate_kit._version import __version__
from replicate_kit.cli import (
    cmd_account,
    cmd_catalogue,
    cmd_deployments,
    cmd_files,
    cmd_gen_types,
    cmd_models,
    cmd_predictions,
    cmd_run,
    cmd_trainings,
    cmd_webhooks,
)
from replicate_kit.cli.errors import exit_code_for, message_for, scrub
from replicate_kit.cli.session import BASE_URL_ENV, TOKEN_ENV, Session, resolve_setting


class ReportingGroup(TyperGroup):
    """Turns any exception from a command into one line on stderr and an exit code."""

    def make_context(self, *args: Any, **kwargs: Any) -> Any:
        try:
            return super().make_context(*args, **kwargs)
        except click_exceptions.UsageError as error:
            _usage_line(error, "replicate-kit")

    def invoke(self, ctx: typer.Context) -> Any:  # type: ignore[override]
        try:
            return super().invoke(ctx)
        except click_exceptions.UsageError as error:
            _usage_line(error, ctx.command_path)
        except (click_exceptions.Exit, click_exceptions.ClickException, click_exceptions.Abort):
            raise
        except (Exception, KeyboardInterrupt) as error:
            session = ctx.find_object(Session)
            secrets = [session.token] if session is not None else []
            if session is not None and session.debug:
                sys.stderr.write(scrub(traceback.format_exc(), secrets))
            sys.stderr.write(f"Error: {scrub(message_for(error), secrets)}\n")
            sys.stderr.flush()
            raise click_exceptions.Exit(exit_code_for(error)) from None
        finally:
            session = ctx.find_object(Session)
            if session is not None:
                session.close()


def _usage_line(error: click_exceptions.UsageError, fallback: str) -> NoReturn:
    """One line instead of click's usage block; the help is a flag away."""
    if isinstance(error, click_exceptions.NoArgsIsHelpError):
        raise error  # a bare group prints its help, as asked
    where = error.ctx.command_path if error.ctx is not None else fallback
    sys.stderr.write(f"Error: {error.format_message()} (see: {where} --help)\n")
    raise click_exceptions.Exit(error.exit_code) from None


app = typer.Typer(
    name="replicate-kit",
    cls=ReportingGroup,
    help="Run models and manage predictions, trainings, deployments and files on Replicate.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"replicate-kit {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    token: Annotated[
        str | None,
        typer.Option(
            "--token",
            help=f"API token (default: ${TOKEN_ENV}, then .env). Never printed.",
            show_default=False,
        ),
    ] = None,
    base_url: Annotated[
        str | None,
        typer.Option(
            "--base-url",
            help=f"API root, e.g. http://127.0.0.1:8000 (default: ${BASE_URL_ENV} or Replicate).",
            show_default=False,
        ),
    ] = None,
    json_out: Annotated[
        bool, typer.Option("--json", help="Print JSON (default when stdout is not a terminal).")
    ] = False,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks on errors.")] = False,
    max_retries: Annotated[
        int | None,
        typer.Option(
            "--max-retries", min=0, help="Retries of failed requests.", show_default=False
        ),
    ] = None,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Print the version."),
    ] = False,
) -> None:
    ctx.obj = Session(
        token=resolve_setting(token, TOKEN_ENV),
        base_url=resolve_setting(base_url, BASE_URL_ENV),
        json=json_out,
        debug=debug,
        max_retries=max_retries,
    )


cmd_run.register(app)
cmd_account.register(app)
cmd_gen_types.register(app)
app.add_typer(cmd_predictions.app, name="predictions")
app.add_typer(cmd_models.app, name="models")
app.add_typer(cmd_trainings.app, name="trainings")
app.add_typer(cmd_deployments.app, name="deployments")
app.add_typer(cmd_files.app, name="files")
app.add_typer(cmd_catalogue.hardware_app, name="hardware")
app.add_typer(cmd_catalogue.collections_app, name="collections")
app.add_typer(cmd_webhooks.app, name="webhooks")


def main() -> None:
    """Console-script entry point."""
    app(prog_name="replicate-kit")
