"""`ffa snapshots list|promote|rollback|archive`: look at and steer the snapshot registry."""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import UTC, datetime
from enum import StrEnum

import typer
from rich.console import Console
from rich.table import Table

from ff_analytics.platform_config import platform_config
from ff_analytics.snapshots.lifecycle import archive_snapshots
from ff_analytics.snapshots.registry import RegistryRow
from ff_analytics.snapshots.store import SnapshotStore

console = Console()
snapshots_app = typer.Typer(help="List, promote, roll back and archive snapshots.", no_args_is_help=True)


class OutputFormat(StrEnum):
    table = "table"
    json = "json"


@snapshots_app.command("list")
def list_snapshots(
    source: str | None = typer.Option(None, "--source", help="Only this source."),
    dataset: str | None = typer.Option(None, "--dataset", help="Only this dataset."),
    fmt: OutputFormat = typer.Option(OutputFormat.table, "--format", help="table or json."),
) -> None:
    """Registry rows, oldest first."""
    platform_config().check_names(source, dataset)
    rows = SnapshotStore().registry.read()
    rows = [r for r in rows if (source is None or r.source == source) and (dataset is None or r.dataset == dataset)]
    rows.sort(key=lambda r: r.key)
    if fmt is OutputFormat.json:
        typer.echo(json.dumps([row_document(r) for r in rows], indent=2))
        return
    table = Table("source", "dataset", "date", "status", "seasons", "rows", title=f"{len(rows)} snapshots")
    for r in rows:
        style = {"current": "green", "pending": "yellow", "archived": "dim"}.get(r.status)
        seasons = "–".join(dict.fromkeys(v for v in (r.coverage_start_season, r.coverage_end_season) if v))
        table.add_row(r.source, r.dataset, r.snapshot_date, r.status, seasons, r.row_count, style=style)
    console.print(table)


def _number(value: str) -> int | None:
    return int(value) if value.strip().lstrip("-").isdigit() else None


def row_document(row: RegistryRow) -> dict[str, object]:
    """A registry row for JSON: counts and seasons as numbers (null when unknown), the rest as text."""
    doc: dict[str, object] = asdict(row)
    for key in ("coverage_start_season", "coverage_end_season", "row_count"):
        doc[key] = _number(getattr(row, key))
    return doc


@snapshots_app.command()
def promote(
    source: str,
    dataset: str,
    dt: str | None = typer.Option(None, "--dt", help="Snapshot date (default: newest pending)."),
) -> None:
    """Make a pending snapshot current (the previous current becomes historical).

    With ``--dt`` an older snapshot may be made current (an explicit step back in time); the target's files and
    manifest are checked first.
    """
    platform_config().check_names(source, dataset)
    row = SnapshotStore().registry.promote(source, dataset, dt, note="promoted by ffa snapshots promote",
                                           allow_older=dt is not None)
    typer.echo(f"{source}/{dataset} {row.snapshot_date} is now current")


@snapshots_app.command()
def rollback(source: str, dataset: str) -> None:
    """Make the snapshot before the current one current again."""
    platform_config().check_names(source, dataset)
    row = SnapshotStore().registry.rollback(source, dataset)
    typer.echo(f"{source}/{dataset} rolled back: {row.snapshot_date} is current again")


@snapshots_app.command()
def archive(
    older_than: int = typer.Option(None, "--older-than", min=0, help="Days (default from config/platform.yaml)."),
    delete: bool = typer.Option(False, "--delete", help="Also delete the archived snapshots' files."),
) -> None:
    """Archive historical snapshots older than N days (never the current one)."""
    days = older_than if older_than is not None else platform_config().archive_after_days
    rows = archive_snapshots(SnapshotStore(), days, datetime.now(UTC).date(), delete=delete)
    verb = "archived and deleted" if delete else "archived"
    typer.echo(f"{verb} {len(rows)} snapshots older than {days} days")
    for r in rows:
        typer.echo(f"  {r.source}/{r.dataset} {r.snapshot_date}")


@snapshots_app.command("restore-registry")
def restore_registry() -> None:
    """Replace a damaged registry by the last good copy (snapshot_registry.csv.bak); the damaged file is
    kept beside it as snapshot_registry.csv.damaged-<time>."""
    registry = SnapshotStore().registry
    rows = registry.restore_backup()
    typer.echo(f"restored {rows} registry rows from {registry.backup_path}")


def register(app: typer.Typer) -> None:
    app.add_typer(snapshots_app, name="snapshots")
