"""`ffa demo` (recorded data, replay servers, local Prefect) and `ffa run` (the real sources, same pipeline)."""

from __future__ import annotations

import time
from collections.abc import Callable
from contextlib import nullcontext
from datetime import date

import typer
from rich.console import Console

from ff_analytics.errors import ConfigError
from ff_analytics.orchestration.demo import run_demo, run_pipeline
from ff_analytics.orchestration.env import ensure_demo_prefect_env, ensure_prefect_env
from ff_analytics.orchestration.outcomes import RunSummary
from ff_analytics.orchestration.progress_display import live_progress
from ff_analytics.orchestration.run_log import run_log, run_log_path
from ff_analytics.orchestration.steps import preflight
from ff_analytics.orchestration.summary import print_summary
from ff_analytics.sources.catalog import SOURCE_NAMES, sources_named
from ff_analytics.storage import DataRoot

# Before anything imports Prefect: project-local PREFECT_HOME, ephemeral startup timeout, no telemetry.
ensure_prefect_env()

console = Console()


def _sources(value: list[str] | None) -> list[str]:
    chosen = [s.strip() for item in (value or []) for s in item.split(",") if s.strip()]
    return [s.name for s in sources_named(chosen)]


VERBOSE_OPT = typer.Option(False, "--verbose", "-v", help="Also print the run's log lines (Prefect, dbt) on stderr.")


def _run_and_report(command: str, verbose: bool, job: Callable[[], RunSummary]) -> None:
    """Run ``job`` with its log in a file under the data root, a live progress display on a terminal, then print
    the summary once (its time counts from the command's start: replay servers and Prefect's server included)."""
    started = time.monotonic()
    log_path = run_log_path(DataRoot.from_settings().logs_dir, command)
    with run_log(log_path, verbose=verbose), live_progress(console) if not verbose else nullcontext():
        summary = job()
    summary.seconds = time.monotonic() - started
    print_summary(summary, console)
    console.print(f"log: {log_path}", highlight=False, soft_wrap=True)
    if not summary.ok:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    @app.command("demo")
    def demo(
        source: list[str] = typer.Option(None, "--source", "-s", metavar="SOURCE",
                                         help=f"Only these sources: {', '.join(SOURCE_NAMES)} (repeat or comma-list)."),
        no_dbt: bool = typer.Option(False, "--no-dbt", help="Skip dbt build and source freshness."),
        no_prefect: bool = typer.Option(False, "--no-prefect", help="Call the same steps directly (no Prefect)."),
        verbose: bool = VERBOSE_OPT,
    ) -> None:
        """Run the whole pipeline on recorded real data: replay servers on 127.0.0.1, DuckDB, local Prefect."""
        ensure_demo_prefect_env()
        chosen = _sources(source)
        console.print("[bold]ffa demo[/bold]: replay servers and the all-sources flow"
                      + ("" if no_prefect else " (Prefect starts a local server first: allow a minute)"))
        _run_and_report("ffa-demo", verbose, lambda: run_demo(sources=chosen, use_prefect=not no_prefect,
                                                              run_dbt=not no_dbt))

    @app.command("run")
    def run(
        source: list[str] = typer.Option(None, "--source", "-s", metavar="SOURCE",
                                         help=f"Only these sources: {', '.join(SOURCE_NAMES)} (repeat or comma-list)."),
        force: bool = typer.Option(False, "--force", help="Load even when the cadence says no load is due."),
        dt: str = typer.Option(None, "--dt", metavar="YYYY-MM-DD", help="Snapshot date (default: today, UTC)."),
        no_dbt: bool = typer.Option(False, "--no-dbt", help="Skip dbt build and source freshness."),
        no_prefect: bool = typer.Option(False, "--no-prefect", help="Call the same steps directly (no Prefect)."),
        verbose: bool = VERBOSE_OPT,
    ) -> None:
        """Run the all-sources pipeline against the real sources with your credentials (.env / FFA_* settings)."""
        try:
            day = date.fromisoformat(dt) if dt else None
        except ValueError:
            raise ConfigError(f"--dt {dt!r} is not a date (YYYY-MM-DD)") from None
        chosen = _sources(source)
        preflight(sources_named(chosen))  # every missing setting, one line each, before any log or network call
        _run_and_report("ffa-run", verbose, lambda: run_pipeline(chosen, use_prefect=not no_prefect, force=force,
                                                                 dt=day, options={}, run_dbt=not no_dbt,
                                                                 label="ffa run"))
