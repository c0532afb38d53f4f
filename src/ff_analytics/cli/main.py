"""`ffa`: the command line. Errors print as one line on stderr with a non-zero exit (traceback with --debug).

Conventions of click-based tools (dbt, uv): ``-h``/``--help`` everywhere, plain help text, usage errors exit 2,
failures exit 1. Every command says on stderr which data root it resolved, so a mistyped ``FFA_DATA_ROOT`` shows.
"""

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
from ff_analytics.storage import DataRoot

app = typer.Typer(help="ff-analytics: snapshots, governance, dbt and Prefect for a dynasty league.",
                  no_args_is_help=True, pretty_exceptions_enable=False, add_completion=False,
                  rich_markup_mode=None, context_settings={"help_option_names": ["-h", "--help"]})
err_console = Console(stderr=True)
_state = {"debug": False}


def _version(value: bool) -> None:
    if value:
        typer.echo(f"ffa {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Show the version."),
    debug: bool = typer.Option(False, "--debug", help="Show tracebacks on errors."),
) -> None:
    _state["debug"] = debug
    if ctx.invoked_subcommand not in (None, "docs") and not ctx.resilient_parsing:
        err_console.print(f"data root: {DataRoot.from_settings().uri()}", highlight=False, soft_wrap=True)


for register in (orchestration_cli.register, ingest.register, snapshots.register, governance_cli.register,
                 dbt.register, security.register, docs.register, identity_cli.register):
    register(app)


def main() -> None:
    """Console-script entry point: click handles usage errors (exit 2); any other error is one clear line."""
    try:
        app()
    except Exception as exc:  # noqa: BLE001 - the CLI boundary: one line, or a traceback with --debug
        if _state["debug"] or "--debug" in sys.argv:
            raise
        kind = "error" if isinstance(exc, FFAError) else f"error ({type(exc).__name__})"
        err_console.print(f"[red]{kind}:[/red] {escape(str(exc))}", highlight=False, soft_wrap=True)
        sys.exit(1)
