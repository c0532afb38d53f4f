"""`ffa dbt parity`, `ffa dbt run` and `ffa blocks register`."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

import typer
from rich.console import Console

console = Console()


class OutputFormat(StrEnum):
    text = "text"
    json = "json"


def register(app: typer.Typer) -> None:
    dbt_app = typer.Typer(help="Run dbt Core on Prefect and compare runs.", no_args_is_help=True)
    blocks_app = typer.Typer(help="Prefect blocks: dbt targets and alert channels.", no_args_is_help=True)

    @dbt_app.command("parity")
    def parity(
        baseline_dir: Path = typer.Argument(..., help="Artifacts dir of the reference run (run_results.json, "
                                                      "manifest.json, or a target/ holding them)."),
        candidate_dir: Path = typer.Argument(..., help="Artifacts dir of the run to check."),
        fmt: OutputFormat = typer.Option(OutputFormat.text, "--format", help="text or json."),
        tolerance: list[str] = typer.Option(None, "--tolerance",
                                            help="rows=FRACTION (row-count change allowed, default 0) or "
                                                 "timing=FRACTION (slow-down allowed; default: timings not "
                                                 "compared). Repeatable; a bare number means rows."),
    ) -> None:
        """Compare two dbt runs; exit 1 when they differ beyond the tolerance."""
        from ff_analytics.dbt_runner.parity import Tolerance, compare_runs, render_json, render_text

        report = compare_runs(baseline_dir, candidate_dir, Tolerance.parse(tolerance))
        typer.echo(render_json(report) if fmt is OutputFormat.json else render_text(report))
        if not report.identical:
            raise typer.Exit(1)

    @dbt_app.command("run")
    def run(
        command: str = typer.Argument("build", help="build, run, test, seed, deps, clean or 'source freshness'."),
        target: str = typer.Option("dev", "--target", "-t"),
        select: str = typer.Option(None, "--select", "-s"),
        exclude: str = typer.Option(None, "--exclude"),
        vars: str = typer.Option(None, "--vars", help="JSON or YAML mapping."),
        full_refresh: bool = typer.Option(False, "--full-refresh"),
        state_path: Path = typer.Option(None, "--state", help="Artifacts of an earlier run (state:modified+)."),
        defer: bool = typer.Option(False, "--defer"),
        project_dir: Path = typer.Option(None, "--project-dir", help="Default: the repo's dbt/ff_analytics."),
        profiles_strategy: str = typer.Option("blocks", "--profiles", help="blocks (default) or local."),
    ) -> None:
        """Run the run-dbt flow here (ephemeral Prefect unless PREFECT_API_URL is set)."""
        from ff_analytics.dbt_runner.flow import run_dbt
        from ff_analytics.dbt_runner.params import validate_request
        from ff_analytics.settings import get_settings

        kwargs = dict(command=command, target=target, select=select, exclude=exclude, vars=vars,
                      full_refresh=full_refresh, state_path=str(state_path) if state_path else None, defer=defer,
                      project_dir=str(project_dir or get_settings().dbt_project_dir),
                      profiles_strategy=profiles_strategy)
        validate_request(**kwargs)  # fail fast, before Prefect starts
        with console.status(f"dbt {command} on target {target}..."):
            summary = run_dbt(**kwargs)
        console.print(f"[green]dbt {command} succeeded[/green]: {summary['nodes_by_status']}; "
                      f"artifacts in {summary['artifacts_dir']}")

    @blocks_app.command("register")
    def register_cmd() -> None:
        """Create/update the dbt target blocks and the alert blocks from FFA_* / DISCORD_WEBHOOK_URL settings."""
        from ff_analytics.blocks import register_blocks

        made = register_blocks()
        for block in made:
            console.print(f"saved {block.block_type}/{block.name} ({block.detail})")
        if not made:
            console.print("no blocks to register (no settings given)")

    app.add_typer(dbt_app, name="dbt")
    app.add_typer(blocks_app, name="blocks")
