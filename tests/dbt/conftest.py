"""Fixtures for the dbt project tests: a data root written by the real connectors (replay servers and recordings),
built once per session, and one `dbt build` on it."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pytest

from ff_analytics import progress
from ff_analytics.dbt_runner.invoke import DbtRun
from ff_analytics.snapshots.store import SnapshotStore
from ff_analytics.storage import DataRoot
from ff_analytics.transform import run_project_dbt
from tests.dbt.sample_root import build_sample_root


@dataclass
class BuiltProject:
    root: Path
    store: SnapshotStore
    duckdb_path: Path
    build: DbtRun
    progress_events: list[tuple[str, str, str, int | None]] = field(default_factory=list)


class RecordingListener:
    """A progress listener that keeps every dbt node event (command, node, status, total)."""

    def __init__(self) -> None:
        self.events: list[tuple[str, str, str, int | None]] = []

    def source_started(self, source: str) -> None: ...

    def source_finished(self, source: str, status: str) -> None: ...

    def dbt_node_finished(self, command: str, node: str, status: str, total: int | None) -> None:
        self.events.append((command, node, status, total))


@pytest.fixture(scope="session")
def sample_store(tmp_path_factory: pytest.TempPathFactory) -> SnapshotStore:
    root = tmp_path_factory.mktemp("dbt_sample") / "data"
    return build_sample_root(SnapshotStore(DataRoot(str(root))))


@pytest.fixture(scope="session")
def built_project(sample_store: SnapshotStore, tmp_path_factory: pytest.TempPathFactory) -> BuiltProject:
    """`dbt build` on the connectors' snapshots, with the row-count baseline comparison as an error."""
    db = tmp_path_factory.mktemp("dbt_db") / "ff_analytics.duckdb"
    listener = RecordingListener()
    with progress.listening(listener):
        result = run_project_dbt(["build"], store=sample_store, warehouse_path=db,
                                 extra_vars={"row_count_baseline_severity": "error"})
    return BuiltProject(Path(sample_store.root.base), sample_store, db, result, listener.events)
