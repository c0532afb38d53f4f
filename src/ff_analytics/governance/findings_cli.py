"""``ffa findings``: list the findings that are still active, and acknowledge one with a recorded reason."""

from __future__ import annotations

import json
from datetime import date
from enum import StrEnum

import typer

from ff_analytics.errors import ConfigError
from ff_analytics.governance.findings import summarize
from ff_analytics.governance.findings_store import FindingsStore
from ff_analytics.governance.ops_store import changed, default_warehouse, read_history
from ff_analytics.storage import DataRoot


class Format(StrEnum):
    text = "text"
    json = "json"


app = typer.Typer(help="Findings that persist across runs until the data changes or they are acknowledged.",
                  no_args_is_help=True)


def _dt(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ConfigError(f"--dt {value!r} is not a date (expected YYYY-MM-DD)") from None


@app.command("list")
def list_cmd(
    all_: bool = typer.Option(False, "--all", help="Also show acknowledged findings (with who, when and why)."),
    fmt: Format = typer.Option(Format.text, "--format", help="text or json."),
) -> None:
    """Active findings of current and pending snapshots (and of the last dbt tests), errors first."""
    root = DataRoot.from_settings()
    store = FindingsStore(root)
    found = store.active(include_acknowledged=all_)
    acks = {a.key: a for a in store.acknowledged()}
    if fmt is Format.json:
        items = [{**f.model_dump(mode="json"), "acknowledged": acks[f.key].model_dump(mode="json")
                  if f.key in acks else None} for f in found]
        typer.echo(json.dumps({"root": root.url, "summary": summarize(f for f in found if f.key not in acks),
                               "findings": items}, indent=2))
        return
    typer.echo(f"data root: {root.url}")
    for f in found:
        line = f"{f.line()}  [code {f.code}, since {f.first_seen:%Y-%m-%d %H:%M}]"
        if f.key in acks:
            a = acks[f.key]
            line += f"  ACKNOWLEDGED by {a.by} {a.at:%Y-%m-%d %H:%M}: {a.reason}"
        typer.echo(line)
    active = [f for f in found if f.key not in acks]
    s = summarize(active)
    typer.echo(f"findings: {len(active)} active — {s['errors']} errors, {s['warnings']} warnings"
               + (f"; {len(found) - len(active)} acknowledged" if all_ else ""))


@app.command("ack")
def ack_cmd(
    code: str = typer.Argument(..., help="The finding's code, as `ffa findings list` shows it."),
    reason: str = typer.Option(..., "--reason", help="Why this is acceptable (recorded with who and when)."),
    source: str | None = typer.Option(None, "--source", help="Only findings of this source."),
    dataset: str | None = typer.Option(None, "--dataset", help="Only findings of this dataset."),
    dt: str | None = typer.Option(None, "--dt", help="Only findings of the snapshot of this date (YYYY-MM-DD)."),
    by: str | None = typer.Option(None, "--by", help="Who acknowledges (default: the login name)."),
) -> None:
    """Acknowledge the active findings with CODE: hidden until the data changes (a new snapshot re-raises it)."""
    acks = FindingsStore(DataRoot.from_settings()).ack(code, reason, by=by, source=source, dataset=dataset,
                                                       dt=_dt(dt))
    for a in acks:
        where = "/".join(p for p in (a.source, a.dataset) if p) + (f" {a.dt}" if a.dt else "")
        typer.echo(f"acknowledged {a.code} {where}: {a.message} (by {a.by}: {a.reason})")


@app.command("history")
def history_cmd(
    limit: int = typer.Option(10, "--limit", help="How many recent runs."),
    warehouse: str | None = typer.Option(None, "--warehouse", help="DuckDB file with the ops schema (default: the "
                                         "data root's warehouse)."),
    fmt: Format = typer.Option(Format.text, "--format", help="text or json."),
) -> None:
    """Recent runs from the warehouse's ops history, and what the last one changed (query ops.* for more)."""
    root = DataRoot.from_settings()
    path = warehouse or default_warehouse(root)
    hist = read_history(path, limit=limit)
    if fmt is Format.json:
        typer.echo(json.dumps({"root": root.url, "warehouse": str(path), "runs": hist.runs,
                               "last_run_changes": [e.as_dict() for e in changed(hist.last_events)]},
                              indent=2, default=str))
        return
    typer.echo(f"data root: {root.url}\nwarehouse: {path}")
    if not hist.runs:
        typer.echo("no runs recorded yet")
        return
    for r in hist.runs:
        typer.echo(f"{str(r['started_at'])[:19]}  {r['run_id']:<24} {'ok    ' if r['ok'] else 'FAILED'} "
                   f"tests {r['tests_pass'] or 0} pass / {r['tests_warn'] or 0} warn / {r['tests_error'] or 0} "
                   f"error; findings {r['findings_error'] or 0} errors, {r['findings_warning'] or 0} warnings")
    moved = changed(hist.last_events)
    typer.echo("last run: " + ("nothing changed" if not moved else "changed " + "; ".join(e.line() for e in moved)))
