"""Lifecycle operations that touch both the registry and the files: archive (optionally deleting data)."""

from __future__ import annotations

from datetime import date

from ff_analytics.snapshots.registry import RegistryRow
from ff_analytics.snapshots.store import SnapshotStore


def archive_snapshots(store: SnapshotStore, older_than_days: int, today: date,
                      delete: bool = False) -> list[RegistryRow]:
    """Mark old historical snapshots archived; with ``delete`` also remove their partitions.

    Current and pending snapshots are never archived. Registry first, files second: a crash in between leaves
    an archived row whose files still exist, which is harmless.
    """
    archived = store.registry.archive(older_than_days, today)
    if delete:
        for row in archived:
            store.delete_partition(row.source, row.dataset, row.dt)
    return archived
