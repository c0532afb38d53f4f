"""Fixtures for the dbt project tests: a data root written by the real connectors (replay servers and recordings),
built once per session, and one `dbt build` on it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

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


@pytest.fixture(scope="session")
def sample_store(tmp_path_factory: pytest.TempPathFactory) -> SnapshotStore:
    root = tmp_path_factory.mktemp("dbt_sample") / "data"
    return build_sample_root(SnapshotStore(DataRoot(str(root))))


@pytest.fixture(scope="session")
def built_project(sample_store: SnapshotStore, tmp_path_factory: pytest.TempPathFactory) -> BuiltProject:
    """`dbt build` on the connectors' snapshots, with the row-count baseline comparison as an error."""
    db = tmp_path_factory.mktemp("dbt_db") / "ff_analytics.duckdb"
    result = run_project_dbt(["build"], store=sample_store, warehouse_path=db,
                        extra_vars={"row_count_baseline_severity": "error"})
    return BuiltProject(Path(sample_store.root.base), sample_store, db, result)
