"""nflverse weekly ingest (6 seasons) vs reading the same Parquet bytes with Polars (target: ratio <= 1.5).

Run: uv run python bench/bench_nflverse_ingest.py [--copies 19] [--repeat 15] [--workdir DIR]
The recorded weekly sample (1,000 rows x 114 columns, 2024) is scaled up to a realistic season (``--copies`` x
1,000 rows, player ids made unique) and relabelled as 2019-2024. A local replay server serves the six files at
nflreadpy's release paths from a child process, as the real host serves them from elsewhere: serving is not the
ingest's work, and a server thread in this process would compete with it for the interpreter lock. The files and
data roots go to a fresh hidden folder inside the configured data root when it is local, the disk the ingest
publishes to in real use (``--workdir`` chooses another place; see :func:`bench_dir`). Measured, medians of
``--repeat``:
- ingest: ``ingest_nflverse(["weekly"], 2019-2024)`` → HTTP download, validate (the checked columns only), then
  publish the files as served (footers, hash, manifest, atomic publish, registry) into a fresh data root each time;
- baseline: ``pl.read_parquet`` of the same six files from local disk.
It also prints the connector's own share (download + validate, no snapshot write) for diagnosis.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import polars as pl

from ff_analytics.replay.nflverse import RECORDED_SEASON, relabel_season, release_path
from ff_analytics.replay.server import ReplayServer
from ff_analytics.settings import get_settings
from ff_analytics.snapshots.store import SnapshotStore
from ff_analytics.sources.nflverse import DATASETS, ingest_nflverse
from ff_analytics.sources.nflverse.connector import fetch_dataset
from ff_analytics.sources.nflverse.mirror import nflreadpy_downloader
from ff_analytics.storage import DataRoot

TARGET = 1.5
SEASONS = list(range(RECORDED_SEASON - 5, RECORDED_SEASON + 1))
KEY = {"player_id", "season", "week", "season_type"}


def scaled_season(sample: pl.DataFrame, season: int, copies: int) -> pl.DataFrame:
    """``copies`` versions of the sample as ``season``: distinct player ids, numeric columns shuffled per copy so
    the file compresses like real data (identical copies would shrink to almost nothing)."""
    parts = [
        sample.select([pl.col(c).shuffle(seed=season * 100 + i) if c not in KEY and sample.schema[c].is_numeric()
                       else pl.col(c) for c in sample.columns]).with_columns(pl.col("player_id") + f"-{i}")
        for i in range(copies)
    ]
    return relabel_season(pl.concat(parts), season)


def bench_dir(requested: str | None) -> Path:
    """A fresh folder for this run's files and data roots: in ``requested``, else in the configured data root
    when it is local (a hidden ``.bench-nflverse-*`` folder, removed at the end), else in the system temp folder.

    In real use the ingest publishes into the data root, so that is the disk its files should be created on. The
    system temp folder can behave differently: on this project's CI machine kind (one ext4 volume mounted with
    ``discard``), /tmp at times took 0.4-0.55 ms to create a file or folder against 0.02-0.05 ms in the project
    folder, which added 4-7 ms (a sixth of the ingest) to a publish; at other times the two were close.
    """
    root = DataRoot.from_settings()
    parent = Path(requested) if requested else Path(root.base) if root.is_local else None
    if parent is not None:
        parent.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=".bench-nflverse-", dir=parent))


@contextmanager
def served_elsewhere(routes: dict[str, str]) -> Iterator[str]:
    """A replay server serving ``routes`` (URL path -> file) from a child process; yields its base URL."""
    child = subprocess.Popen([sys.executable, __file__, "--serve", json.dumps(routes)], stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, text=True)
    try:
        url = child.stdout.readline().strip()
        if not url.startswith("http://127.0.0.1:"):
            raise RuntimeError(f"replay server did not start (said {url!r})")
        yield url
    finally:
        child.stdin.close()  # the child serves until its stdin closes
        child.wait(timeout=10)


def serve(routes_json: str) -> int:
    server = ReplayServer()
    for route, path in json.loads(routes_json).items():
        server.add_file(route, Path(path))
    with server:
        print(server.url, flush=True)
        sys.stdin.read()
    return 0


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--copies", type=int, default=19, help="sample copies per season (19 → ~19k rows)")
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--workdir", help="folder for the run's files and data roots (default: the data root)")
    parser.add_argument("--serve", help=argparse.SUPPRESS)  # internal: run as the replay server's child process
    parser.add_argument("--quick", action="store_true", help="one small iteration, no target check (CI)")
    args = parser.parse_args()
    if args.quick:
        args.copies, args.repeat = 1, 1
    if args.serve:
        return serve(args.serve)

    sample = pl.read_parquet(get_settings().recordings_dir / "nflverse" / "weekly" / "weekly.parquet")
    work = bench_dir(args.workdir)
    files, routes = [], {}
    for season in SEASONS:
        path = work / f"stats_player_week_{season}.parquet"
        scaled_season(sample, season, args.copies).write_parquet(path)
        files.append(path)
        routes[release_path("nflverse-data", f"stats_player/stats_player_week_{season}.parquet")] = str(path)
    total_rows = args.copies * sample.height * len(SEASONS)
    size_mb = sum(f.stat().st_size for f in files) / 1e6
    read_times, ingest_times, fetch_times = [], [], []
    try:
        with served_elsewhere(routes) as url:
            for rep in range(args.repeat):
                t0 = time.perf_counter()
                baseline = pl.read_parquet(files)
                read_times.append(time.perf_counter() - t0)
                assert baseline.height == total_rows

                store = SnapshotStore(DataRoot(str(work / f"root-{rep}")))
                t0 = time.perf_counter()
                (result,) = ingest_nflverse(["weekly"], SEASONS, store=store, base_url=url, dt="2025-01-01")
                ingest_times.append(time.perf_counter() - t0)
                assert result.status == "new" and result.row_count == total_rows

                # the connector's own share (download, parse, validate), without the snapshot write
                t0 = time.perf_counter()
                with nflreadpy_downloader(url) as downloader:
                    frame, _urls = fetch_dataset(DATASETS["weekly"], SEASONS, downloader)
                fetch_times.append(time.perf_counter() - t0)
                assert frame.height == total_rows
    finally:
        shutil.rmtree(work, ignore_errors=True)
    read_s, ingest_s = statistics.median(read_times), statistics.median(ingest_times)
    ratio = ingest_s / read_s
    fetch_s = statistics.median(fetch_times)
    print(f"nflverse weekly ingest, {len(SEASONS)} seasons, {total_rows:,} rows x {sample.width} cols "
          f"({size_mb:.1f} MB Parquet): ingest {ingest_s:.3f}s, polars read {read_s:.3f}s "
          f"(medians of {args.repeat}); ratio {ratio:.2f} (target <= {TARGET})")
    print(f"  of which download+validate {fetch_s:.3f}s ({fetch_s / read_s:.2f}x the read); "
          f"snapshot publish (footers, hash, manifest, registry) {ingest_s - fetch_s:.3f}s")
    print(f"  files and data roots were in {work.parent}")
    return 0 if args.quick or ratio <= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
