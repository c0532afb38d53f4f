"""`ffa docs refresh|check`: keep the config tables in the docs generated from config/platform.yaml."""

from __future__ import annotations

import typer

from ff_analytics.docs_tables import refresh_docs, stale_docs
from ff_analytics.settings import PROJECT_ROOT

docs_app = typer.Typer(help="Regenerate or check the docs' tables that restate config.", no_args_is_help=True)


@docs_app.command()
def refresh() -> None:
    """Rewrite every generated table block from config."""
    changed = refresh_docs(PROJECT_ROOT)
    typer.echo(f"refreshed {len(changed)} files" + "".join(f"\n  {p.relative_to(PROJECT_ROOT)}" for p in changed))


@docs_app.command()
def check() -> None:
    """Exit 1 when a generated table block no longer matches config."""
    stale = stale_docs(PROJECT_ROOT)
    for p in stale:
        typer.echo(f"stale: {p.relative_to(PROJECT_ROOT)} (run `ffa docs refresh`)", err=True)
    if stale:
        raise typer.Exit(1)
    typer.echo("docs tables match config")


def register(app: typer.Typer) -> None:
    app.add_typer(docs_app, name="docs")
