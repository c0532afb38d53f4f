"""The same store on s3:// against a local moto server: data files first, manifest last, registry beside it."""

from __future__ import annotations

import json

import polars as pl
import pytest
import s3fs

from ff_analytics.settings import get_settings
from ff_analytics.snapshots.store import SnapshotStore
from ff_analytics.storage import DataRoot
from tests.moto_server import running_moto_server, s3_settings_env


@pytest.fixture(scope="module")
def moto_endpoint():
    with running_moto_server() as endpoint:
        yield endpoint


def test_store_round_trips_on_s3(moto_endpoint: str, monkeypatch: pytest.MonkeyPatch) -> None:
    for key, value in s3_settings_env(moto_endpoint, "s3://ffa-test/warehouse").items():
        monkeypatch.setenv(key, value)
    get_settings.cache_clear()
    fs = s3fs.S3FileSystem(key="testing", secret="testing", client_kwargs={"endpoint_url": moto_endpoint})
    fs.mkdir("ffa-test")

    root = DataRoot.from_settings()
    assert not root.is_local and root.base == "ffa-test/warehouse"
    store = SnapshotStore(root)
    df = pl.DataFrame({"season": [2024, 2024], "week": [1, 2], "v": [1.5, 2.5]})
    first = store.write("nflverse", "weekly", df, dt="2025-03-01")
    assert first.status == "new" and first.path == "s3://ffa-test/warehouse/raw/nflverse/weekly/dt=2025-03-01"
    assert sorted(fs.ls("ffa-test/warehouse/raw/nflverse/weekly/dt=2025-03-01", detail=False)) == [
        "ffa-test/warehouse/raw/nflverse/weekly/dt=2025-03-01/_meta.json",
        "ffa-test/warehouse/raw/nflverse/weekly/dt=2025-03-01/weekly.parquet",
    ]
    store.registry.promote("nflverse", "weekly")
    assert store.write("nflverse", "weekly", df, dt="2025-03-02").status == "unchanged"
    replaced = store.write("nflverse", "weekly", df.with_columns(v=pl.lit(9.0)), dt="2025-03-01")
    assert replaced.status == "replaced"
    assert store.read("nflverse", "weekly", dt="2025-03-01")["v"].to_list() == [9.0, 9.0]
    registry_text = fs.cat("ffa-test/warehouse/registry/snapshot_registry.csv").decode()
    assert "nflverse,weekly,2025-03-01,pending" in registry_text
    meta = json.loads(fs.cat("ffa-test/warehouse/raw/nflverse/weekly/dt=2025-03-01/_meta.json"))
    assert meta["row_count"] == 2

    # A partition without a manifest (data uploaded, writer died before the manifest) is not a snapshot.
    fs.pipe("ffa-test/warehouse/raw/nflverse/weekly/dt=2025-03-05/weekly.parquet", b"partial")
    assert store.partition_dates("nflverse", "weekly") == [replaced.dt]
