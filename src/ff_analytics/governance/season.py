"""The NFL calendar from the current nflverse schedule snapshot: which games were played between two dates.

Season-aware row-count bounds (:mod:`ff_analytics.governance.anomalies`) use it to tell in-season growth (new
weeks of stats arrive every week) from the off-season (the data should stay flat), instead of one fixed ±%.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import polars as pl

from ff_analytics.errors import FFAError
from ff_analytics.governance.baseline import current_dt
from ff_analytics.snapshots.store import SnapshotStore


@dataclass(frozen=True)
class NflCalendar:
    """Every scheduled game: season, week and game day (regular and postseason)."""

    games: pl.DataFrame

    def played_between(self, start: date, end: date) -> pl.DataFrame:
        """Games on ``start <= gameday < end`` (a snapshot taken on ``end`` can hold games up to the day before)."""
        return self.games.filter((pl.col("gameday") >= start) & (pl.col("gameday") < end))

    def weeks_between(self, start: date, end: date) -> int:
        """NFL weeks with at least one game between the two dates."""
        return self.played_between(start, end).select("season", "week").unique().height

    def games_in(self, weeks: dict[str, list[int]]) -> int:
        """Games of the given ``{season: [weeks]}`` (a manifest's coverage)."""
        pairs = pl.DataFrame({"season": [int(s) for s, ws in weeks.items() for _ in ws],
                              "week": [int(w) for ws in weeks.values() for w in ws]},
                             schema={"season": pl.Int64, "week": pl.Int64})
        return self.games.join(pairs, on=["season", "week"], how="inner").height

    def in_season(self, day: date) -> bool:
        """Between a season's first and last game (inclusive)."""
        spans = self.games.group_by("season").agg(pl.col("gameday").min().alias("first"),
                                                  pl.col("gameday").max().alias("last"))
        return spans.filter((pl.col("first") <= day) & (pl.col("last") >= day)).height > 0


def nfl_calendar(store: SnapshotStore) -> NflCalendar | None:
    """The calendar from the current nflverse schedule snapshot; None when there is none or it is unreadable."""
    day = current_dt(store, "nflverse", "schedule")
    if day is None:
        return None
    try:
        frames = [pl.read_parquet(_readable(store, u), columns=["season", "week", "gameday"])
                  for u in store.files("nflverse", "schedule", day)]
        games = pl.concat(frames, how="vertical_relaxed").select(
            pl.col("season").cast(pl.Int64), pl.col("week").cast(pl.Int64),
            pl.col("gameday").cast(pl.Utf8).str.to_date(strict=False)).drop_nulls()
    except (FFAError, OSError, pl.exceptions.PolarsError, ValueError):
        return None
    return NflCalendar(games) if games.height else None


def _readable(store: SnapshotStore, uri: str):
    return uri if store.root.is_local else store.root.fs.open(uri.split("://", 1)[-1], "rb")
