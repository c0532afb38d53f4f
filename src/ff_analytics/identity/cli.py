"""`ffa identity resolve`: run the resolver against the data root and print its match rates and findings."""

from __future__ import annotations

import typer
from rich.console import Console
from rich.table import Table

from ff_analytics.identity.quality import identity_findings
from ff_analytics.identity.step import resolve_player_identity
from ff_analytics.snapshots.store import SnapshotStore


def register(app: typer.Typer) -> None:
    identity_app = typer.Typer(help="One player identity across every source.", no_args_is_help=True)

    @identity_app.command("resolve")
    def resolve_cmd(dt: str = typer.Option(None, help="Snapshot date (default today)."),
                    findings: bool = typer.Option(True, help="Print the match-quality findings.")) -> None:
        """Resolve every source's current players and write identity/player_identity."""
        store = SnapshotStore()
        result = resolve_player_identity(store, dt=dt)
        console = Console()
        console.print(f"identity/player_identity {result.dt}: {result.status} ({result.row_count} keys)")
        table = Table("source/dataset", "keys", "resolved %", "rows %", "rostered", "rostered %")
        for name, r in (result.manifest.params.get("match_rates") or {}).items():
            table.add_row(name, str(r["keys"]), str(r["key_rate_pct"]), str(r["row_rate_pct"]), str(r["rostered"]),
                          str(r["rostered_rate_pct"] if r["rostered"] else "-"))
        console.print(table)
        if findings:
            for f in identity_findings(store, result.dt):
                console.print(f.line(), markup=False)

    app.add_typer(identity_app, name="identity")
