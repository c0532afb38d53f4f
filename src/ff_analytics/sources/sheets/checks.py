"""Sheet checks as findings: copy completeness, required columns, PII and parse QA on the raw copy."""

from __future__ import annotations

from collections.abc import Sequence

from ff_analytics.findings import Finding, Severity
from ff_analytics.snapshots.store import SnapshotStore, WriteResult
from ff_analytics.sources.sheets.validation import sheets_checks as run_sheet_checks


def _finding(severity: Severity, check: str, code: str, message: str, r: WriteResult) -> Finding:
    return Finding(severity=severity, check=check, code=code, message=message, source=r.source, dataset=r.dataset,
                   dt=r.dt, path=r.path)


def sheets_checks(results: Sequence[WriteResult], store: SnapshotStore) -> list[Finding]:
    """Copy completeness, required columns, PII and parse QA on the raw copy the results came from."""
    raw = next((r for r in results if r.dataset == "raw_tabs"), None)
    raw_dt = raw.dt if raw else _raw_dt_of(results, store)
    level = {"fail": Severity.error, "warn": Severity.warning}
    wanted = {r.dataset for r in results}
    out = []
    for c in run_sheet_checks(store, raw_dt):
        if c.status not in level or c.dataset not in wanted:
            continue
        target = next(r for r in results if r.dataset == c.dataset)
        out.append(_finding(level[c.status], "sheets", c.name, c.detail, target))
    return out


def _raw_dt_of(results: Sequence[WriteResult], store: SnapshotStore):
    """The raw copy parsed snapshots came from (recorded in their manifest params), else the current one."""
    for r in results:
        raw_dt = (r.manifest.params or {}).get("raw_dt")
        if raw_dt:
            return raw_dt
    return None


