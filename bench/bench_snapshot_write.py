"""Snapshot write cost vs a bare `pyarrow.parquet.write_table` of the same table (target: ratio <= 1.3).

Run: uv run python bench/bench_snapshot_write.py [--rows 1000000] [--cols 100] [--repeat 3]
Both sides write the same 1,000,000 x 100 table (60 float64, 30 int64, 8 string, season, week) to local disk;
the store also hashes, builds the manifest, publishes atomically and updates the registry. Medians are compared.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import polars as pl
import pyarrow.parquet as pq

from ff_analytics.snapshots.store import SnapshotStore
from ff_analytics.storage import DataRoot

TARGET = 1.3


def make_frame(rows: int, cols: int) -> pl.DataFrame:
    n_float, n_int = int(cols * 0.6), int(cols * 0.3)
    n_str = cols - n_float - n_int - 2
    idx = pl.int_range(0, rows, eager=True)
    columns = {"season": (idx % 6 + 2019).cast(pl.Int32), "week": (idx % 18 + 1).cast(pl.Int32)}
    for i in range(n_float):
        columns[f"f{i}"] = (idx * (i + 1) % 9973) / 7.0
    for i in range(n_int):
        columns[f"i{i}"] = idx * (i + 3) % 100_003
    for i in range(n_str):
        columns[f"s{i}"] = pl.Series([f"p-{j}" for j in range(1000 * (i + 1))])[idx % (1000 * (i + 1))]
    return pl.DataFrame(columns)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--cols", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="one small iteration, no target check (CI)")
    args = parser.parse_args()
    if args.quick:
        args.rows, args.cols, args.repeat = 20_000, 10, 1

    frame = make_frame(args.rows, args.cols)
    table = frame.to_arrow(compat_level=pl.CompatLevel.newest())  # the exact table the store writes
    work = Path(tempfile.mkdtemp(prefix="ffa-bench-"))
    bare, store_times = [], []
    try:
        for rep in range(args.repeat):
            t0 = time.perf_counter()
            pq.write_table(table, work / f"bare-{rep}.parquet")
            bare.append(time.perf_counter() - t0)

            store = SnapshotStore(DataRoot(str(work / f"root-{rep}")))
            t0 = time.perf_counter()
            result = store.write("nflverse", "weekly", frame, dt=f"2025-01-{rep + 1:02d}")
            store_times.append(time.perf_counter() - t0)
            assert result.status == "new" and result.row_count == args.rows
    finally:
        shutil.rmtree(work, ignore_errors=True)
    bare_s, store_s = statistics.median(bare), statistics.median(store_times)
    ratio = store_s / bare_s
    print(f"snapshot write {args.rows:,} x {args.cols}: store {store_s:.3f}s, bare write_table {bare_s:.3f}s "
          f"(medians of {args.repeat}); ratio {ratio:.2f} (target <= {TARGET})")
    return 0 if args.quick or ratio <= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
