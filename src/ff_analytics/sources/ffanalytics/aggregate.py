"""The consensus: ffanalytics' ``projections_table`` in Polars + NumPy.

raw rows --check--> impute gaps --score with league rules--> per player and avg_type: points, sd_pts,
floor/ceiling --> tiers, VOR, ranks. ``consensus()`` is pure (frames and config in, frame out);
``build_consensus()`` also returns what was dropped, imputed or ignored, for manifests and checks.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import polars as pl

from ff_analytics.errors import ConfigError, SourceError
from ff_analytics.sources.ffanalytics import stats
from ff_analytics.sources.ffanalytics.groups import Bucket, Groups, group_rows
from ff_analytics.sources.ffanalytics.impute import RATE_PARTNER, impute_missing
from ff_analytics.sources.ffanalytics.raw import RawCheck, check_raw
from ff_analytics.sources.ffanalytics.scoring import (
    POSITIONS,
    ScoringRules,
    ScoringTable,
    build_scoring_table,
    load_scoring_rules,
    points_expr,
)
from ff_analytics.sources.ffanalytics.tiers import DEFAULT_TIER_THRESHOLD, DEFAULT_VOR_BASELINE, tiers_and_vor
from ff_analytics.sources.ffanalytics.weights import SourceWeights, load_weights

SOURCE = "ffanalytics"
AVG_TYPES = ("average", "robust", "weighted")
QUANTILES = (0.05, 0.95)
CONSENSUS_COLUMNS = [
    "avg_type", "season", "week", "pos", "id", "player", "team", "points", "sd_pts", "floor", "ceiling",
    "dropoff", "tier", "points_vor", "floor_vor", "ceiling_vor", "rank", "floor_rank", "ceiling_rank", "pos_rank",
    "source_count", "total_weight",
]
INT_COLUMNS = ("tier", "rank", "floor_rank", "ceiling_rank", "pos_rank")


@dataclass
class ConsensusResult:
    frame: pl.DataFrame
    raw: RawCheck
    imputed_values: dict[str, int] = field(default_factory=dict)
    dropped_players: dict[str, int] = field(default_factory=dict)  # per avg_type: points <= 0 or undefined
    unused_rules: list[str] = field(default_factory=list)

    def report(self) -> dict:
        return {**self.raw.report(), "imputed_values": self.imputed_values,
                "players_without_consensus": self.dropped_players, "rules_not_in_projections": self.unused_rules}


def consensus(raw: pl.DataFrame, rules: ScoringRules | ScoringTable | None = None,
              weights: SourceWeights | None = None, *, avg_types: tuple[str, ...] = AVG_TYPES,
              vor_baseline: dict[str, int] | None = None, tier_thresholds: dict[str, float] | None = None,
              season: int | None = None, week: int | None = None) -> pl.DataFrame:
    """One consensus row per (avg_type, season, week, pos, player id) from raw per-source projections."""
    return build_consensus(raw, rules, weights, avg_types=avg_types, vor_baseline=vor_baseline,
                           tier_thresholds=tier_thresholds, season=season, week=week).frame


def build_consensus(raw: pl.DataFrame, rules: ScoringRules | ScoringTable | None = None,
                    weights: SourceWeights | None = None, *, avg_types: tuple[str, ...] = AVG_TYPES,
                    vor_baseline: dict[str, int] | None = None, tier_thresholds: dict[str, float] | None = None,
                    season: int | None = None, week: int | None = None,
                    origin: str = "raw projections") -> ConsensusResult:
    unknown = [t for t in avg_types if t not in AVG_TYPES]
    if unknown or not avg_types:
        raise ConfigError(f"avg_types must be a non-empty subset of {AVG_TYPES}, got {list(avg_types)}",
                          source=SOURCE)
    table = rules if isinstance(rules, ScoringTable) else build_scoring_table(rules or load_scoring_rules())
    weights = weights if weights is not None else load_weights()
    baseline = {**DEFAULT_VOR_BASELINE, **(vor_baseline or {})}
    thresholds = {**DEFAULT_TIER_THRESHOLD, **(tier_thresholds or {})}

    check = check_raw(raw, table.columns(), season=season, week=week, origin=origin)
    df = check.frame
    sources = df["data_src"].unique(maintain_order=True)
    missing = weights.missing(sources.to_list())
    if missing:
        raise ConfigError(f"weights file {weights.origin} has no weight for source(s) {missing}; add them "
                          f"(0 is allowed) so every source's influence is explicit", source=SOURCE,
                          dataset="projections_consensus")
    src_code = df["data_src"].cast(pl.Enum(sources)).to_physical().to_numpy().astype(np.int64)

    groups = group_rows(df)
    keys = groups.keys
    pos_names = sorted(set(keys["pos"].unique().to_list()), key=lambda p: (POSITIONS + (p,)).index(p))
    group_pos = keys["pos"].cast(pl.Enum(pos_names)).to_physical().to_numpy().astype(np.int64)
    row_pos = groups.broadcast(group_pos)
    row_weight = _row_weights(weights, sources.to_list(), pos_names, src_code, row_pos)

    stat_cols = check.stat_columns
    scored = {p: table.scored_columns(p) for p in pos_names}
    df, imputed = _impute(df, stat_cols, groups, group_pos, pos_names, scored)
    points = df.select(points_expr(table, stat_cols, pos_names)).to_series().to_numpy()

    # Distinct (source, weight) pairs get one bit each, so Harrell-Davis can reuse beta evaluations.
    pair_code = src_code * len(pos_names) + row_pos if weights.by_pos_source else src_code
    _, pair_code = np.unique(pair_code, return_inverse=True) if weights.by_pos_source else (None, pair_code)
    bits = np.left_shift(np.int64(1), pair_code.astype(np.int64)) if pair_code.max(initial=0) < 62 else None

    per_type = {t: {k: np.full(groups.count, np.nan) for k in ("points", "sd_pts", "floor", "ceiling")}
                for t in avg_types}
    total_weight = np.zeros(groups.count)
    for bucket in groups.buckets:
        _bucket_stats(bucket, groups, points, row_weight, bits, src_code, df, avg_types, per_type, total_weight)

    frame, dropped = _assemble(df, groups, group_pos, pos_names, per_type, total_weight, baseline, thresholds)
    return ConsensusResult(frame, check, imputed, dropped, table.unused_rules)


def _impute(df: pl.DataFrame, stat_cols: list[str], groups: Groups, group_pos: np.ndarray, pos_names: list[str],
            scored: dict[str, set[str]]) -> tuple[pl.DataFrame, dict[str, int]]:
    """Fill gaps in scored columns (only columns that have gaps, plus their rate partners, leave Polars)."""
    if not stat_cols:
        return df, {}
    gaps = df.select([(pl.col(c).is_null() | pl.col(c).is_nan()).any().alias(c) for c in stat_cols]).row(
        0, named=True)
    todo = {c for c, has in gaps.items() if has and any(c in cols for cols in scored.values())}
    if not todo:
        return df, {}
    needed = todo | {RATE_PARTNER[c] for c in todo if c in RATE_PARTNER} | ({"fg", "fg_att"} & set(stat_cols))
    cols = [c for c in stat_cols if c in needed]
    mat = df.select(cols).to_numpy().astype(np.float64, copy=True)
    filled = impute_missing(mat, cols, groups, group_pos, pos_names, scored, todo)
    if not filled:
        return df, {}
    return df.with_columns([pl.Series(c, mat[:, i]) for i, c in enumerate(cols) if c in filled]), filled


def _row_weights(weights: SourceWeights, sources: list[str], pos_names: list[str], src_code: np.ndarray,
                 row_pos: np.ndarray) -> np.ndarray:
    grid = np.empty((len(pos_names), len(sources)))
    for j, s in enumerate(sources):
        for i, p in enumerate(pos_names):
            w = weights.by_pos_source.get((p, s.lower()), weights.by_source.get(s.lower()))
            if w is None:
                raise ConfigError(f"weights file {weights.origin} has no weight for source {s!r} at position {p}",
                                  source=SOURCE, dataset="projections_consensus")
            grid[i, j] = w
    return grid[row_pos, src_code]


def _bucket_stats(bucket: Bucket, groups: Groups, points: np.ndarray, row_weight: np.ndarray,
                  bits: np.ndarray | None, src_code: np.ndarray, df: pl.DataFrame, avg_types: tuple[str, ...],
                  per_type: dict[str, dict[str, np.ndarray]], total_weight: np.ndarray) -> None:
    rows = groups.rows(bucket)
    x = np.take(points, rows)
    order = np.argsort(x, axis=1, kind="stable")
    rows = np.take_along_axis(rows, order, axis=1)
    x = np.take(points, rows)
    w = np.take(row_weight, rows)
    if bucket.size > 1:
        codes = np.sort(np.take(src_code, rows), axis=1)
        dup = (np.diff(codes, axis=1) == 0).any(axis=1)
        if dup.any():
            bad = df[rows[dup][:3].ravel()].select("data_src", "id", "pos", "season", "week").unique()
            raise SourceError(f"{int(dup.sum())} players have more than one row from the same source; "
                              f"examples: {bad.rows()}", source=SOURCE, dataset="projections_raw")
    g = bucket.groups
    total_weight[g] = w.sum(axis=1)
    if "average" in avg_types or "robust" in avg_types:
        floor, ceiling = stats.quantile7(x, QUANTILES[0]), stats.quantile7(x, QUANTILES[1])
    if "average" in avg_types:
        out = per_type["average"]
        out["points"][g], out["sd_pts"][g] = stats.mean(x), stats.sd(x)
        out["floor"][g], out["ceiling"][g] = floor, ceiling
    if "robust" in avg_types:
        out = per_type["robust"]
        out["points"][g], out["sd_pts"][g] = stats.hodges_lehmann(x), stats.mad(x)
        out["floor"][g], out["ceiling"][g] = floor, ceiling
    if "weighted" in avg_types:
        out = per_type["weighted"]
        out["points"][g], out["sd_pts"][g] = stats.weighted_mean(x, w), stats.weighted_sd(x, w)
        out["floor"][g], out["ceiling"][g] = stats.harrell_davis(x, w, QUANTILES,
                                                                 np.take(bits, rows) if bits is not None else None)


def _assemble(df: pl.DataFrame, groups: Groups, group_pos: np.ndarray, pos_names: list[str],
              per_type: dict[str, dict[str, np.ndarray]], total_weight: np.ndarray, baseline: dict[str, int],
              thresholds: dict[str, float]) -> tuple[pl.DataFrame, dict[str, int]]:
    """Tiers/VOR per avg_type, then one output frame (built once, not per avg_type)."""
    keys = groups.keys
    period = (keys["season"].to_numpy().astype(np.int64) * 100 + keys["week"].to_numpy().astype(np.int64))
    periods, period_code = np.unique(period, return_inverse=True)
    block = period_code * len(pos_names) + group_pos
    block_pos = [pos_names[b % len(pos_names)] for b in range(len(periods) * len(pos_names))]
    tie_key = keys["id"].rank("dense").to_numpy()
    keeps, cols, labels, dropped = [], {}, [], {}
    for avg_type, vals in per_type.items():
        res = tiers_and_vor(vals["points"], vals["sd_pts"], vals["floor"], vals["ceiling"], block, block_pos,
                            period_code, tie_key, baseline, thresholds)
        keep = res.pop("keep")
        dropped[avg_type] = int(groups.count - keep.size)
        keeps.append(keep)
        labels.append(np.full(keep.size, AVG_TYPES.index(avg_type), dtype=np.uint8))
        for k, v in {**vals, **res}.items():
            cols.setdefault(k, []).append(v[keep])
    keep_all = np.concatenate(keeps)
    first = groups.first_rows()[keep_all]
    out = keys[keep_all].with_columns(
        pl.Series("avg_type", np.concatenate(labels)).replace_strict(dict(enumerate(AVG_TYPES)),
                                                                     return_dtype=pl.String),
        (df["player"].gather(first) if "player" in df.columns else pl.lit(None, dtype=pl.String)).alias("player"),
        (df["team"].gather(first) if "team" in df.columns else pl.lit(None, dtype=pl.String)).alias("team"),
        pl.Series("source_count", groups.sizes[keep_all], dtype=pl.Int32),
        pl.Series("total_weight", total_weight[keep_all]),
        *[pl.Series(k, np.concatenate(v), nan_to_null=True) for k, v in cols.items() if k not in INT_COLUMNS],
        *[pl.Series(k, np.concatenate(v), nan_to_null=True).cast(pl.Int32) for k, v in cols.items()
          if k in INT_COLUMNS],
    )
    return out.select(CONSENSUS_COLUMNS), dropped
