"""`ffa`: the command line. Errors print as one line on stderr with a non-zero exit (traceback with --debug)."""

from __future__ import annotations

import sys

import typer
from rich.console import Console
from rich.markup import escape

from ff_analytics import __version__
from ff_analytics.cli import dbt, docs, ingest, security, snapshots
from ff_analytics.errors import FFAError
from ff_analytics.governance import cli as governance_cli
from ff_analytics.identity import cli as identity_cli
from ff_analytics.orchestration import cli as orchestration_cli

app = typer.Typer(help="ff-analytics: snapshots, governance, dbt and Prefect for a dynasty league.",
                  no_args_is_help=True, pretty_exceptions_enable=False)
err_console = Console(stderr=True)
_state = {"debug": False}

def _version(value: bool) -> None:
    if value:
        typer.echo(f"ffa {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Show the version."),
    debug: bool = typer.Option(False, "--debug", help="Show tracebacks on errors."),
) -> None:
    _state["debug"] = debug


for register in (orchestration_cli.register, ingest.register, snapshots.register, governance_cli.register,
                 dbt.register, security.register, docs.register, identity_cli.register):
    register(app)


def main() -> None:
    """Console-script entry point: run the app, turning errors into one clear line."""
    try:
        # In non-standalone mode click returns the code of a typer.Exit instead of raising it.
        code = app(standalone_mode=False)
        sys.exit(code if isinstance(code, int) else 0)
    except (typer.Exit, SystemExit) as exc:
        code = getattr(exc, "exit_code", getattr(exc, "code", 0))
        sys.exit(code or 0)
    except typer.Abort:
        err_console.print("aborted")
        sys.exit(130)
    except Exception as exc:  # noqa: BLE001 - the CLI boundary: one line, or a traceback with --debug
        import click

        if isinstance(exc, click.ClickException):
            exc.show()
            sys.exit(exc.exit_code)
        if _state["debug"] or "--debug" in sys.argv:
            raise
        kind = "error" if isinstance(exc, FFAError) else f"error ({type(exc).__name__})"
        err_console.print(f"[red]{kind}:[/red] {escape(str(exc))}", highlight=False, soft_wrap=True)
        sys.exit(1)
