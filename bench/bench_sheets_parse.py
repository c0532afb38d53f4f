"""Benchmark: parsing every raw sheet tab vs reading the same raw Parquet files with Polars (same run).

Target (issue #4): parsing all tabs (9 real GM tabs + the real 3,912-row TRANSACTIONS tab, as the copy step
writes them) takes at most 2× the time of reading those raw Parquet files with Polars. Both are timed in this
process on the same files, medians of repeated runs after a warm-up; exits 1 if the target is missed.

Run: uv run python bench/bench_sheets_parse.py
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

TARGET_RATIO = 2.0
REPEATS = 25


def _median_seconds(fn, repeats: int = REPEATS) -> float:
    fn()  # warm-up
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> int:
    workdir = tempfile.mkdtemp(prefix="bench-sheets-")
    os.environ["FFA_DATA_ROOT"] = str(Path(workdir) / "data")
    os.environ["FFA_SHEETS_EXCLUDED_TABS"] = "McCreary,Piper,TJ"  # the recording holds 9 of the 12 GM tabs

    import polars as pl

    from ff_analytics.replay.sheets import load_recorded_spreadsheet
    from ff_analytics.settings import get_settings
    from ff_analytics.snapshots.store import SnapshotStore
    from ff_analytics.sources.sheets.grid import grid_to_frame, tab_file_name
    from ff_analytics.sources.sheets.parse import ParseInputs, parse_raw_tabs
    from ff_analytics.sources.sheets.pii import redact_grid

    get_settings.cache_clear()
    sheet = load_recorded_spreadsheet()
    frames = {tab_file_name(tab): grid_to_frame(tab, redact_grid(grid)[0]) for tab, grid in sheet.tabs.items()}
    store = SnapshotStore()
    result = store.write("sheets", "raw_tabs", frames, dt="2025-10-01")
    files = store.files("sheets", "raw_tabs", result.dt)
    rows = sum(f.height for f in frames.values())

    def read() -> list[pl.DataFrame]:
        return [pl.read_parquet(f) for f in files]

    raw = pl.concat(read(), how="diagonal_relaxed")
    inputs = ParseInputs.from_config()

    def parse() -> None:
        parse_raw_tabs(raw, inputs)

    def read_and_parse() -> None:
        parse_raw_tabs(pl.concat(read(), how="diagonal_relaxed"), inputs)

    read_s = _median_seconds(read)
    parse_s = _median_seconds(parse)
    both_s = _median_seconds(read_and_parse)
    ratio = parse_s / read_s
    tables = parse_raw_tabs(raw, inputs).tables
    print(f"raw snapshot: {len(files)} Parquet files, {rows} rows; parsed: "
          + ", ".join(f"{k}={v.height}" for k, v in tables.items()))
    print(f"read raw Parquet with Polars (baseline): {read_s * 1000:.2f} ms (median of {REPEATS})")
    print(f"parse all tabs (in memory):              {parse_s * 1000:.2f} ms")
    print(f"read + parse:                            {both_s * 1000:.2f} ms")
    print(f"ratio parse / read = {ratio:.2f}x (target <= {TARGET_RATIO}x)")
    if ratio > TARGET_RATIO:
        print("FAIL: parsing is slower than the target", file=sys.stderr)
        return 1
    print("OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
