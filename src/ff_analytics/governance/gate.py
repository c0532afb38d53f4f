"""The promotion gate: vet a pending snapshot and make it current only when no check found an error.

Source flows call :func:`govern_pending` right after ``store.write``; they pass their own findings (parse QA,
duplicate keys, ...) in ``extra_findings``. Errors from any check block promotion: the snapshot stays pending,
the registry note says why, and the findings are returned.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from ff_analytics.errors import FFAError
from ff_analytics.governance.anomalies import check_row_count_anomaly
from ff_analytics.governance.baseline import tolerant_rows_for
from ff_analytics.governance.drift import check_schema_drift
from ff_analytics.governance.findings import Finding, Severity, error, has_errors, warning
from ff_analytics.governance.findings_store import record_gate_findings
from ff_analytics.governance.gaps import gap_findings, schedule_weeks
from ff_analytics.governance.inventory import Partition, list_dir
from ff_analytics.governance.validate import check_partition
from ff_analytics.snapshots.paths import parse_dt, partition_dir
from ff_analytics.snapshots.store import SnapshotStore

NOTE_LIMIT = 200


@dataclass
class GateResult:
    source: str
    dataset: str
    dt: date
    promoted: bool
    findings: list[Finding] = field(default_factory=list)

    @property
    def reason(self) -> str:
        errors = [f.message for f in self.findings if f.is_error]
        return "; ".join(errors) if errors else "all checks passed"


def gate_findings(store: SnapshotStore, source: str, dataset: str, dt: str | date,
                  as_of: date | None = None) -> list[Finding]:
    """Every check that applies to one pending snapshot (integrity, samples, anomaly, drift, gaps)."""
    day = parse_dt(dt)
    as_of = as_of or datetime.now(UTC).date()
    rows = tolerant_rows_for(store, source, dataset)
    row = next((r for r in rows if r.dt == day), None)
    rel = partition_dir(source, dataset, day)
    where = dict(source=source, dataset=dataset, dt=day, path=store.root.uri(rel))
    if row is None:
        return [error("gate", "not_registered", "no registry row for this snapshot", **where)]
    if row.status != "pending":
        return [error("gate", "not_pending", f"snapshot is {row.status}, not pending", **where)]
    names = list_dir(store.root, store.root.path(rel))
    if names is None:
        return [error("registry", "registry_missing_partition", "pending registry row but the partition folder "
                      "is missing", **where)]
    part = Partition(source, dataset, day, store.root.path(rel), store.root.uri(rel), sorted(n for n, _ in names))
    checked = check_partition(store.root, part, row, deep=True)
    if checked.manifest_missing:
        return [error("registry", "registry_missing_partition", "pending registry row but the _meta.json is "
                      "missing", **where)]
    findings, manifest = checked.findings, checked.manifest
    if manifest is None:
        return findings
    findings += check_row_count_anomaly(store, source, dataset, day, rows)
    findings += check_schema_drift(store, source, dataset, day, rows)
    if store.config.checks_week_coverage(source, dataset):
        findings += gap_findings(manifest, schedule_weeks(store, as_of), part.uri)
    return findings


def govern_pending(store: SnapshotStore, source: str, dataset: str, dt: str | date,
                   extra_findings: Iterable[Finding] = (), as_of: date | None = None,
                   run_id: str | None = None) -> GateResult:
    """Run the gate; promote when there is no error, otherwise leave pending and record why in the notes.

    The findings are kept in the findings store, so they stay visible (``validate``, ``report``, ``findings
    list``) on later runs that do not re-check this snapshot.
    """
    day = parse_dt(dt)
    findings = list(extra_findings) + gate_findings(store, source, dataset, day, as_of)
    try:
        record_gate_findings(store.root, source, dataset, day, findings, run_id=run_id)
    except (FFAError, OSError) as exc:
        findings.append(warning("gate", "findings_not_kept", f"findings could not be stored: {exc}",
                                source=source, dataset=dataset, dt=day))
    blocked = has_errors(findings)
    if not blocked:
        warnings = sum(1 for f in findings if f.severity is Severity.warning)
        note = "promoted by governance gate" + (f" ({warnings} warnings)" if warnings else "")
        try:
            store.registry.promote(source, dataset, day.isoformat(), note=note)
        except FFAError as exc:
            findings.append(error("gate", "promote_failed", exc.detail, source=source, dataset=dataset, dt=day))
            return GateResult(source, dataset, day, False, findings)
        return GateResult(source, dataset, day, True, findings)
    result = GateResult(source, dataset, day, False, findings)
    _note_blocked(store, source, dataset, day, result.reason)
    return result


def _note_blocked(store: SnapshotStore, source: str, dataset: str, day: date, reason: str) -> None:
    """Say in the registry why a snapshot stays pending (best effort: a corrupt registry is reported elsewhere)."""
    note = ("blocked by governance: " + reason)[:NOTE_LIMIT]
    try:
        with store.registry.transaction() as rows:
            for r in rows:
                if r.key == (source, dataset, day.isoformat()) and r.status == "pending":
                    r.notes = note
    except FFAError:
        pass


def govern_all_pending(store: SnapshotStore | None = None, sources: Iterable[str] | None = None,
                       promote: bool = True, as_of: date | None = None) -> list[GateResult]:
    """Gate every pending snapshot, oldest first; with ``promote=False`` only report what would happen."""
    from ff_analytics.governance.inventory import read_registry_rows

    store = store or SnapshotStore()
    rows, _problems = read_registry_rows(store)
    wanted = set(sources) if sources else None
    pending = sorted((r for r in rows if r.status == "pending" and (wanted is None or r.source in wanted)),
                     key=lambda r: (r.source, r.dataset, r.snapshot_date))
    results = []
    for r in pending:
        if promote:
            results.append(govern_pending(store, r.source, r.dataset, r.dt, as_of=as_of))
        else:
            found = gate_findings(store, r.source, r.dataset, r.dt, as_of)
            results.append(GateResult(r.source, r.dataset, r.dt, False, found))
    return results
