"""A writer killed with SIGKILL at random moments never leaves a half-written snapshot visible to readers."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from ff_analytics.snapshots.registry import parse_registry
from ff_analytics.snapshots.store import SnapshotStore

WRITER = textwrap.dedent("""
    import sys, polars as pl
    from ff_analytics.snapshots.store import SnapshotStore
    store = SnapshotStore()
    seed = int(sys.argv[1])
    print("ready", flush=True)
    for i in range(1000):
        day = f"2025-02-{1 + (seed + i) % 3:02d}"   # few days, so same-day replacement happens a lot
        n = 20_000 + (seed * 7 + i) % 5000
        values = pl.int_range(0, n, eager=True) + seed * 1000 + i
        df = pl.DataFrame({"season": [2024] * n, "week": [1] * n, "v": values})
        store.write("nflverse", "weekly", df, dt=day)
        store.registry.promote("nflverse", "weekly", day)
""")


def assert_readers_see_only_complete_snapshots(root: Path) -> None:
    base = root / "raw/nflverse/weekly"
    for part in base.glob("dt=*"):  # what dbt globs and readers list (hidden temp dirs never match)
        meta_path = part / "_meta.json"
        parquet_files = list(part.glob("*.parquet"))
        assert meta_path.exists(), f"{part} has data but no manifest"
        meta = json.loads(meta_path.read_text())
        assert sorted(f["name"] for f in meta["files"]) == sorted(p.name for p in parquet_files)
        for entry in meta["files"]:
            assert pq.ParquetFile(part / entry["name"]).metadata.num_rows == entry["row_count"]
    registry = root / "registry/snapshot_registry.csv"
    if registry.exists():
        rows, problems = parse_registry(registry.read_text(), str(registry))
        assert problems == []
        for row in rows:
            if row.status == "current":
                assert (base / f"dt={row.snapshot_date}" / "_meta.json").exists(), f"current {row} has no snapshot"


@pytest.mark.slow
def test_sigkill_at_random_points_leaves_no_partial_snapshot(data_root: Path) -> None:
    rng = random.Random(20251123)
    env = {**os.environ, "FFA_DATA_ROOT": str(data_root)}
    for run in range(24):
        proc = subprocess.Popen([sys.executable, "-c", WRITER, str(run)], env=env, stdout=subprocess.PIPE)
        assert proc.stdout.readline().strip() == b"ready"
        time.sleep(rng.uniform(0.0, 0.6))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        assert_readers_see_only_complete_snapshots(data_root)
    # The next writer recovers: temp leftovers of dead writers are cleaned, orphans registered.
    import polars as pl

    store = SnapshotStore()
    store.write("nflverse", "weekly", pl.DataFrame({"season": [2024], "week": [1], "v": [-1]}), dt="2025-02-03")
    assert not list((data_root / "raw/nflverse/weekly").glob(".tmp-*"))
    assert_readers_see_only_complete_snapshots(data_root)
    registered = {r.snapshot_date for r in store.registry.rows_for("nflverse", "weekly")}
    on_disk = {p.name.removeprefix("dt=") for p in (data_root / "raw/nflverse/weekly").glob("dt=*")}
    assert on_disk <= registered
