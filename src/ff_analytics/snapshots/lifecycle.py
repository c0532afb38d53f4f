"""Lifecycle operations that touch both the registry and the files: archive (optionally deleting data)."""

from __future__ import annotations

from datetime import date

from ff_analytics.errors import ConfigError
from ff_analytics.snapshots.registry import RegistryRow
from ff_analytics.snapshots.store import SnapshotStore


def archive_snapshots(store: SnapshotStore, older_than_days: int, today: date,
                      delete: bool = False) -> list[RegistryRow]:
    """Mark old historical snapshots archived; with ``delete`` also remove their partitions.

    Current and pending snapshots are never archived. Registry first, files second, both under the registry lock
    (no promote or rollback can run in between). A crash in between leaves an archived row whose files still
    exist, which is harmless: with ``delete`` every archived row whose files are still there is finished too, so
    a re-run completes an interrupted one.
    """
    if older_than_days < 0:
        raise ConfigError(f"--older-than must be 0 or more days, not {older_than_days}")
    with store.registry.lock():
        archived = store.registry.archive(older_than_days, today)
        if delete:
            newly = {r.key for r in archived}
            for row in store.registry.read():  # re-read under the lock: only rows archived right now
                if row.status != "archived" or not store.config.has_dataset(row.source, row.dataset):
                    continue  # a dataset outside this policy (another store's outputs) is never deleted here
                if store.delete_partition(row.source, row.dataset, row.dt) and row.key not in newly:
                    archived.append(row)
    return archived
