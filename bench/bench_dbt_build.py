"""Benchmark: `dbt build` of the whole project vs DuckDB executing the same compiled SQL directly.

The demo's recorded data (every connector against its replay server, no Prefect, no dbt) is written to a data
root, then the nflverse player-week datasets (weekly, snap_counts, ff_opportunity: the bulk of the warehouse)
are scaled up deterministically: copy k of every row gets its player ids suffixed `-k`, so every key stays
unique and every model and test keeps passing. The scale factor grows until DuckDB's own execution takes at
least TARGET_SECONDS (at demo size dbt's fixed start-up would dominate any ratio).

Baseline, same run, same data root: one in-process DuckDB connection to a copy of the seeded warehouse runs every
compiled model of the manifest in dependency order (`create or replace table ... as <compiled sql>`) and every
compiled test (`select count(*) from (<compiled sql>)`). Measured: `dbt build` wall time (seeds, models, tests,
dbt's parse and start-up included) between two baseline runs; the ratio uses the mean of the two. Target: <= 1.3x.
The marts' share of the DuckDB time is printed, and dbt's own per-node times by layer.

Run: uv run python bench/bench_dbt_build.py [--quick] [--workdir DIR] [--start-factor N]
--quick: one small iteration (scale factor 2), no target check.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from collections import defaultdict
from graphlib import TopologicalSorter
from pathlib import Path

import duckdb
import polars as pl

from ff_analytics.orchestration.demo import run_demo
from ff_analytics.settings import get_settings
from ff_analytics.snapshots.store import SnapshotStore
from ff_analytics.storage import DataRoot
from ff_analytics.transform import run_project_dbt

TARGET_SECONDS = 20.0
TARGET_RATIO = 1.3
MAX_FACTOR = 4096
# Dataset -> the id columns suffixed per copy (one player's rows stay together).
SCALED = {"weekly": ["player_id"], "snap_counts": ["pfr_player_id"], "ff_opportunity": ["player_id"]}
WAREHOUSE = "ff_analytics.duckdb"  # the catalog name compiled SQL refers to


def build_base_root(root: Path) -> None:
    """The demo's snapshots at `root` (connectors against the replay servers; no Prefect, no dbt)."""
    os.environ["FFA_DATA_ROOT"] = str(root)
    get_settings.cache_clear()
    summary = run_demo(use_prefect=False, run_dbt=False)
    if not summary.ok:
        raise SystemExit(f"demo ingest failed: {summary}")


def scale_root(base: Path, out: Path, factor: int) -> int:
    """Copy `base` to `out` with the nflverse player-week snapshots `factor` times as large; returns their rows."""
    shutil.copytree(base, out)
    store = SnapshotStore(DataRoot(str(out)))
    rows = 0
    for dataset, id_columns in SCALED.items():
        current = store.registry.current("nflverse", dataset)
        if current is None:
            continue
        for path in store.files("nflverse", dataset, dt=current.snapshot_date):
            frame = pl.read_parquet(path)
            present = [c for c in id_columns if c in frame.columns]
            copies = [frame] + [frame.with_columns([(pl.col(c).cast(pl.String) + f"-{k}").alias(c) for c in present])
                                for k in range(1, factor)]
            scaled = pl.concat(copies, how="vertical_relaxed")
            scaled.write_parquet(path)
            rows += scaled.height
    return rows


def compiled_nodes(target_dir: Path) -> tuple[list[dict], list[dict]]:
    """Models in dependency order and tests, with their compiled SQL, from dbt's manifest."""
    manifest = json.loads((target_dir / "manifest.json").read_text())
    nodes = manifest["nodes"]
    models = {k: v for k, v in nodes.items() if v["resource_type"] == "model" and v["config"].get("enabled", True)}
    graph = {k: [d for d in v["depends_on"]["nodes"] if d in models] for k, v in models.items()}
    ordered = [models[k] for k in TopologicalSorter(graph).static_order()]
    tests = [v for v in nodes.values() if v["resource_type"] == "test"]
    return ordered, tests


def run_direct(seeded_db: Path, workdir: Path, models: list[dict], tests: list[dict]) -> tuple[float, dict[str, float]]:
    """DuckDB alone on a copy of the seeded warehouse: every model, then every test. (total, seconds by layer)."""
    run_dir = workdir / f"direct-{time.monotonic_ns()}"
    run_dir.mkdir()
    db = run_dir / WAREHOUSE
    shutil.copyfile(seeded_db, db)
    wal = seeded_db.with_name(seeded_db.name + ".wal")  # dbt-duckdb may hold the file open: copy its log too
    if wal.exists():
        shutil.copyfile(wal, db.with_name(db.name + ".wal"))
    con = duckdb.connect()
    try:
        con.execute(f"attach '{db}' as ff_analytics")
        con.execute("use ff_analytics")
        layers: dict[str, float] = defaultdict(float)
        started = time.perf_counter()
        for node in models:
            if not node.get("compiled_code"):
                raise SystemExit(f"{node['unique_id']} has no compiled SQL in the manifest")
            con.execute(f"create schema if not exists ff_analytics.{node['schema']}")
            t0 = time.perf_counter()
            con.execute(f"create or replace table {node['relation_name']} as {node['compiled_code']}")
            layers[node["name"].split("_", 1)[0]] += time.perf_counter() - t0
        t0 = time.perf_counter()
        for node in tests:
            con.execute(f"select count(*) from ({node['compiled_code']}) t").fetchall()
        layers["test"] += time.perf_counter() - t0
        total = time.perf_counter() - started
    finally:
        con.close()
        shutil.rmtree(run_dir, ignore_errors=True)
    return total, dict(layers)


def dbt_layers(target_dir: Path) -> dict[str, float]:
    """dbt's own execution time per layer (run_results.json of the last command)."""
    results = json.loads((target_dir / "run_results.json").read_text())["results"]
    layers: dict[str, float] = defaultdict(float)
    for r in results:
        kind, _, name = r["unique_id"].split(".", 2)
        layer = name.split("_", 1)[0] if kind == "model" else kind
        layers[layer] += r["execution_time"]
    return dict(layers)


def measure(base: Path, workdir: Path, factor: int) -> dict:
    root = workdir / f"root-x{factor}"
    rows = scale_root(base, root, factor)
    store = SnapshotStore(DataRoot(str(root)))
    target_dir = root / "warehouse" / "dbt_target"
    seeded = root / "warehouse" / "seeded" / WAREHOUSE
    seeded.parent.mkdir(parents=True)
    for args in (["seed"], ["compile"]):
        result = run_project_dbt(args, store=store, warehouse_path=seeded)
        if not result.success:
            raise SystemExit(f"dbt {args[0]} failed at factor {factor}: {result.exception}")
    models, tests = compiled_nodes(target_dir)
    direct_1, layers_1 = run_direct(seeded, workdir, models, tests)
    build_db = root / "warehouse" / "build" / WAREHOUSE
    build_db.parent.mkdir(parents=True)
    t0 = time.perf_counter()
    built = run_project_dbt(["build"], store=store, warehouse_path=build_db)
    dbt_seconds = time.perf_counter() - t0
    bad = {k: v for k, v in built.statuses().items() if v not in ("success", "pass", "warn")}
    if not built.success or bad:
        raise SystemExit(f"dbt build failed at factor {factor}: {bad or built.exception}")
    layers = dbt_layers(target_dir)
    direct_2, layers_2 = run_direct(seeded, workdir, models, tests)
    shutil.rmtree(root, ignore_errors=True)
    direct = (direct_1 + direct_2) / 2
    return {"factor": factor, "player_week_rows": rows, "models": len(models), "tests": len(tests),
            "duckdb_seconds": round(direct, 2), "duckdb_runs": [round(direct_1, 2), round(direct_2, 2)],
            "dbt_build_seconds": round(dbt_seconds, 2), "ratio": round(dbt_seconds / direct, 3),
            "marts_share_of_duckdb": round((layers_1.get("mrt", 0) + layers_2.get("mrt", 0))
                                           / (direct_1 + direct_2), 3),
            "duckdb_seconds_by_layer": {k: round((layers_1.get(k, 0) + layers_2.get(k, 0)) / 2, 2)
                                        for k in sorted(layers_1.keys() | layers_2.keys())},
            "dbt_node_seconds_by_layer": {k: round(v, 2) for k, v in sorted(layers.items())}}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="one small iteration, no target check")
    parser.add_argument("--workdir", type=Path, help="where the data roots go (default: a temp dir)")
    parser.add_argument("--start-factor", type=int, default=64, help="first scale factor of the search")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="bench-dbt-", dir=args.workdir))
    try:
        base = workdir / "base"
        t0 = time.perf_counter()
        build_base_root(base)
        print(f"demo snapshots written in {time.perf_counter() - t0:.1f}s at {base}", flush=True)
        factor = 2 if args.quick else args.start_factor
        while True:
            report = measure(base, workdir, factor)
            print(json.dumps(report), flush=True)
            if args.quick or report["duckdb_seconds"] >= TARGET_SECONDS or factor >= MAX_FACTOR:
                break
            # Grow towards the target (execution time is close to linear in the rows), at least doubling.
            factor = min(MAX_FACTOR, max(factor * 2, int(factor * TARGET_SECONDS * 1.15 / report["duckdb_seconds"])))
        if args.quick:
            print("quick mode: no target check")
            return 0
        if report["duckdb_seconds"] < TARGET_SECONDS:
            print(f"DuckDB took {report['duckdb_seconds']}s at the largest factor ({factor}): below {TARGET_SECONDS}s")
            return 1
        verdict = "PASS" if report["ratio"] <= TARGET_RATIO else "FAIL"
        print(f"{verdict}: dbt build {report['dbt_build_seconds']}s vs DuckDB {report['duckdb_seconds']}s = "
              f"{report['ratio']}x (target <= {TARGET_RATIO}x); marts {report['marts_share_of_duckdb']:.0%} of DuckDB")
        return 0 if verdict == "PASS" else 1
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
