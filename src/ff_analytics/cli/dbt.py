"""`ffa dbt run`, `ffa dbt docs`, `ffa dbt parity` and `ffa blocks register`.

`ffa dbt run` on this project prepares the run for the data root (vars, the root's warehouse, dbt target and logs)
and builds the same warehouse file `ffa run` builds; any other project goes to the generic runner as it is.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

import typer
from rich.console import Console

from ff_analytics.dbt_runner.params import parse_vars, validate_request
from ff_analytics.dbt_runner.parity import Tolerance, compare_runs, render_json, render_text
from ff_analytics.errors import FFAError
from ff_analytics.settings import get_settings
from ff_analytics.snapshots.store import SnapshotStore
from ff_analytics.transform.dbt import prepare_dbt, run_project_dbt

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
        profiles_strategy: str = typer.Option(None, "--profiles",
                                              help="local (default for this project: its profiles.yml on the data "
                                                   "root's warehouse) or blocks (Prefect target blocks)."),
    ) -> None:
        """Run the run-dbt flow here (ephemeral Prefect unless PREFECT_API_URL is set)."""
        ours = Path(project_dir or get_settings().dbt_project_dir).resolve() == \
            Path(get_settings().dbt_project_dir).resolve()
        env: dict[str, str] = {}
        run_vars = parse_vars(vars)
        artifacts_dir = None
        if ours:
            prepared = prepare_dbt()
            run_vars = {**prepared.dbt_vars, **run_vars}
            env = prepared.env
            artifacts_dir = str(SnapshotStore().root.dbt_runs_dir / prepared.project_dir.name)
        kwargs = dict(command=command, target=target, select=select, exclude=exclude, vars=run_vars,
                      full_refresh=full_refresh, state_path=str(state_path) if state_path else None, defer=defer,
                      project_dir=str(project_dir or get_settings().dbt_project_dir),
                      profiles_strategy=profiles_strategy or ("local" if ours else "blocks"))
        validate_request(**kwargs)  # fail fast, before Prefect starts
        kwargs.update(env=env, artifacts_dir=artifacts_dir)
        # Imported here, not at the top: Prefect and dbt take seconds to import, and every `ffa` command loads this
        # module (`ffa --version` went from under 1 s to 14 s with the import at the top).
        from ff_analytics.dbt_runner.flow import run_dbt

        with console.status(f"dbt {command} on target {target}..."):
            summary = run_dbt(**kwargs)
        console.print(f"[green]dbt {command} succeeded[/green]: {summary['nodes_by_status']}; "
                      f"artifacts in {summary['artifacts_dir']}")

    @dbt_app.command("docs")
    def docs(
        serve: bool = typer.Option(False, "--serve", help="Then serve them on http://127.0.0.1:PORT (Ctrl-C stops)."),
        port: int = typer.Option(8080, "--port", help="Port for --serve."),
    ) -> None:
        """Generate dbt's docs (lineage, columns, tests) for the data root's warehouse."""
        prepared = prepare_dbt()
        with console.status("dbt docs generate..."):
            generated = run_project_dbt(["docs", "generate"], prepared=prepared)
        index = prepared.target_path / "index.html"
        if not generated.success or not index.is_file():
            raise FFAError(f"dbt docs generate failed: {generated.error or 'see ' + str(prepared.log_path)}",
                           source="dbt")
        console.print(f"dbt docs: {index} (catalog of {prepared.warehouse_path})", highlight=False, soft_wrap=True)
        if serve:
            console.print(f"serving on http://127.0.0.1:{port} (Ctrl-C stops)", highlight=False)
            run_project_dbt(["docs", "serve", "--port", str(port), "--host", "127.0.0.1", "--no-browser"],
                            prepared=prepared)

    @blocks_app.command("register")
    def register_cmd() -> None:
        """Create/update the dbt target blocks and the alert blocks from FFA_* / DISCORD_WEBHOOK_URL settings."""
        from ff_analytics.cli.blocks import register_blocks  # imports Prefect (see run)

        made = register_blocks()
        for block in made:
            console.print(f"saved {block.block_type}/{block.name} ({block.detail})")
        if not made:
            console.print("no blocks to register (no settings given)")

    app.add_typer(dbt_app, name="dbt")
    app.add_typer(blocks_app, name="blocks")
