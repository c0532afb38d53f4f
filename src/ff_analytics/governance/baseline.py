"""Which snapshot a snapshot is compared with: the previous *current* one.

For a pending (or historical) snapshot that is the dataset's current snapshot; for the current snapshot it is the
newest historical/archived snapshot older than it (the one that was current before it).
"""

from __future__ import annotations

from datetime import date

from ff_analytics.snapshots.manifest import Manifest
from ff_analytics.snapshots.paths import parse_dt
from ff_analytics.snapshots.registry import RegistryRow
from ff_analytics.snapshots.store import SnapshotStore


def baseline_row(rows: list[RegistryRow], dt: date) -> RegistryRow | None:
    """The comparison row for the snapshot dated ``dt`` among one dataset's registry rows."""
    target = next((r for r in rows if r.dt == dt), None)
    current = next((r for r in rows if r.status == "current"), None)
    if target is not None and target.status == "current" or current is None:
        older = [r for r in rows if r.dt < dt and r.status in ("historical", "archived")]
        return max(older, key=lambda r: r.snapshot_date) if older else None
    return current if current.dt != dt else None


def load_pair(store: SnapshotStore, source: str, dataset: str, dt: str | date,
              rows: list[RegistryRow] | None = None) -> tuple[Manifest | None, RegistryRow | None, Manifest | None]:
    """(manifest of dt, baseline row, baseline manifest); manifests are None when missing or corrupt."""
    day = parse_dt(dt)
    rows = rows if rows is not None else tolerant_rows_for(store, source, dataset)
    base = baseline_row(rows, day)
    return _manifest(store, source, dataset, day), base, _manifest(store, source, dataset, base.dt) if base else None


def tolerant_rows_for(store: SnapshotStore, source: str, dataset: str) -> list[RegistryRow]:
    """One dataset's registry rows, oldest first, skipping lines that do not parse (validate reports those)."""
    from ff_analytics.governance.inventory import read_registry_rows

    rows, _problems = read_registry_rows(store)
    return sorted((r for r in rows if (r.source, r.dataset) == (source, dataset)), key=lambda r: r.snapshot_date)


def current_dt(store: SnapshotStore, source: str, dataset: str) -> date | None:
    """The current snapshot's date from a tolerant registry read (a bad line elsewhere does not hide it)."""
    return next((r.dt for r in tolerant_rows_for(store, source, dataset) if r.status == "current"), None)


def _manifest(store: SnapshotStore, source: str, dataset: str, day: date) -> Manifest | None:
    from ff_analytics.errors import FFAError

    try:
        return store.read_manifest(source, dataset, day, missing_ok=True)
    except (FFAError, OSError):
        return None
