"""`ffa ingest <source>`: each source package contributes its own sub-command via ``register(ingest_app)``."""

from __future__ import annotations

import typer

SOURCE_CLI_MODULES = [
    "ff_analytics.sources.nflverse.cli",
    "ff_analytics.sources.sleeper.cli",
    "ff_analytics.sources.ktc.cli",
    "ff_analytics.sources.sheets.cli",
    "ff_analytics.sources.ffanalytics.cli",
]


def register(app: typer.Typer) -> None:
    ingest_app = typer.Typer(help="Fetch a source and write dated snapshots.", no_args_is_help=True)
    from ff_analytics.cli.main import register_from

    register_from(SOURCE_CLI_MODULES, ingest_app)
    app.add_typer(ingest_app, name="ingest")
