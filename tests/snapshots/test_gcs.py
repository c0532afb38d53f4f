"""The store on gs:// against a local GCS emulator (fake-gcs-server): write, promote, DuckDB, sync, retention."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import duckdb
import polars as pl
import pytest

from ff_analytics.errors import SnapshotError
from ff_analytics.governance.retention import apply_deletions, load_policy, plan_retention
from ff_analytics.governance.sync import root_for, sync_roots
from ff_analytics.governance.validate import validate
from ff_analytics.settings import get_settings
from ff_analytics.snapshots.registry import SnapshotRegistry
from ff_analytics.snapshots.store import SnapshotStore
from ff_analytics.storage import DataRoot
from ff_analytics.transform.duckdb_plugin import httpfs_extension_path
from tests.gcs_server import gcs_fs, gcs_settings_env, running_gcs_server

WEEKLY = pl.DataFrame({"season": [2024, 2024, 2024], "week": [1, 2, 3], "v": [1.5, 2.5, 3.5]})


@pytest.fixture(scope="module")
def gcs_endpoint() -> Iterator[str]:
    with running_gcs_server() as endpoint:
        yield endpoint


@pytest.fixture
def bucket(gcs_endpoint: str, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest) -> str:
    """A fresh bucket; settings point at the emulator (the data root stays the test's local one)."""
    for key, value in gcs_settings_env(gcs_endpoint, get_settings().data_root).items():
        monkeypatch.setenv(key, value)
    get_settings.cache_clear()
    name = "ffa-" + request.node.name.lower().replace("_", "-")[:40].strip("-")
    gcs_fs(gcs_endpoint).mkdir(name)
    return name


def duckdb_on(endpoint: str) -> duckdb.DuckDBPyConnection:
    """DuckDB reading gs:// through httpfs (S3-style requests) from the emulator."""
    con = duckdb.connect()
    con.execute(f"LOAD '{httpfs_extension_path()}'")
    con.execute(f"CREATE SECRET gcs_test (TYPE gcs, KEY_ID 'k', SECRET 's', ENDPOINT '{endpoint.split('://')[1]}', "
                "URL_STYLE 'path', USE_SSL false)")
    return con


def test_store_round_trips_on_gcs(bucket: str, gcs_endpoint: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FFA_DATA_ROOT", f"gs://{bucket}/warehouse")
    get_settings.cache_clear()
    root = DataRoot.from_settings()
    assert not root.is_local and root.storage_options == {"endpoint_url": gcs_endpoint}
    store, fs = SnapshotStore(root), gcs_fs(gcs_endpoint)
    first = store.write("nflverse", "weekly", WEEKLY, dt="2025-03-01")
    assert first.status == "new" and first.path == f"gs://{bucket}/warehouse/raw/nflverse/weekly/dt=2025-03-01"
    assert sorted(fs.ls(f"{bucket}/warehouse/raw/nflverse/weekly/dt=2025-03-01", detail=False)) == [
        f"{bucket}/warehouse/raw/nflverse/weekly/dt=2025-03-01/_meta.json",
        f"{bucket}/warehouse/raw/nflverse/weekly/dt=2025-03-01/weekly.parquet",
    ]
    with pytest.raises(SnapshotError, match="no current snapshot"):
        store.read("nflverse", "weekly")  # pending is not read
    store.registry.promote("nflverse", "weekly")
    assert store.read("nflverse", "weekly").equals(WEEKLY)
    assert store.write("nflverse", "weekly", WEEKLY, dt="2025-03-02").status == "unchanged"
    second = store.write("nflverse", "weekly", WEEKLY.with_columns(v=pl.lit(9.0)), dt="2025-03-02")
    assert second.status == "new"
    store.registry.promote("nflverse", "weekly")
    statuses = {r.snapshot_date: r.status for r in store.registry.rows_for("nflverse", "weekly")}
    assert statuses == {"2025-03-01": "historical", "2025-03-02": "current"}
    text = fs.cat(f"{bucket}/warehouse/registry/snapshot_registry.csv").decode()
    assert "nflverse,weekly,2025-03-02,current" in text
    assert json.loads(fs.cat(f"{bucket}/warehouse/raw/nflverse/weekly/dt=2025-03-02/_meta.json"))["row_count"] == 3

    con = duckdb_on(gcs_endpoint)
    files = store.files("nflverse", "weekly")
    assert files == [f"gs://{bucket}/warehouse/raw/nflverse/weekly/dt=2025-03-02/weekly.parquet"]
    assert con.execute("select sum(v) from read_parquet($files)", {"files": files}).fetchone() == (27.0,)
    by_dt = con.execute(f"select dt, sum(v) from read_parquet('gs://{bucket}/warehouse/raw/nflverse/weekly/"
                        "dt=*/*.parquet', hive_partitioning=true) group by dt order by dt").fetchall()
    assert by_dt == [(date(2025, 3, 1), 7.5), (date(2025, 3, 2), 27.0)]

    # A partition without a manifest (data uploaded, writer died before the manifest) is not a snapshot.
    fs.pipe(f"{bucket}/warehouse/raw/nflverse/weekly/dt=2025-03-05/weekly.parquet", b"partial")
    assert store.partition_dates("nflverse", "weekly") == [date(2025, 3, 1), date(2025, 3, 2)]
    store.registry.rollback("nflverse", "weekly")
    assert store.read("nflverse", "weekly").equals(WEEKLY)


def test_sync_local_to_gcs_and_back(bucket: str, data_root: Path, tmp_path: Path) -> None:
    local = SnapshotStore()
    local.write("nflverse", "weekly", WEEKLY, dt="2025-03-01")
    local.registry.promote("nflverse", "weekly")
    local.write("ktc", "players", pl.DataFrame({"player": ["a", "b"], "value": [10, 20]}), dt="2025-03-01")
    local.registry.promote("ktc", "players")
    remote = root_for(f"gs://{bucket}/ffa")
    assert not remote.is_local and remote.storage_options == {"endpoint_url": get_settings().gcs_endpoint_url}

    pushed = sync_roots(local.root, remote)
    assert (pushed.count("copy"), pushed.findings) == (2, [])
    remote_store = SnapshotStore(remote)
    assert remote_store.registry.read() == local.registry.read()
    assert validate(remote_store, deep=True, as_of=date(2025, 3, 2)) == []  # hashes, footers, registry agree
    assert sync_roots(local.root, remote).count("in_sync") == 2

    laptop = DataRoot(str(tmp_path / "laptop"))
    pulled = sync_roots(remote, laptop)
    assert (pulled.count("copy"), pulled.findings) == (2, [])
    assert SnapshotStore(laptop).read("ktc", "players")["value"].to_list() == [10, 20]
    assert SnapshotRegistry(laptop).read() == local.registry.read()


def test_retention_deletes_old_snapshot_files_in_bucket_never_current(bucket: str, gcs_endpoint: str,
                                                                      tmp_path: Path) -> None:
    store = SnapshotStore(root_for(f"gs://{bucket}/ffa"))
    for day, v in (("2025-01-01", 1.0), ("2025-02-01", 2.0)):
        store.write("nflverse", "weekly", WEEKLY.with_columns(v=pl.lit(v)), dt=day)
        store.registry.promote("nflverse", "weekly")
    policy = tmp_path / "lifecycle.json"
    policy.write_text(json.dumps({"rule": [{"action": {"type": "Delete"},
                                            "condition": {"age": 20, "matchesPrefix": ["raw/nflverse/"]}}]}))
    rules, _ = load_policy(policy)
    actions, _ = plan_retention(store, rules, as_of=date(2025, 3, 1))
    assert sorted((a.dt, a.action) for a in actions) == [("2025-01-01", "delete"), ("2025-02-01", "protected")]
    done = apply_deletions(store, actions)
    assert [a.dt for a in done] == ["2025-01-01"]
    fs = gcs_fs(gcs_endpoint)
    assert not fs.exists(f"{bucket}/ffa/raw/nflverse/weekly/dt=2025-01-01/_meta.json")
    assert fs.exists(f"{bucket}/ffa/raw/nflverse/weekly/dt=2025-02-01/_meta.json")
    statuses = {r.snapshot_date: r.status for r in store.registry.rows_for("nflverse", "weekly")}
    assert statuses == {"2025-01-01": "archived", "2025-02-01": "current"}
    assert store.read("nflverse", "weekly")["v"].to_list() == [2.0, 2.0, 2.0]
