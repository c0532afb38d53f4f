"""Schema drift between a snapshot and the previous current one, with the column names.

A removed column is an error (downstream models select it); added and retyped columns are warnings (models
keep working or cast; a human should still look).
"""

from __future__ import annotations

from datetime import date

from ff_analytics.governance.baseline import load_pair
from ff_analytics.governance.findings import Finding, error, warning
from ff_analytics.snapshots.manifest import SchemaDrift, drift_between
from ff_analytics.snapshots.paths import parse_dt, partition_dir
from ff_analytics.snapshots.registry import RegistryRow
from ff_analytics.snapshots.store import SnapshotStore


def schema_drift(store: SnapshotStore, source: str, dataset: str, dt: str | date,
                 rows: list[RegistryRow] | None = None) -> SchemaDrift | None:
    """The drift of snapshot ``dt`` vs its baseline, None when equal or there is no baseline."""
    manifest, _row, base = load_pair(store, source, dataset, dt, rows)
    if manifest is None or base is None:
        return None
    return drift_between(base, manifest.columns)


def check_schema_drift(store: SnapshotStore, source: str, dataset: str, dt: str | date,
                       rows: list[RegistryRow] | None = None) -> list[Finding]:
    day = parse_dt(dt)
    drift = schema_drift(store, source, dataset, day, rows)
    if drift is None:
        return []
    where = dict(source=source, dataset=dataset, dt=day, path=store.root.uri(partition_dir(source, dataset, day)))
    vs = f"vs {drift.previous_dt.isoformat()}"
    out: list[Finding] = []
    if drift.removed:
        out.append(error("drift", "columns_removed", f"columns removed {vs}: {', '.join(drift.removed)}", **where))
    if drift.retyped:
        changes = ", ".join(f"{k} ({v})" for k, v in drift.retyped.items())
        out.append(warning("drift", "columns_retyped", f"columns retyped {vs}: {changes}", **where))
    if drift.added:
        out.append(warning("drift", "columns_added", f"columns added {vs}: {', '.join(drift.added)}", **where))
    return out
