"""Benchmark: the ffanalytics consensus against a Polars group-by mean of all stat columns (a regression guard).

Two tables, both with all three avg_types (average, robust, weighted):

- ``reference``: the raw table the R package was checked on (``shared/data/ffanalytics-r-reference``: 2,605
  rows, 424 players, 10 sources), with R's default scoring and its weights;
- ``5000``: 5,000 synthetic players x 10 sources (shuffled, 2 % of TDs missing, so imputation runs), league rules.

Each is timed interleaved with its baseline, ``group_by(season, week, pos, id).agg(<every stat column>.mean())``
on the same raw rows, in the same process (median of repeated runs). The guard is a ratio <= 3.5 on the
5,000-player table; the script exits 1 when it is missed. On the reference table the ratio is printed for
information only: at 2,605 rows the consensus is fixed per-call costs (a dozen small Polars queries, one NumPy
pass per stat column and statistic) that a single group-by does not have, so the ratio says little. The peer a
user would otherwise run, R's ``projections_table``, is not timed here (it needs R); on a table of this size it
takes about a second of CPU for the three avg_types.

``--quick``: one small iteration of each (300 synthetic players), no target check. ``--stages``: the median time
of each stage of the consensus on the 5,000-player table.
Run: ``uv run python bench/bench_consensus.py [--quick] [--repeats 25] [--stages]``.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import polars as pl

from ff_analytics.sources.ffanalytics import aggregate, rows
from ff_analytics.sources.ffanalytics import raw as raw_module
from ff_analytics.sources.ffanalytics.aggregate import AVG_TYPES, consensus
from ff_analytics.sources.ffanalytics.raw import read_raw
from ff_analytics.sources.ffanalytics.scoring import ScoringTable, build_scoring_table, load_scoring_rules
from ff_analytics.sources.ffanalytics.weights import SourceWeights, load_weights

TARGET_RATIO = 3.5
REFERENCE = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "ffanalytics-r-reference"
KEYS = ["season", "week", "pos", "id"]
POS_SHARE = {"QB": 0.12, "RB": 0.25, "WR": 0.33, "TE": 0.15, "K": 0.08, "DST": 0.07}
# (column, mean per position) for a realistic weekly projection table
STAT_MEANS = {
    "pass_att": {"QB": 30}, "pass_comp": {"QB": 20}, "pass_yds": {"QB": 230}, "pass_tds": {"QB": 1.5},
    "pass_int": {"QB": 0.7}, "rush_att": {"QB": 4, "RB": 12, "WR": 0.5}, "rush_yds": {"QB": 20, "RB": 55, "WR": 3},
    "rush_tds": {"QB": 0.2, "RB": 0.4}, "rec": {"RB": 2.5, "WR": 4.5, "TE": 3.5},
    "rec_yds": {"RB": 20, "WR": 55, "TE": 35}, "rec_tds": {"RB": 0.1, "WR": 0.35, "TE": 0.25},
    "fumbles_lost": {"QB": 0.2, "RB": 0.1, "WR": 0.05, "TE": 0.05}, "two_pts": {"QB": 0.05, "RB": 0.05},
    "xp": {"K": 2.4}, "fg_0019": {"K": 0.05}, "fg_2029": {"K": 0.5}, "fg_3039": {"K": 0.6}, "fg_4049": {"K": 0.5},
    "fg_50": {"K": 0.3}, "dst_sacks": {"DST": 2.5}, "dst_int": {"DST": 0.8}, "dst_fum_rec": {"DST": 0.6},
    "dst_td": {"DST": 0.15}, "dst_pts_allowed": {"DST": 21},
}


def synthetic_raw(players: int, sources: int, seed: int = 7) -> pl.DataFrame:
    """players x sources rows, shuffled, with ~2% of pass/rush TDs missing (so imputation runs)."""
    rng = np.random.default_rng(seed)
    pos = rng.choice(list(POS_SHARE), size=players, p=list(POS_SHARE.values()))
    talent = rng.lognormal(0, 0.45, players)
    n = players * sources
    pid = np.repeat(np.arange(players), sources)
    cols: dict[str, np.ndarray] = {}
    for col, means in STAT_MEANS.items():
        base = np.array([means.get(p, 0.0) for p in pos]) * talent
        vals = np.round(np.repeat(base, sources) * rng.normal(1.0, 0.15, n), 2)
        if col in ("pass_tds", "rush_tds"):
            vals[rng.random(n) < 0.02] = np.nan
        cols[col] = vals
    df = pl.DataFrame({
        "player": [f"Player {i}" for i in pid], "team": "FA", "pos": pos[pid],
        "id": (pid + 10000).astype(str), "data_src": np.tile([f"Site{j}" for j in range(sources)], players),
        "season": np.full(n, 2024, dtype=np.int32), "week": np.full(n, 1, dtype=np.int32), **cols,
    })
    return df.sample(fraction=1.0, shuffle=True, seed=seed)


class Case:
    """One table to time: the raw rows, the rules and weights, and the stat columns the baseline averages;
    ``guarded``: whether the ratio target applies."""

    def __init__(self, name: str, raw: pl.DataFrame, table: ScoringTable, weights: SourceWeights,
                 guarded: bool) -> None:
        self.name, self.raw, self.table, self.weights, self.guarded = name, raw, table, weights, guarded
        self.stat_columns = [c for c, t in raw.schema.items() if t.is_numeric() and c not in KEYS]
        self.players = raw.filter(pl.col("id").is_not_null()).select(KEYS).n_unique()

    def run_consensus(self) -> pl.DataFrame:
        return consensus(self.raw, self.table, self.weights, avg_types=AVG_TYPES)

    def run_baseline(self) -> pl.DataFrame:
        return self.raw.group_by(KEYS).agg(pl.col(self.stat_columns).mean())


def reference_case() -> Case | None:
    if not (REFERENCE / "raw_projections.csv").exists():
        return None
    table = build_scoring_table(load_scoring_rules(REFERENCE / "scoring_r_default.yaml"))
    return Case("reference", read_raw(REFERENCE / "raw_projections.csv"), table,
                load_weights(REFERENCE / "weights.csv"), guarded=False)


def synthetic_case(players: int, sources: int) -> Case:
    weights = SourceWeights({f"site{j}": round(0.08 + 0.01 * j, 4) for j in range(sources)}, {}, "bench")
    return Case(str(players), synthetic_raw(players, sources), build_scoring_table(load_scoring_rules()), weights,
                guarded=True)


# (module, function) pairs timed with --stages; check_raw includes group_rows; _type_statistics runs once per
# avg_type (its time is the sum), tiers_and_vor_sorted once for all avg_types.
STAGES = [(rows, "check_raw"), (raw_module, "group_rows"), (rows, "_stat_arrays"), (rows, "score_rows"),
          (aggregate, "_sort_bucket"), (aggregate, "_type_statistics"), (aggregate, "tiers_and_vor_sorted"),
          (aggregate, "_assemble")]


def time_stages() -> dict[str, list[float]]:
    """Wrap each stage function so every call adds its duration to the returned lists."""
    spent: dict[str, list[float]] = {}
    for module, name in STAGES:
        inner = getattr(module, name)

        def wrapper(*args, _inner=inner, _name=name, **kwargs):
            start = time.perf_counter()
            try:
                return _inner(*args, **kwargs)
            finally:
                spent.setdefault(_name, []).append(time.perf_counter() - start)

        setattr(module, name, wrapper)
    return spent


def timed(fn: Callable[[], object]) -> tuple[float, float]:
    """Wall and CPU seconds of one call (CPU: this process, all threads)."""
    start, cpu = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - start, time.process_time() - cpu


def measure(case: Case, repeats: int, stage_calls: dict[str, list[float]] | None = None
            ) -> tuple[float, float, float, dict[str, float]]:
    """Median wall ms of the consensus and of the baseline (interleaved), the consensus's median CPU ms, and
    each stage's median wall ms when wrapped."""
    out = case.run_consensus()  # warm-up (imports, first-call caches)
    case.run_baseline()
    if out.height > case.players * len(AVG_TYPES) or out.height < case.players:
        raise SystemExit(f"{case.name}: unexpected consensus size {out.height} for {case.players} players")
    per_run: dict[str, list[float]] = {}
    t_cons, t_base, cpu_cons = [], [], []
    for _ in range(repeats):  # interleaved, so load from other processes hits both alike
        before = {k: len(v) for k, v in (stage_calls or {}).items()}
        wall, cpu = timed(case.run_consensus)
        t_cons.append(wall)
        cpu_cons.append(cpu)
        for k, v in (stage_calls or {}).items():
            per_run.setdefault(k, []).append(sum(v[before.get(k, 0):]))
        t_base.append(timed(case.run_baseline)[0])
    stages = {k: statistics.median(v) * 1000 for k, v in per_run.items()}
    return (statistics.median(t_cons) * 1000, statistics.median(t_base) * 1000, statistics.median(cpu_cons) * 1000,
            stages)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--players", type=int, default=5000)
    ap.add_argument("--sources", type=int, default=10)
    ap.add_argument("--repeats", type=int, default=25)
    ap.add_argument("--quick", action="store_true", help="one small iteration of each table, no target check")
    ap.add_argument("--stages", action="store_true", help="also print the median time of each stage (5,000 table)")
    args = ap.parse_args()
    repeats = 1 if args.quick else args.repeats

    cases = [c for c in (reference_case(), synthetic_case(300 if args.quick else args.players, args.sources)) if c]
    if len(cases) == 1:
        print(f"reference table not found at {REFERENCE}: timing the synthetic table only")
    worst = 0.0
    for case in cases:
        stage_calls = time_stages() if args.stages and case is cases[-1] else None
        cons, base, cpu, stages = measure(case, repeats, stage_calls)
        ratio = cons / base
        if case.guarded:
            worst = max(worst, ratio)
        target = f"target <= {TARGET_RATIO}" if case.guarded else "information only"
        print(f"{case.name:>9}: {case.raw.height:,} rows, {case.players:,} players, {len(case.stat_columns)} stat "
              f"columns, {len(AVG_TYPES)} avg_types | consensus {cons:7.2f} ms ({cpu:.1f} ms CPU), group-by mean "
              f"{base:6.2f} ms, "
              f"ratio {ratio:.2f} ({target})")
        for name, ms in stages.items():
            print(f"    stage {name:22s} {ms:8.2f} ms")
    if args.quick:
        print("quick run: no target check")
        return 0
    if worst > TARGET_RATIO:
        print(f"FAIL: ratio {worst:.2f} > {TARGET_RATIO}")
        return 1
    print("OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
