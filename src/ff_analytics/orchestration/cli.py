"""`ffa demo` (recorded data, replay servers, local Prefect) and `ffa run` (the real sources, same pipeline)."""

from __future__ import annotations

from datetime import date

import typer
from rich.console import Console

from ff_analytics.errors import ConfigError
from ff_analytics.orchestration.demo import run_demo, run_pipeline
from ff_analytics.orchestration.env import ensure_demo_prefect_env, ensure_prefect_env
from ff_analytics.orchestration.summary import print_summary
from ff_analytics.sources.catalog import SOURCE_NAMES, sources_named

# Before anything imports Prefect: project-local PREFECT_HOME, ephemeral startup timeout, no telemetry.
ensure_prefect_env()

console = Console()


def _sources(value: list[str] | None) -> list[str]:
    chosen = [s.strip() for item in (value or []) for s in item.split(",") if s.strip()]
    return [s.name for s in sources_named(chosen)]


def register(app: typer.Typer) -> None:
    @app.command("demo")
    def demo(
        source: list[str] = typer.Option(None, "--source", "-s",
                                         help=f"Only these sources: {', '.join(SOURCE_NAMES)} (repeat or comma-list)."),
        no_dbt: bool = typer.Option(False, "--no-dbt", help="Skip dbt build and source freshness."),
        no_prefect: bool = typer.Option(False, "--no-prefect", help="Call the same steps directly (no Prefect)."),
    ) -> None:
        """Run the whole pipeline on recorded real data: replay servers on 127.0.0.1, DuckDB, local Prefect."""
        ensure_demo_prefect_env()
        console.print("[bold]ffa demo[/bold]: starting replay servers and the all-sources flow "
                      "(the first run starts a local Prefect server; allow a minute)")
        with console.status("running the pipeline..."):
            summary = run_demo(sources=_sources(source), use_prefect=not no_prefect, run_dbt=not no_dbt)
        print_summary(summary, console)
        if not summary.ok:
            raise typer.Exit(1)

    @app.command("run")
    def run(
        source: list[str] = typer.Option(None, "--source", "-s",
                                         help=f"Only these sources: {', '.join(SOURCE_NAMES)} (repeat or comma-list)."),
        force: bool = typer.Option(False, "--force", help="Load even when the cadence says no load is due."),
        dt: str = typer.Option(None, "--dt", help="Snapshot date YYYY-MM-DD (default: today, UTC)."),
        no_dbt: bool = typer.Option(False, "--no-dbt", help="Skip dbt build and source freshness."),
        no_prefect: bool = typer.Option(False, "--no-prefect", help="Call the same steps directly (no Prefect)."),
    ) -> None:
        """Run the all-sources pipeline against the real sources with your credentials (.env / FFA_* settings)."""
        try:
            day = date.fromisoformat(dt) if dt else None
        except ValueError:
            raise ConfigError(f"--dt {dt!r} is not a date (YYYY-MM-DD)") from None
        with console.status("running the pipeline..."):
            summary = run_pipeline(_sources(source), use_prefect=not no_prefect, force=force, dt=day, options={},
                                   run_dbt=not no_dbt, label="ffa run")
        print_summary(summary, console)
        if not summary.ok:
            raise typer.Exit(1)
