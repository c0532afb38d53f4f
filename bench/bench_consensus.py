"""Benchmark: consensus for 5,000 players x 10 sources x 3 avg_types vs one Polars group-by mean.

Target (issue #5): the full consensus (check, impute, score, average/robust/weighted statistics, tiers, VOR,
ranks) in under 2x the time of one Polars group-by mean over the same raw rows. The baseline is what a plain
"consensus by averaging" costs: ``group_by(season, week, pos, id).agg(<every stat column>.mean())`` (the old
league pipeline's consensus was exactly this). The stricter reading (a one-column mean) is printed too.

Both are timed in the same process, interleaved, median of repeated runs. Exits 1 if the target is missed.
``--stages`` adds the median time of each stage of the consensus (from the same timed runs).
Run: ``uv run python bench/bench_consensus.py [--players 5000 --sources 10 --repeats 25 --stages]``.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time

import numpy as np
import polars as pl

from ff_analytics.sources.ffanalytics import aggregate
from ff_analytics.sources.ffanalytics import raw as raw_module
from ff_analytics.sources.ffanalytics.aggregate import AVG_TYPES, consensus
from ff_analytics.sources.ffanalytics.scoring import build_scoring_table, load_scoring_rules
from ff_analytics.sources.ffanalytics.weights import SourceWeights

TARGET_RATIO = 2.0
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
        noise = rng.normal(1.0, 0.15, n)
        vals = np.round(np.repeat(base, sources) * noise, 2)
        if col in ("pass_tds", "rush_tds"):
            vals[rng.random(n) < 0.02] = np.nan
        cols[col] = vals
    df = pl.DataFrame({
        "player": [f"Player {i}" for i in pid], "team": "FA", "pos": pos[pid],
        "id": (pid + 10000).astype(str), "data_src": np.tile([f"Site{j}" for j in range(sources)], players),
        "season": np.full(n, 2024, dtype=np.int32), "week": np.full(n, 1, dtype=np.int32), **cols,
    })
    return df.sample(fraction=1.0, shuffle=True, seed=seed)


# (module, function) pairs timed with --stages; check_raw includes group_rows; _type_statistics runs once per
# avg_type (its time is the sum), tiers_and_vor_sorted once for all avg_types.
STAGES = [(aggregate, "check_raw"), (raw_module, "group_rows"), (aggregate, "_stat_arrays"),
          (aggregate, "score_rows"), (aggregate, "_sort_bucket"), (aggregate, "_type_statistics"),
          (aggregate, "tiers_and_vor_sorted"), (aggregate, "_assemble")]


def time_stages() -> dict[str, list[float]]:
    """Wrap each stage function so every call adds its duration to the returned lists (one entry per run is
    summed later by the caller)."""
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


def timed(fn, repeats: int) -> list[float]:
    out = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        out.append(time.perf_counter() - start)
    return out


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--players", type=int, default=5000)
    ap.add_argument("--sources", type=int, default=10)
    ap.add_argument("--repeats", type=int, default=25)
    ap.add_argument("--stages", action="store_true", help="also print the median time of each stage")
    args = ap.parse_args()

    raw = synthetic_raw(args.players, args.sources)
    table = build_scoring_table(load_scoring_rules())
    weights = SourceWeights({f"site{j}": round(0.08 + 0.01 * j, 4) for j in range(args.sources)}, {}, "bench")
    stat_cols = list(STAT_MEANS)
    keys = ["season", "week", "pos", "id"]

    def run_consensus() -> pl.DataFrame:
        return consensus(raw, table, weights, avg_types=AVG_TYPES)

    def run_mean_all() -> pl.DataFrame:
        return raw.group_by(keys).agg(pl.col(stat_cols).mean())

    def run_mean_one() -> pl.DataFrame:
        return raw.group_by(keys).agg(pl.col("pass_yds").mean())

    out = run_consensus()  # warm-up (imports, first-call caches)
    run_mean_all()
    run_mean_one()
    expected = args.players * len(AVG_TYPES)
    if out.height > expected or out.filter(pl.col("avg_type") == "average").height < args.players * 0.95:
        print(f"unexpected consensus size {out.height} (expected about {expected})")
        return 1

    stage_calls = time_stages() if args.stages else {}
    per_run: dict[str, list[float]] = {}
    t_cons, t_all, t_one = [], [], []
    for _ in range(args.repeats):  # interleave so load from other processes hits both alike
        before = {k: len(v) for k, v in stage_calls.items()}
        t_cons += timed(run_consensus, 1)
        for k, v in stage_calls.items():
            per_run.setdefault(k, []).append(sum(v[before.get(k, 0):]))
        t_all += timed(run_mean_all, 1)
        t_one += timed(run_mean_one, 1)
    cons, base_all, base_one = (statistics.median(t) * 1000 for t in (t_cons, t_all, t_one))
    ratio = cons / base_all
    print(f"rows: {raw.height:,} ({args.players:,} players x {args.sources} sources), avg_types: {len(AVG_TYPES)}")
    print(f"consensus (3 avg_types):                {cons:8.2f} ms  (fastest run {min(t_cons) * 1000:.2f} ms)")
    print(f"baseline group-by mean, all stat cols:  {base_all:8.2f} ms  -> ratio {ratio:.2f} (target < "
          f"{TARGET_RATIO})")
    print(f"stricter: group-by mean, one column:    {base_one:8.2f} ms  -> ratio {cons / base_one:.2f}")
    for name, values in per_run.items():
        print(f"  stage {name:22s} {statistics.median(values) * 1000:8.2f} ms")
    if ratio >= TARGET_RATIO:
        print("FAIL: consensus is slower than the target")
        return 1
    print("OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
