"""Top-level governance commands: validate, coverage, freshness, govern, sync, retention, report.

Exit codes: 0 clean (warnings are printed but pass), 1 when any finding is an error. ``--format json`` prints the
versioned document described in :mod:`ff_analytics.governance.findings`.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from enum import StrEnum
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from ff_analytics.errors import ConfigError
from ff_analytics.governance.coverage import analyze_coverage, render_text
from ff_analytics.governance.findings import (
    Finding,
    Severity,
    dumps,
    envelope,
    has_errors,
    sort_findings,
    summarize,
)
from ff_analytics.governance.findings_cli import app as findings_app
from ff_analytics.governance.findings_store import active_findings
from ff_analytics.governance.freshness import check_freshness, freshness_table
from ff_analytics.governance.gate import govern_all_pending
from ff_analytics.governance.inventory import read_registry_rows
from ff_analytics.governance.report import write_report
from ff_analytics.governance.retention import apply_deletions, load_policy, plan_retention
from ff_analytics.governance.sync import root_for, sync_roots
from ff_analytics.governance.validate import validate
from ff_analytics.settings import get_settings
from ff_analytics.snapshots.store import SnapshotStore
from ff_analytics.storage import DataRoot

console = Console()


class Format(StrEnum):
    text = "text"
    json = "json"


SOURCES_ARG = typer.Argument(None, help="Sources to check (default: all), e.g. nflverse sheets.", show_default=False,
                             metavar="SOURCE")
SOURCES_OPT = typer.Option(None, "--sources", "--source", "-s", metavar="SOURCE",
                           help="Sources to check (default: all); `--sources nflverse sheets` works too.")
FORMAT_OPT = typer.Option(Format.text, "--format", help="text or json.")
AS_OF_OPT = typer.Option(None, "--as-of", metavar="YYYY-MM-DD", help="Evaluate as of this date (default today UTC).")


def _sources(positional: list[str] | None, option: list[str] | None) -> list[str] | None:
    """``--sources a b`` parses as option [a] plus positional [b]: both lists together are the selection."""
    picked = [*(option or []), *(positional or [])]
    for name in picked:
        get_store().config.check_names(name)
    return picked or None


def _as_of(value: str | None) -> date:
    if value is None:
        return datetime.now(UTC).date()
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ConfigError(f"--as-of {value!r} is not a date (expected YYYY-MM-DD)") from None


def get_store() -> SnapshotStore:
    return SnapshotStore()


def registered_store() -> SnapshotStore:
    """The data root's store, refusing a root without a registry: a mistyped FFA_DATA_ROOT must not look healthy."""
    store = get_store()
    if not store.root.fs.exists(store.registry.path):
        raise ConfigError(f"no snapshot registry under the data root {store.root.uri()} (expected "
                          f"{store.root.uri('registry', 'snapshot_registry.csv')}); is FFA_DATA_ROOT right?")
    return store


def _emit(check: str, findings: list[Finding], fmt: Format, as_of: date, store: SnapshotStore,
          text_body: str = "", **extra) -> None:
    """Print findings (text or JSON) and exit 1 when any is an error."""
    if fmt is Format.json:
        typer.echo(dumps(envelope(check, findings, as_of=as_of, root=store.root.url, **extra)))
    else:
        if text_body:
            typer.echo(text_body)
        for f in sort_findings(findings):
            typer.echo(f.line())
        s = summarize(findings)
        typer.echo(f"{check}: {'OK' if s['ok'] else 'FAILED'} — {s['errors']} errors, {s['warnings']} warnings, "
                   f"{s['info']} info")
    if has_errors(findings):
        raise typer.Exit(1)


def validate_cmd(
    sources: list[str] | None = SOURCES_ARG,
    sources_opt: list[str] | None = SOURCES_OPT,
    fail_on_gaps: bool = typer.Option(False, "--fail-on-gaps", help="Season/week gaps are errors (exit 1)."),
    deep: bool = typer.Option(False, "--deep", help="Also re-hash data files and compare footer schemas."),
    fmt: Format = FORMAT_OPT,
    as_of: str | None = AS_OF_OPT,
) -> None:
    """Registry ↔ disk and manifest ↔ Parquet consistency, plus season/week gaps (footers and manifests only)."""
    store, day = registered_store(), _as_of(as_of)
    picked = _sources(sources, sources_opt)
    findings = validate(store, picked, deep=deep, fail_on_gaps=fail_on_gaps, as_of=day)
    findings += kept_findings(store, picked, findings)
    _emit("validate", findings, fmt, day, store)


def kept_findings(store: SnapshotStore, sources: list[str] | None, already: list[Finding]) -> list[Finding]:
    """The findings store's active findings of the picked sources that this command did not find itself."""
    seen = {f.model_dump_json() for f in already}
    return [f for f in active_findings(store.root) if (sources is None or f.source in sources or f.source is None)
            and f.model_dump_json() not in seen]


def coverage_cmd(
    sources: list[str] | None = SOURCES_ARG,
    sources_opt: list[str] | None = SOURCES_OPT,
    xref: Path | None = typer.Option(None, "--xref", help="Crosswalk file (Parquet/CSV export of "
                                     "dim_player_id_xref); default: the nflverse ff_playerids snapshot."),
    no_mapping: bool = typer.Option(False, "--no-mapping", help="Skip player-id mapping rates (reads no data)."),
    fail_on_gaps: bool = typer.Option(False, "--fail-on-gaps", help="Exit 1 when a gap is found."),
    fmt: Format = FORMAT_OPT,
    as_of: str | None = AS_OF_OPT,
) -> None:
    """Row deltas vs the previous snapshot, season/week gaps and player-id mapping rates per dataset."""
    store, day = registered_store(), _as_of(as_of)
    report = analyze_coverage(store, _sources(sources, sources_opt), day, xref, with_mapping=not no_mapping)
    findings = report.findings
    if fail_on_gaps:
        findings = [f.model_copy(update={"severity": Severity.error}) if f.check == "gaps" else f for f in findings]
    _emit("coverage", findings, fmt, day, store, text_body=render_text(report),
          coverage=[c.as_dict() for c in report.datasets])


def freshness_cmd(
    sources: list[str] | None = SOURCES_ARG,
    sources_opt: list[str] | None = SOURCES_OPT,
    fmt: Format = FORMAT_OPT,
    as_of: str | None = AS_OF_OPT,
) -> None:
    """Age of each source's newest current snapshot vs config/platform.yaml thresholds (exit 1 past error)."""
    store, day = registered_store(), _as_of(as_of)
    picked = _sources(sources, sources_opt)
    table = freshness_table(store, picked, day)
    findings = check_freshness(store, picked, day)
    if fmt is Format.text:
        t = Table("source", "newest current", "age (days)", "warn after", "error after", "status")
        for s in table:
            t.add_row(s.source, str(s.newest_dt or "—"), str(s.age_days if s.age_days is not None else "—"),
                      str(s.warn_after_days), str(s.error_after_days), s.status.value if s.status else "ok",
                      style={"error": "red", "warning": "yellow"}.get(s.status.value if s.status else "", None))
        console.print(t)
    _emit("freshness", findings, fmt, day, store, sources=[s.as_dict() for s in table])


def govern_cmd(
    sources: list[str] | None = SOURCES_ARG,
    sources_opt: list[str] | None = SOURCES_OPT,
    promote: bool = typer.Option(False, "--promote", help="Promote the pending snapshots that pass."),
    fmt: Format = FORMAT_OPT,
    as_of: str | None = AS_OF_OPT,
) -> None:
    """Run the promotion gate on every pending snapshot (report only, or promote with --promote)."""
    store, day = get_store(), _as_of(as_of)
    _rows, registry_problems = read_registry_rows(store)  # a registry every write refuses fails the run
    results = govern_all_pending(store, _sources(sources, sources_opt), promote=promote, as_of=day)
    findings = registry_problems + [f for r in results for f in r.findings]
    lines = []
    for r in results:
        verb = "promoted" if r.promoted else ("would promote" if not promote and not has_errors(r.findings)
                                              else "kept pending")
        lines.append(f"{r.source}/{r.dataset} {r.dt}: {verb}" + ("" if r.promoted or not has_errors(r.findings)
                                                                   else f" — {r.reason}"))
    if not results:
        lines.append("no pending snapshots")
    _emit("govern", findings, fmt, day, store, text_body="\n".join(lines),
          results=[{"source": r.source, "dataset": r.dataset, "dt": r.dt.isoformat(), "promoted": r.promoted,
                    "passed": not has_errors(r.findings)} for r in results])


def sync_cmd(
    to: str | None = typer.Option(None, "--to", help="Copy local snapshots to this URL (s3://bucket/prefix)."),
    from_: str | None = typer.Option(None, "--from", help="Copy snapshots from this URL to the local root."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Only say what would be copied."),
    force: bool = typer.Option(False, "--force", help="Replace populated partitions that differ."),
    fmt: Format = FORMAT_OPT,
) -> None:
    """Local data root ↔ object store; skips _samples/, never overwrites without --force, verifies hashes."""
    if (to is None) == (from_ is None):
        raise ConfigError("give exactly one of --to URL or --from URL")
    local = DataRoot.from_settings()
    remote = root_for(to or from_ or "")
    src, dst = (local, remote) if to else (remote, local)
    result = sync_roots(src, dst, dry_run=dry_run, force=force)
    counts = {k: result.count(k) for k in ("copy", "replace", "in_sync", "conflict", "skip_incomplete", "failed")}
    prefix = "would " if dry_run else ""
    body = "\n".join(f"{prefix}{a.kind:8} {a.source}/{a.dataset} {a.dt}" + (f" — {a.detail}" if a.detail else "")
                     for a in result.actions if a.kind != "in_sync")
    body += (f"\n{src.url} -> {dst.url}: " + ", ".join(f"{v} {k}" for k, v in counts.items()) +
             f"; {result.registry_rows_changed} registry rows {prefix}changed")
    store = SnapshotStore(root=dst)
    _emit("sync", result.findings, fmt, datetime.now(UTC).date(), store, text_body=body.strip(),
          src=result.src, dst=result.dst, dry_run=dry_run, counts=counts,
          registry_rows_changed=result.registry_rows_changed,
          actions=[vars(a) for a in result.actions])


def retention_cmd(
    policy: Path = typer.Option(None, "--policy", help="GCS lifecycle JSON (default config/league/lifecycle.json)."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Only report (default deletes what the policy deletes)."),
    fmt: Format = FORMAT_OPT,
    as_of: str | None = AS_OF_OPT,
) -> None:
    """Which snapshots a lifecycle policy would move or delete (never the current or a pending one)."""
    store, day = get_store(), _as_of(as_of)
    rules, findings = load_policy(policy or get_settings().config_dir / "league" / "lifecycle.json")
    actions, found = plan_retention(store, rules, day)
    findings += found
    registry_damaged = any(f.check == "registry" and f.is_error for f in found)
    if not dry_run and not registry_damaged:  # a damaged registry: report it, delete nothing
        apply_deletions(store, actions)
    lines = [f"{a.source}/{a.dataset} {a.dt} [{a.status}, {a.age_days} d]: {a.action}"
             + (f" -> {a.storage_class}" if a.storage_class else "") + (f" (rule {a.rule})" if a.rule is not None
                                                                       else "")
             + (" APPLIED" if a.applied else "") + (f" — {a.note}" if a.note else "")
             for a in actions if a.action != "keep"]
    lines.append(f"{sum(a.action != 'keep' for a in actions)} of {len(actions)} snapshots affected"
                 + (" (dry run)" if dry_run else ""))
    _emit("retention", findings, fmt, day, store, text_body="\n".join(lines), dry_run=dry_run,
          actions=[a.as_dict() for a in actions])


def report_cmd(
    out: Path = typer.Option(Path("reports"), "--out", help="Folder for governance_report.html/.json."),
    sources: list[str] | None = SOURCES_ARG,
    sources_opt: list[str] | None = SOURCES_OPT,
    xref: Path | None = typer.Option(None, "--xref", help="Crosswalk file (default: ff_playerids snapshot)."),
    as_of: str | None = AS_OF_OPT,
) -> None:
    """Write one self-contained HTML report (and JSON) on every dataset's health."""
    store, day = get_store(), _as_of(as_of)
    html_path, json_path = write_report(out, store, day, _sources(sources, sources_opt), xref)
    typer.echo(f"wrote {html_path} and {json_path}")


def register(app: typer.Typer) -> None:
    app.command("validate")(validate_cmd)
    app.command("coverage")(coverage_cmd)
    app.command("freshness")(freshness_cmd)
    app.command("govern")(govern_cmd)
    app.command("sync")(sync_cmd)
    app.command("retention")(retention_cmd)
    app.command("report")(report_cmd)
    app.add_typer(findings_app, name="findings")
