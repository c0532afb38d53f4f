"""`ffa ingest ktc [--datasets players picks] [--market-scope dynasty_1qb|dynasty_superflex|both] [--samples]`."""

from __future__ import annotations

from enum import StrEnum

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from ff_analytics.snapshots.store import WriteResult

console = Console()


class MarketScope(StrEnum):
    dynasty_1qb = "dynasty_1qb"
    dynasty_superflex = "dynasty_superflex"
    both = "both"


def register(ingest_app: typer.Typer) -> None:
    @ingest_app.command("ktc")
    def ingest_ktc_command(
        datasets: list[str] | None = typer.Option(
            None, "--datasets", "-d", help="players, picks (comma- or space-separated; default both)."),
        more: list[str] | None = typer.Argument(None, hidden=True, metavar="DATASET"),
        market_scope: MarketScope = typer.Option(MarketScope.dynasty_1qb, "--market-scope",
                                                 help="dynasty_1qb (default), dynasty_superflex or both."),
        samples: bool = typer.Option(False, "--samples", help="Ingest the repo's recorded pages into _samples/."),
        dt: str | None = typer.Option(None, "--dt", help="Snapshot date (default today, UTC)."),
    ) -> None:
        """Fetch KeepTradeCut dynasty values and write one snapshot per dataset (same-day scopes merge)."""
        from ff_analytics.sources.ktc.connector import ingest_ktc, resolve_datasets

        names = resolve_datasets([n.strip() for v in [*(datasets or []), *(more or [])] for n in v.split(",")
                                  if n.strip()] or None)
        with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                      console=console, transient=True) as progress:
            task = progress.add_task(f"ktc: fetching pages for {', '.join(names)}", total=len(names))

            def advance(result: WriteResult) -> None:
                console.print(f"{result.dataset}: {result.row_count:,} rows, dt={result.dt}, {result.status} "
                              f"→ {result.path}", highlight=False, soft_wrap=True)
                progress.update(task, advance=1, description=f"ktc: wrote {result.dataset}")

            ingest_ktc(names, market_scope.value, samples=samples, dt=dt, on_result=advance)
