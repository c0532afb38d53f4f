"""The consensus: ffanalytics' ``projections_table`` in Polars + NumPy.

raw rows --check, rebuild kicker totals, impute gaps, score every rule for every position (``rows.py``)-->
per player and avg_type: points, sd_pts, floor/ceiling --> tiers, VOR, ranks. ``consensus()`` is pure (frames
and config in, frame out); ``build_consensus()`` also returns what was dropped, imputed or ignored, for
manifests and checks.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import polars as pl

from ff_analytics.errors import ConfigError
from ff_analytics.sources.ffanalytics import stats
from ff_analytics.sources.ffanalytics.groups import Bucket, Groups
from ff_analytics.sources.ffanalytics.raw import RawCheck
from ff_analytics.sources.ffanalytics.rows import checked_rows, score_checked
from ff_analytics.sources.ffanalytics.scoring import (
    ScoringRules,
    ScoringTable,
    build_scoring_table,
    load_scoring_rules,
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

    rows = checked_rows(raw, table, season=season, week=week, origin=origin)
    missing = weights.missing(rows.sources.to_list())
    if missing:
        raise ConfigError(f"weights file {weights.origin} has no weight for source(s) {missing}; add them "
                          f"(0 is allowed) so every source's influence is explicit", source=SOURCE,
                          dataset="projections_consensus")
    groups, group_pos, pos_names, df = rows.groups, rows.group_pos, rows.pos_names, rows.frame
    pair_code, pair_weight = _weight_pairs(weights, rows.sources.to_list(), pos_names, rows.src_code, rows.row_pos)
    points, imputed = score_checked(rows, table)

    sorted_rows = [_sort_bucket(b, groups, points, pair_code, pair_weight) for b in groups.buckets]
    total_weight = np.zeros(groups.count)
    for bucket, cols in sorted_rows:
        total_weight[bucket.groups] = cols.weight_sum
    # the avg_types' players one after another (avg_type * players + player): one tiers pass for all of them
    values = [_type_statistics(t, sorted_rows, groups.count) for t in avg_types]
    stacked = {k: np.concatenate([v[k] for v in values]) for k in ("points", "sd_pts", "floor", "ceiling")}
    keep, tiers = _tiers(stacked, groups, _Blocks.of(groups, group_pos, pos_names).stacked(len(avg_types)),
                         baseline, thresholds)
    frame = _assemble(df, groups, avg_types, stacked, keep, tiers, total_weight)
    kept = np.bincount(keep // groups.count, minlength=len(avg_types))
    dropped = {t: int(groups.count - kept[i]) for i, t in enumerate(avg_types)}
    return ConsensusResult(frame, rows.check, imputed, dropped, table.unused_rules)


def _weight_pairs(weights: SourceWeights, sources: list[str], pos_names: list[str], src_code: np.ndarray,
                  row_pos: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each row's (source, weight) pair and the weight of every pair.

    Pairs are the sources, or (source, position) when the weights are position-specific. Harrell-Davis gives
    each pair one bit, so fewer pairs mean more shared beta evaluations.
    """
    grid = np.empty((len(pos_names), len(sources)))
    for j, s in enumerate(sources):
        for i, p in enumerate(pos_names):
            w = weights.by_pos_source.get((p, s.lower()), weights.by_source.get(s.lower()))
            if w is None:
                raise ConfigError(f"weights file {weights.origin} has no weight for source {s!r} at position {p}",
                                  source=SOURCE, dataset="projections_consensus")
            grid[i, j] = w
    if not weights.by_pos_source:
        return src_code, grid[0]
    pairs, pair_code = np.unique(src_code * len(pos_names) + row_pos, return_inverse=True)
    return pair_code, grid[pairs % len(pos_names), pairs // len(pos_names)]


def _sort_bucket(bucket: Bucket, groups: Groups, points: np.ndarray, pair_code: np.ndarray,
                 pair_weight: np.ndarray) -> tuple[Bucket, stats.Columns]:
    """Sort each player's points once, into one column per player; the weights and (source, weight) pair bits
    follow the same order. Every avg_type's statistics read these columns."""
    rows = groups.rows(bucket)
    x = np.take(points, rows)
    order = np.argsort(x, axis=1, kind="stable")
    cells = (order + np.arange(0, x.size, bucket.size)[:, None]).T  # (source rank, player) -> flat cell
    x_cols = np.take(x, cells)
    pairs = np.take(pair_code, np.take(rows, cells))
    bits = np.left_shift(np.int64(1), pairs) if pair_weight.size <= 62 else None
    return bucket, stats.Columns(x_cols, np.take(pair_weight, pairs), bits)


def _type_statistics(avg_type: str, buckets: list[tuple[Bucket, stats.Columns]],
                     n_groups: int) -> dict[str, np.ndarray]:
    """points, sd_pts, floor and ceiling of every player for one avg_type."""
    out = {k: np.full(n_groups, np.nan) for k in ("points", "sd_pts", "floor", "ceiling")}
    for bucket, cols in buckets:
        g = bucket.groups
        if avg_type == "weighted":
            out["points"][g], out["sd_pts"][g] = cols.weighted_mean(), cols.weighted_sd()
            out["floor"][g], out["ceiling"][g] = cols.harrell_davis(QUANTILES)
            continue
        if avg_type == "average":
            out["points"][g], out["sd_pts"][g] = cols.mean_sd()
        else:
            out["points"][g], out["sd_pts"][g] = cols.hodges_lehmann(), cols.mad()
        out["floor"][g], out["ceiling"][g] = cols.quantile7(QUANTILES[0]), cols.quantile7(QUANTILES[1])
    return out


@dataclass(frozen=True)
class _Blocks:
    """Each player's (period, position) block and period, numbered from 0, and every block's position."""

    block: np.ndarray
    period: np.ndarray
    block_pos: list[str]
    n_periods: int

    @classmethod
    def of(cls, groups: Groups, group_pos: np.ndarray, pos_names: list[str]) -> _Blocks:
        keys = groups.keys
        period = keys["season"].to_numpy().astype(np.int64) * 100 + keys["week"].to_numpy().astype(np.int64)
        periods, period_code = np.unique(period, return_inverse=True)
        return cls(period_code * len(pos_names) + group_pos, period_code, pos_names * len(periods), len(periods))

    def stacked(self, n_types: int) -> _Blocks:
        """The blocks of ``n_types`` copies of the players one after another: avg_type is part of the block
        and of the period, so each avg_type gets its own tiers, VOR and ranks."""
        n_blocks = len(self.block_pos)
        type_of = np.repeat(np.arange(n_types), self.block.size)
        return _Blocks(np.tile(self.block, n_types) + type_of * n_blocks,
                       np.tile(self.period, n_types) + type_of * self.n_periods,
                       self.block_pos * n_types, self.n_periods * n_types)


def _tiers(stacked: dict[str, np.ndarray], groups: Groups, blocks: _Blocks, baseline: dict[str, int],
           thresholds: dict[str, float]) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Tiers, VOR and ranks of the stacked players; players whose points tie are ordered by id (as dplyr)."""
    player_ids = groups.keys["id"]
    return tiers_and_vor_sorted(
        stacked["points"], stacked["sd_pts"], stacked["floor"], stacked["ceiling"], blocks.block, blocks.block_pos,
        blocks.period, lambda idx: np.array(player_ids.gather(idx % groups.count).to_list()), baseline, thresholds)


def _assemble(df: pl.DataFrame, groups: Groups, avg_types: tuple[str, ...], stacked: dict[str, np.ndarray],
              keep: np.ndarray, tiers: dict[str, np.ndarray], total_weight: np.ndarray) -> pl.DataFrame:
    """One output frame in tiers order; ``keep`` numbers (avg_type, player) pairs as type * players + player."""
    type_of, group_of = np.divmod(keep, groups.count)
    first = groups.first_rows()[group_of]
    columns = {
        "avg_type": pl.Series("avg_type", list(avg_types), dtype=pl.String).gather(type_of),
        **groups.keys[group_of].to_dict(),
        **{k: df[k].gather(first) if k in df.columns else pl.Series(k, [None] * keep.size, dtype=pl.String)
           for k in ("player", "team")},
        **{k: pl.Series(k, stacked[k][keep], nan_to_null=True) for k in ("points", "sd_pts", "floor", "ceiling")},
        **{k: pl.Series(k, v, nan_to_null=True) for k, v in tiers.items() if k not in INT_COLUMNS},
        **{k: _int_series(k, v) for k, v in tiers.items() if k in INT_COLUMNS},
        "source_count": pl.Series("source_count", groups.sizes[group_of], dtype=pl.Int32),
        "total_weight": pl.Series("total_weight", total_weight[group_of]),
    }
    return pl.DataFrame([columns[c] for c in CONSENSUS_COLUMNS])


def _int_series(name: str, values: np.ndarray) -> pl.Series:
    """Whole numbers held as floats (NaN = none) as an Int32 column; a plain cast when nothing is missing."""
    if np.isnan(values).any():
        return pl.Series(name, values, nan_to_null=True).cast(pl.Int32)
    return pl.Series(name, values.astype(np.int32))
