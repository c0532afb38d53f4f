"""What each nflverse dataset is: its nflreadpy loader, whether it is per season, and its key and columns."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import nflreadpy as nfl
import polars as pl


@dataclass(frozen=True)
class DatasetSpec:
    name: str
    load: Callable[[list[int] | None], pl.DataFrame]
    seasonal: bool  # True: one upstream file (or filter) per season; False: one reference table
    min_season: int = 1999
    # Alternative primary keys, first whose columns are all present wins (upstream schemas vary by vintage).
    keys: tuple[tuple[str, ...], ...] = ()
    required: tuple[str, ...] = ()
    params: dict[str, Any] = field(default_factory=dict)
    string_columns: Callable[[list[str]], list[str]] = lambda _cols: []
    # True: nflreadpy only concatenates per-season Parquet files, so the snapshot keeps the files exactly as served
    # (no re-encoding) and validation reads just the columns it checks.
    publish_as_served: bool = False

    def checked_columns(self) -> set[str]:
        """Columns validation needs: required, every alternative key, season and week."""
        return {*self.required, *(c for key in self.keys for c in key), "season", "week"}


def _id_columns(columns: list[str]) -> list[str]:
    return [c for c in columns if c.endswith("_id")]


DATASETS: dict[str, DatasetSpec] = {
    spec.name: spec
    for spec in (
        DatasetSpec(
            "weekly", lambda s: nfl.load_player_stats(s, summary_level="week"), seasonal=True, min_season=1999,
            keys=(("player_id", "season", "week", "season_type"), ("player_id", "season", "week")),
            required=("player_id", "season", "week", "team"), params={"summary_level": "week"},
            publish_as_served=True,
        ),
        DatasetSpec(
            "snap_counts", lambda s: nfl.load_snap_counts(s), seasonal=True, min_season=2012,
            keys=(("game_id", "pfr_player_id"),),
            required=("game_id", "season", "week", "pfr_player_id", "team", "offense_snaps"),
            publish_as_served=True,
        ),
        DatasetSpec(
            "ff_opportunity", lambda s: nfl.load_ff_opportunity(s, stat_type="weekly", model_version="latest"),
            seasonal=True, min_season=2006, keys=(("game_id", "player_id"),),
            required=("season", "week", "game_id", "player_id", "position"),
            params={"stat_type": "weekly", "model_version": "latest"}, publish_as_served=True,
        ),
        DatasetSpec(
            "schedule", lambda s: nfl.load_schedules(s), seasonal=True, min_season=1999, keys=(("game_id",),),
            required=("game_id", "season", "game_type", "week", "home_team", "away_team"),
        ),
        DatasetSpec(
            "teams", lambda _s: nfl.load_teams(), seasonal=False,
            keys=(("season", "team"), ("team",), ("team_abbr",)),
        ),
        DatasetSpec(
            "players", lambda _s: nfl.load_players(), seasonal=False, keys=(("gsis_id",),),
            required=("gsis_id", "display_name", "position"),
        ),
        DatasetSpec(
            "ff_playerids", lambda _s: nfl.load_ff_playerids(), seasonal=False, keys=(("mfl_id",),),
            required=("mfl_id", "gsis_id", "sleeper_id", "ktc_id", "espn_id", "name", "position"),
            # CSV ids parse as integers when all digits; keep every *_id a string so joins and schemas are stable.
            string_columns=_id_columns,
        ),
    )
}
