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
    score_rows,
)
from ff_analytics.sources.ffanalytics.tiers import (
    DEFAULT_TIER_THRESHOLD,
    DEFAULT_VOR_BASELINE,
    tiers_and_vor_sorted,
)
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
    sources = check.sources if check.sources is not None else df["data_src"].unique(maintain_order=True)
    missing = weights.missing(sources.to_list())
    if missing:
        raise ConfigError(f"weights file {weights.origin} has no weight for source(s) {missing}; add them "
                          f"(0 is allowed) so every source's influence is explicit", source=SOURCE,
                          dataset="projections_consensus")
    src_code = df["data_src"].cast(pl.Enum(sources)).to_physical().to_numpy().astype(np.int64)

    groups = check.groups if check.groups is not None else group_rows(df)
    keys = groups.keys
    pos_names = sorted(set(keys["pos"].unique().to_list()), key=lambda p: (POSITIONS + (p,)).index(p))
    group_pos = keys["pos"].cast(pl.Enum(pos_names)).to_physical().to_numpy().astype(np.int64)
    row_pos = groups.broadcast(group_pos)
    row_weight = _row_weights(weights, sources.to_list(), pos_names, src_code, row_pos)

    scored = {p: table.scored_columns(p) for p in pos_names}
    columns, imputed = _stat_arrays(df, check, table, groups, group_pos, pos_names, scored)
    points = score_rows(table, columns, pos_names, row_pos, df["week"].to_numpy())

    # Distinct (source, weight) pairs get one bit each, so Harrell-Davis can reuse beta evaluations.
    pair_code = src_code * len(pos_names) + row_pos if weights.by_pos_source else src_code
    _, pair_code = np.unique(pair_code, return_inverse=True) if weights.by_pos_source else (None, pair_code)
    bits = np.left_shift(np.int64(1), pair_code.astype(np.int64)) if pair_code.max(initial=0) < 62 else None
    src_bits = np.left_shift(np.int64(1), src_code) if src_code.max(initial=0) < 62 else None

    per_type = {t: {k: np.full(groups.count, np.nan) for k in ("points", "sd_pts", "floor", "ceiling")}
                for t in avg_types}
    total_weight = np.zeros(groups.count)
    for bucket in groups.buckets:
        _bucket_stats(bucket, groups, points, row_weight, bits, src_code, src_bits, df, avg_types, per_type,
                      total_weight)

    frame, dropped = _assemble(df, groups, group_pos, pos_names, per_type, total_weight, baseline, thresholds)
    return ConsensusResult(frame, check, imputed, dropped, table.unused_rules)


def _stat_arrays(df: pl.DataFrame, check: RawCheck, table: ScoringTable, groups: Groups, group_pos: np.ndarray,
                 pos_names: list[str], scored: dict[str, set[str]]) -> tuple[dict[str, np.ndarray], dict[str, int]]:
    """The stat columns scoring needs, as float arrays (NaN = missing), with gaps in scored columns filled.

    Columns are zero-copy views of the frame where Polars allows; only columns that get filled are copied.
    """
    stat_cols = check.stat_columns
    used = set().union(*(table.linear.get(p, {}) for p in pos_names), *(table.brackets.get(p, {}) for p in pos_names))
    scored_any = set().union(*scored.values())
    todo = {c for c in stat_cols if c in scored_any and (check.gaps is None or c in check.gaps)}
    needed = used | todo | {RATE_PARTNER[c] for c in todo if c in RATE_PARTNER} | {"fg", "fg_att"}
    arrays = {c: df[c].to_numpy() for c in stat_cols if c in needed}
    if check.gaps is None:
        todo = {c for c in todo if np.isnan(arrays[c]).any()}
    if not todo:
        return arrays, {}
    return arrays, impute_missing(arrays, stat_cols, groups, group_pos, pos_names, scored, todo)


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
                  bits: np.ndarray | None, src_code: np.ndarray, src_bits: np.ndarray | None, df: pl.DataFrame,
                  avg_types: tuple[str, ...], per_type: dict[str, dict[str, np.ndarray]],
                  total_weight: np.ndarray) -> None:
    rows = groups.rows(bucket)
    x = np.take(points, rows)
    order = np.argsort(x, axis=1, kind="stable")
    rows = np.take_along_axis(rows, order, axis=1)
    x = np.take_along_axis(x, order, axis=1)
    w = np.take(row_weight, rows)
    if bucket.size > 1:
        _reject_duplicate_sources(rows, src_code, src_bits, df)
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


def _reject_duplicate_sources(rows: np.ndarray, src_code: np.ndarray, src_bits: np.ndarray | None,
                              df: pl.DataFrame) -> None:
    """A player may have one row per source. With one bit per source, a row's bits sum to their OR unless a
    bit repeats (a carry), which finds duplicates without sorting."""
    if src_bits is not None:
        b = np.take(src_bits, rows)
        dup = b.sum(axis=1) != np.bitwise_or.reduce(b, axis=1)
    else:
        codes = np.sort(np.take(src_code, rows), axis=1)
        dup = (np.diff(codes, axis=1) == 0).any(axis=1)
    if dup.any():
        bad = df[rows[dup][:3].ravel()].select("data_src", "id", "pos", "season", "week").unique()
        raise SourceError(f"{int(dup.sum())} players have more than one row from the same source; "
                          f"examples: {bad.rows()}", source=SOURCE, dataset="projections_raw")


def _assemble(df: pl.DataFrame, groups: Groups, group_pos: np.ndarray, pos_names: list[str],
              per_type: dict[str, dict[str, np.ndarray]], total_weight: np.ndarray, baseline: dict[str, int],
              thresholds: dict[str, float]) -> tuple[pl.DataFrame, dict[str, int]]:
    """Tiers/VOR for all avg_types in one pass (avg_type is part of the block), then one output frame."""
    keys = groups.keys
    n_groups, n_pos, n_types = groups.count, len(pos_names), len(per_type)
    period = (keys["season"].to_numpy().astype(np.int64) * 100 + keys["week"].to_numpy().astype(np.int64))
    periods, period_code = np.unique(period, return_inverse=True)
    n_blocks = len(periods) * n_pos
    block = period_code * n_pos + group_pos
    type_offset = np.repeat(np.arange(n_types), n_groups)
    stacked = {k: np.concatenate([vals[k] for vals in per_type.values()]) for k in ("points", "sd_pts", "floor",
                                                                                     "ceiling")}
    keep, res = tiers_and_vor_sorted(
        stacked["points"], stacked["sd_pts"], stacked["floor"], stacked["ceiling"],
        np.tile(block, n_types) + type_offset * n_blocks, [pos_names[b % n_pos] for b in range(n_blocks)] * n_types,
        np.tile(period_code, n_types) + type_offset * len(periods),
        lambda idx: keys["id"].gather(idx % n_groups).rank("dense").to_numpy(),  # ties: by id, as dplyr
        baseline, thresholds)
    type_of, group_of = np.divmod(keep, n_groups)
    counts = np.bincount(type_of, minlength=n_types)
    dropped = {t: int(n_groups - counts[i]) for i, t in enumerate(per_type)}
    first = groups.first_rows()[group_of]
    numbers = {
        **{k: pl.Series(k, stacked[k][keep], nan_to_null=True) for k in ("points", "sd_pts", "floor", "ceiling")},
        **{k: pl.Series(k, v, nan_to_null=True) for k, v in res.items() if k not in INT_COLUMNS},
        **{k: pl.Series(k, v, nan_to_null=True).cast(pl.Int32) for k, v in res.items() if k in INT_COLUMNS},
        "source_count": pl.Series("source_count", groups.sizes[group_of], dtype=pl.Int32),
        "total_weight": pl.Series("total_weight", total_weight[group_of]),
    }
    text = {  # gathered inside the one query that builds the frame
        "avg_type": pl.lit(pl.Series(list(per_type), dtype=pl.String)).gather(pl.col("_type")),
        **{k: pl.lit(keys[k]).gather(pl.col("_group")) for k in ("season", "week", "pos", "id")},
        **{k: pl.lit(df[k]).gather(pl.col("_first")) if k in df.columns else pl.lit(None, dtype=pl.String)
           for k in ("player", "team")},
    }
    base = pl.DataFrame([*numbers.values(), pl.Series("_type", type_of), pl.Series("_group", group_of),
                         pl.Series("_first", first)])
    out = base.lazy().select([text[c].alias(c) if c in text else pl.col(c) for c in CONSENSUS_COLUMNS]).collect()
    return out, dropped
