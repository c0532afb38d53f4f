"""Plausibility checks on a projections consensus, for the ingest and for governance.

Errors mean the consensus must not be published (the ingest refuses to write); warnings and notes travel in
the snapshot manifest. Bounds are per game (week > 0) or per season (week 0).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Literal

import polars as pl

MAX_WEEKLY_POINTS = 70.0
MAX_SEASON_POINTS = 700.0
AVG_TYPE_SPREAD = 0.25  # sums of points per avg_type may differ by this share before it is flagged


@dataclass(frozen=True)
class Finding:
    level: Literal["error", "warn", "info"]
    check: str
    message: str
    count: int = 0

    def as_dict(self) -> dict:
        return asdict(self)


def sanity_check(consensus: pl.DataFrame, raw: pl.DataFrame | None = None, *,
                 max_weekly: float = MAX_WEEKLY_POINTS, max_season: float = MAX_SEASON_POINTS) -> list[Finding]:
    """Min/max/sum sanity of consensus points, key uniqueness, floor <= ceiling; negative raw stats noted."""
    out: list[Finding] = []
    if consensus.height == 0:
        return [Finding("error", "non_empty", "the consensus has no rows")]
    key = ["avg_type", "season", "week", "pos", "id"]
    dupes = consensus.select(pl.struct(key).is_duplicated().sum()).item()
    if dupes:
        out.append(Finding("error", "unique_key", f"{dupes} rows share (avg_type, season, week, pos, id)", dupes))
    bad = consensus.filter(pl.col("points").is_null() | ~pl.col("points").is_finite() | (pl.col("points") <= 0))
    if bad.height:
        out.append(Finding("error", "points_min", f"{bad.height} rows have points <= 0 or missing", bad.height))
    bound = pl.when(pl.col("week") == 0).then(max_season).otherwise(max_weekly)
    high = consensus.filter(pl.col("points") > bound)
    if high.height:
        top = high.sort("points", descending=True).row(0, named=True)
        out.append(Finding("warn", "points_max", f"{high.height} rows exceed {max_weekly:g} pts/week or "
                           f"{max_season:g} pts/season (highest: {top['player']} {top['points']:.1f})", high.height))
    inverted = consensus.filter(pl.col("floor") > pl.col("ceiling"))
    if inverted.height:
        out.append(Finding("error", "floor_le_ceiling", f"{inverted.height} rows have floor > ceiling",
                           inverted.height))
    sums = consensus.group_by("avg_type").agg(pl.col("points").sum()).sort("avg_type")
    if sums.height > 1:
        lo, hi = sums["points"].min(), sums["points"].max()
        if lo <= 0 or (hi - lo) / hi > AVG_TYPE_SPREAD:
            out.append(Finding("warn", "points_sum", "total points differ by more than "
                               f"{AVG_TYPE_SPREAD:.0%} between avg_types: {dict(sums.iter_rows())}"))
    weights = consensus.filter((pl.col("total_weight") < 0) | (pl.col("source_count") < 1))
    if weights.height:
        out.append(Finding("error", "sources", f"{weights.height} rows have no source or negative weight",
                           weights.height))
    if raw is not None:
        num = [c for c, t in raw.schema.items() if t.is_numeric() and c not in ("season", "week")]
        neg = raw.select([(pl.col(c) < 0).sum().alias(c) for c in num]).row(0, named=True) if num else {}
        neg = {k: v for k, v in neg.items() if v}
        if neg:
            out.append(Finding("info", "negative_stats", f"negative stat values kept as projected: {neg}",
                               sum(neg.values())))
    return out


def errors(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.level == "error"]
