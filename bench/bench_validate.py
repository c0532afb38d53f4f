"""Benchmark: ``ffa validate`` on 10,000 partitions vs a bare loop reading every footer's row count.

Target: validate (registry parse, listing, manifest parse, footer row counts, cross-checks) costs at most 2x the
bare pyarrow footer loop, measured in the same run (median of several runs each). Worst case on purpose: every
partition except the newest of each dataset is registered *pending*, so every one gets the full check (historical
snapshots would only be checked for existence).

    uv run python bench/bench_validate.py [--partitions 10000] [--repeat 3] [--keep DIR]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import xxhash

from ff_analytics.governance.validate import validate
from ff_analytics.platform_config import platform_config
from ff_analytics.snapshots.manifest import Coverage, FileEntry, Loader, Manifest, columns_of, schema_hash
from ff_analytics.snapshots.registry import REGISTRY_PATH, RegistryRow, render_registry
from ff_analytics.snapshots.store import SnapshotStore
from ff_analytics.storage import DataRoot

TARGET_RATIO = 2.0


def generate(root: Path, partitions: int) -> list[Path]:
    """Tiny one-file snapshots spread over every configured dataset, with manifests and a registry."""
    config = platform_config()
    datasets = [(s, d) for s, cfg in config.sources.items() for d in cfg.datasets]
    per = -(-partitions // len(datasets))
    rows: list[RegistryRow] = []
    files: list[Path] = []
    start = date(2025, 1, 1)
    made = 0
    for source, dataset in datasets:
        for i in range(per):
            if made == partitions:
                break
            day = start - timedelta(days=i)
            n = 5 + (i % 7)
            table = pa.table({"player_id": [f"p{j}" for j in range(n)], "season": [2024] * n,
                              "value": [float(j) for j in range(n)]})
            folder = root / "raw" / source / dataset / f"dt={day.isoformat()}"
            folder.mkdir(parents=True)
            path = folder / f"{dataset}.parquet"
            pq.write_table(table, path)
            files.append(path)
            cols = columns_of(table.schema)
            manifest = Manifest(source=source, dataset=dataset, dt=day, asof_datetime=datetime.now(UTC),
                                loader=Loader(module="bench", version="0"), row_count=n,
                                files=[FileEntry(name=path.name, row_count=n, size_bytes=path.stat().st_size)],
                                columns=cols, schema_hash=schema_hash(cols),
                                content_hash=xxhash.xxh3_128(path.read_bytes()).hexdigest(),
                                coverage=Coverage(min_season=2024, max_season=2024))
            (folder / "_meta.json").write_text(manifest.to_json())
            rows.append(RegistryRow(source, dataset, day.isoformat(), "current" if i == 0 else "pending",
                                    "2024", "2024", str(n), ""))
            made += 1
    (root / REGISTRY_PATH).parent.mkdir(parents=True, exist_ok=True)
    (root / REGISTRY_PATH).write_text(render_registry(rows))
    return files


def bare_footer_loop(root: Path) -> int:
    """The baseline: find every Parquet file and read its footer's row count."""
    return sum(pq.read_metadata(p).num_rows for p in root.glob("raw/*/*/dt=*/*.parquet"))


def timed_pair(base_fn, fn, repeat: int) -> tuple[float, float, object, object]:
    """Alternate the two contenders so machine load hits both alike; medians of each."""
    base_times, times, base_result, result = [], [], None, None
    for _ in range(repeat):
        t0 = time.perf_counter()
        base_result = base_fn()
        base_times.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(base_times), statistics.median(times), base_result, result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--partitions", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--keep", type=Path, default=None, help="Build the tree here and keep it.")
    parser.add_argument("--quick", action="store_true", help="one small iteration, no target check (CI)")
    args = parser.parse_args()
    if args.quick:
        args.partitions, args.repeat = 200, 1
    tmp = tempfile.TemporaryDirectory(prefix="bench-validate-") if args.keep is None else None
    root = args.keep or Path(tmp.name)
    t0 = time.perf_counter()
    files = generate(root, args.partitions)
    print(f"generated {len(files)} partitions in {time.perf_counter() - t0:.1f} s under {root}")
    store = SnapshotStore(root=DataRoot(str(root)))
    bare_footer_loop(root)  # warm the OS cache for both contenders alike
    base_s, val_s, total, findings = timed_pair(lambda: bare_footer_loop(root),
                                                lambda: validate(store, as_of=date(2025, 1, 2)), args.repeat)
    bad = [f for f in findings if f.severity != "info"]
    ratio = val_s / base_s
    print(f"bare footer loop: {base_s:.3f} s ({total} rows in {len(files)} files)")
    print(f"ffa validate:     {val_s:.3f} s ({len(findings)} findings, {len(bad)} warnings/errors)")
    print(f"ratio validate / bare loop = {ratio:.2f} (target <= {TARGET_RATIO})")
    if tmp is not None:
        tmp.cleanup()
    if bad:
        print("unexpected findings on a clean tree:", *[f.line() for f in bad[:5]], sep="\n  ")
        return 1
    return 0 if args.quick or ratio <= TARGET_RATIO else 1


if __name__ == "__main__":
    sys.exit(main())
