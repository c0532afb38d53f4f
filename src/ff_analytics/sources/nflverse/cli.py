"""`ffa ingest nflverse [--datasets weekly,teams | --datasets weekly teams] [--seasons 2020-2024] [--samples]`."""

from __future__ import annotations

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from ff_analytics.snapshots.store import WriteResult

console = Console()


def split_names(first: list[str] | None, more: list[str] | None) -> list[str] | None:
    """``--datasets a,b``, ``--datasets a --datasets b`` and ``--datasets a b`` all mean [a, b]."""
    names = [n.strip() for v in [*(first or []), *(more or [])] for n in v.split(",") if n.strip()]
    return names or None


def ingest_progress() -> Progress:
    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                    console=console, transient=True)


def register(ingest_app: typer.Typer) -> None:
    @ingest_app.command("nflverse")
    def ingest_nflverse_command(
        datasets: list[str] | None = typer.Option(
            None, "--datasets", "-d", help="weekly, snap_counts, ff_opportunity, schedule, teams, players, "
            "ff_playerids (comma- or space-separated; default all)."),
        more: list[str] | None = typer.Argument(None, hidden=True, metavar="DATASET"),
        seasons: str | None = typer.Option(None, "--seasons", "-s",
                                           help="2020-2024 or 2023,2024 (default: current season)."),
        samples: bool = typer.Option(False, "--samples", help="Ingest the repo's recordings into _samples/."),
        dt: str | None = typer.Option(None, "--dt", help="Snapshot date (default today, UTC)."),
    ) -> None:
        """Fetch nflverse data with nflreadpy and write one snapshot per dataset."""
        from ff_analytics.sources.nflverse.connector import ingest_nflverse, resolve_datasets

        names = resolve_datasets(split_names(datasets, more))
        results: list[WriteResult] = []
        with ingest_progress() as progress:
            task = progress.add_task(f"nflverse: {names[0]}", total=len(names))

            def advance(result: WriteResult) -> None:
                results.append(result)
                console.print(f"{result.dataset}: {result.row_count:,} rows, dt={result.dt}, {result.status} "
                              f"→ {result.path}", highlight=False, soft_wrap=True)
                done = len(results)
                progress.update(task, advance=1, description=f"nflverse: {names[min(done, len(names) - 1)]}")

            ingest_nflverse(names, seasons, samples=samples, dt=dt, on_result=advance)
