"""Row-count anomalies: a snapshot's row count vs the previous current one, against per-dataset bounds.

Bounds come from ``row_count_bounds`` in config/platform.yaml: a drop beyond ``max_drop_pct`` is an error (data
went missing upstream or a parser broke), growth beyond ``max_growth_pct`` a warning (worth a look, rarely wrong).
"""

from __future__ import annotations

from datetime import date

from ff_analytics.governance.baseline import load_pair
from ff_analytics.governance.findings import Finding, error, warning
from ff_analytics.snapshots.paths import parse_dt, partition_dir
from ff_analytics.snapshots.registry import RegistryRow
from ff_analytics.snapshots.store import SnapshotStore


def row_delta(previous: int, new: int) -> float | None:
    """Percentage change, None when there is no base to compare with (previous snapshot had 0 rows)."""
    return None if previous == 0 else (new - previous) / previous * 100


def check_row_count_anomaly(store: SnapshotStore, source: str, dataset: str, dt: str | date,
                            rows: list[RegistryRow] | None = None) -> list[Finding]:
    """Findings for the snapshot dated ``dt`` (empty when within bounds or there is nothing to compare with)."""
    day = parse_dt(dt)
    manifest, base_row, base_manifest = load_pair(store, source, dataset, day, rows)
    if manifest is None or base_row is None:
        return []
    previous = base_manifest.row_count if base_manifest else _int(base_row.row_count)
    if previous is None:
        return []
    pct = row_delta(previous, manifest.row_count)
    if pct is None:
        return []
    bounds = store.config.bounds_for(source, dataset)
    where = dict(source=source, dataset=dataset, dt=day, path=store.root.uri(partition_dir(source, dataset, day)))
    text = f"{manifest.row_count} rows vs {previous} in {base_row.snapshot_date} ({pct:+.1f}%)"
    if -pct > bounds.max_drop_pct:
        return [error("anomaly", "row_count_drop", f"{text}: drop beyond {bounds.max_drop_pct:g}%", **where)]
    if pct > bounds.max_growth_pct:
        return [warning("anomaly", "row_count_growth", f"{text}: growth beyond {bounds.max_growth_pct:g}%",
                        **where)]
    return []


def _int(text: str) -> int | None:
    try:
        return int(text)
    except ValueError:
        return None
