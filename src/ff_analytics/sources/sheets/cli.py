"""``ffa ingest sheets copy`` (sheet → raw_tabs snapshot) and ``ffa ingest sheets parse`` (raw_tabs → tables)."""

from __future__ import annotations

import typer
from rich.console import Console

console = Console()


def register(ingest_app: typer.Typer) -> None:
    sheets_app = typer.Typer(help="Commissioner Google Sheet: copy the tabs, then parse them.", no_args_is_help=True)

    @sheets_app.command("copy")
    def copy(
        sheet_id: str | None = typer.Option(None, "--sheet-id", help="Spreadsheet key (default: FFA_SHEET_ID)."),
        drive_copy: bool = typer.Option(False, "--drive-copy", help="Also make a Drive copy of the spreadsheet."),
        dt: str | None = typer.Option(None, "--dt", help="Snapshot date YYYY-MM-DD (default: today, UTC)."),
    ) -> None:
        """Read every expected tab in one batch and write the raw_tabs snapshot (PII redacted)."""
        from ff_analytics.sources.sheets.copy import copy_league_sheet

        with console.status("copying the commissioner sheet…"):
            result = copy_league_sheet(sheet_id=sheet_id, drive_copy=drive_copy, dt=dt)
        params = result.manifest.params
        console.print(f"sheets/raw_tabs dt={result.dt} [{result.status}]: {len(params.get('tabs', {}))} tabs, "
                      f"{result.row_count} rows, {params.get('pii_cells_redacted', 0)} personal cells redacted"
                      + (f", Drive copy {params['drive_copy_id']}" if params.get("drive_copy_id") else ""),
                      markup=False, highlight=False, soft_wrap=True)

    @sheets_app.command("parse")
    def parse(
        raw_dt: str | None = typer.Option(None, "--dt", help="raw_tabs snapshot date to parse (default: latest)."),
        out_dt: str | None = typer.Option(None, "--out-dt", help="Date of the parsed snapshots (default: --dt)."),
    ) -> None:
        """Parse a raw_tabs snapshot into contracts, cap space, draft picks, transactions and parse_qa."""
        from ff_analytics.sources.sheets.parse import parse_league_sheet

        with console.status("parsing the raw tabs…"):
            results = parse_league_sheet(raw_dt, dt=out_dt)
        for r in results:
            console.print(f"sheets/{r.dataset} dt={r.dt} [{r.status}]: {r.row_count} rows", markup=False,
                          highlight=False, soft_wrap=True)

    ingest_app.add_typer(sheets_app, name="sheets")
