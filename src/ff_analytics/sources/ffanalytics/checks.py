"""ffanalytics checks as findings: the consensus sanity checks, re-run on the written snapshots."""

from __future__ import annotations

from collections.abc import Sequence

from ff_analytics.findings import Finding, Severity
from ff_analytics.snapshots.store import SnapshotStore, WriteResult
from ff_analytics.sources.ffanalytics.sanity import sanity_check


def _finding(severity: Severity, check: str, code: str, message: str, r: WriteResult) -> Finding:
    return Finding(severity=severity, check=check, code=code, message=message, source=r.source, dataset=r.dataset,
                   dt=r.dt, path=r.path)


def ffanalytics_checks(results: Sequence[WriteResult], store: SnapshotStore) -> list[Finding]:
    level = {"error": Severity.error, "warn": Severity.warning, "info": Severity.info}
    out: list[Finding] = []
    by_dataset = {r.dataset: r for r in results}
    consensus = by_dataset.get("projections_consensus")
    if consensus is None:
        return out
    raw = by_dataset.get("projections_raw")
    raw_df = store.read(raw.source, raw.dataset, raw.dt) if raw else None
    for f in sanity_check(store.read(consensus.source, consensus.dataset, consensus.dt), raw_df):
        out.append(_finding(level.get(f.level, Severity.error), "ffanalytics", f"projections_{f.check}", f.message,
                            consensus))
    return out


