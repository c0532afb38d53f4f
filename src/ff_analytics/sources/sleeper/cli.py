"""`ffa ingest sleeper [--datasets rosters,users] [--seasons 2023-2025] [--league-id ID] [--samples]`."""

from __future__ import annotations

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from ff_analytics.snapshots.store import WriteResult

console = Console()


def _names(values: list[str] | None) -> list[str] | None:
    """``--datasets a,b``, ``--datasets a --datasets b`` and ``--datasets a b`` all mean [a, b]."""
    names = [n.strip() for v in values or [] for n in v.split(",") if n.strip()]
    return names or None


def _table(results: list[WriteResult]) -> Table:
    table = Table("dataset", "rows", "dt", "status", "snapshot", title="sleeper")
    for r in results:
        style = {"new": "green", "replaced": "yellow", "unchanged": "dim"}.get(r.status)
        table.add_row(r.dataset, f"{r.row_count:,}", r.dt.isoformat(), r.status, r.path, style=style)
    return table


def register(ingest_app: typer.Typer) -> None:
    @ingest_app.command("sleeper")
    def ingest_sleeper_command(
        datasets: list[str] | None = typer.Option(
            None, "--datasets", "-d", help="league, users, rosters, transactions, traded_picks, drafts, "
            "draft_picks, players, state, matchups, brackets, draft_traded_picks (comma- or space-separated; "
            "default all)."),
        more: list[str] | None = typer.Argument(None, hidden=True, metavar="DATASET"),
        seasons: str | None = typer.Option(None, "--seasons", "-s", help="2020-2024 or 2023,2025: walk "
                                           "previous_league_id back to these seasons (default: the league's own)."),
        league_id: str | None = typer.Option(None, "--league-id", help="Sleeper league id (default "
                                             "FFA_SLEEPER_LEAGUE_ID)."),
        samples: bool = typer.Option(False, "--samples", help="Ingest the repo's recorded responses into _samples/."),
        force_players: bool = typer.Option(False, "--force-players",
                                           help="Download the players dump even if fetched today."),
        dt: str | None = typer.Option(None, "--dt", help="Snapshot date (default today, UTC)."),
    ) -> None:
        """Fetch the Sleeper league API and write one snapshot per dataset (nothing is written on any error)."""
        from ff_analytics.sources.sleeper.connector import ingest_sleeper, resolve_datasets

        names = resolve_datasets(_names([*(datasets or []), *(more or [])]))
        results: list[WriteResult] = []
        with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                      console=console, transient=True) as progress:
            task = progress.add_task("sleeper: starting", total=2 * len(names))

            def on_progress(event: str, dataset: str, detail: str) -> None:
                if event == "call":
                    progress.update(task, description=f"sleeper: fetching {dataset} {detail}")
                else:
                    progress.update(task, advance=1, description=f"sleeper: {dataset} {event}")

            def on_result(result: WriteResult) -> None:
                results.append(result)
                console.print(f"{result.dataset}: {result.row_count:,} rows, dt={result.dt}, {result.status} "
                              f"→ {result.path}", highlight=False)

            ingest_sleeper(names, league_id=league_id, seasons=seasons, samples=samples, dt=dt,
                           force_players=force_players, on_progress=on_progress, on_result=on_result)
        console.print(_table(results))
