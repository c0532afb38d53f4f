"""`ffa ingest <source>`: each source in the catalog contributes its own sub-command."""

from __future__ import annotations

import typer

from ff_analytics.replay.catalog import register_samples_servers
from ff_analytics.sources.catalog import SOURCES


def register(app: typer.Typer) -> None:
    ingest_app = typer.Typer(help="Fetch a source and write dated snapshots.", no_args_is_help=True)
    for source in SOURCES:
        source.register_cli(ingest_app)
    register_samples_servers()  # `--samples` serves the recordings from their replay servers
    app.add_typer(ingest_app, name="ingest")
