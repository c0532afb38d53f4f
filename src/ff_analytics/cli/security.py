"""`ffa scan-pii PATH…`: fail when personal data or a secret appears in snapshots, logs or DuckDB tables."""

from __future__ import annotations

from pathlib import Path

import typer

from ff_analytics.security.pii_scan import scan_paths
from ff_analytics.settings import get_settings


def scan_pii(paths: list[Path] = typer.Argument(None, metavar="PATH",
                                                 help="Files/folders (default: the local data root).")) -> None:
    """Scan Parquet columns, DuckDB tables and text files; exit 1 on any hit (values are printed masked)."""
    targets = paths or [Path(get_settings().data_root)]
    missing = [p for p in targets if not p.exists()]
    if missing:
        raise typer.BadParameter(f"no such path: {', '.join(map(str, missing))}")
    hits = scan_paths(targets)
    for hit in hits:
        typer.echo(str(hit), err=True)
    typer.echo(f"scanned {', '.join(map(str, targets))}: {len(hits)} findings")
    if hits:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    app.command("scan-pii")(scan_pii)
