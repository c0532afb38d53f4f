"""Player value: value over replacement (VOR) from the consensus projections, next to the KTC market value.

VOR = a player's projected points minus the points of the replacement-level player at his position (the player
ranked just past the starters a 12-team 1QB league rosters). Comparing the VOR rank with the KTC rank shows where
the market disagrees with the projections (``rank_gap`` > 0: the market ranks him lower than his VOR does).
"""

from __future__ import annotations

from typing import Any

import polars as pl
from prefect import flow
from pydantic import BaseModel, ConfigDict, Field

from ff_analytics.analytics.tasks import (
    compute_validated,
    configured_load_mart,
    require_settings,
    run_analytics_models,
    write_output,
)

NAME = "player_value"
# Replacement rank per position: starters in a 12-team 1QB league with RB/WR/TE flex + 1 (the first free agent).
REPLACEMENT_RANK = {"QB": 13, "RB": 31, "WR": 43, "TE": 13}
# Season-total consensus projections for the newest season in the mart.
PROJECTIONS_SQL = """
select player_id, player_name, position, sum(projected_points) as projected_points
from {relation}
where season = (select max(season) from {relation}) and position in ('QB', 'RB', 'WR', 'TE')
group by all
"""
# Newest KTC value per player (players only, one market scope).
KTC_SQL = """
select player_id, asset_name as player_name, position, ktc_value
from {relation}
where asset_type = 'player' and market_scope = 'dynasty_1qb'
  and as_of_date = (select max(as_of_date) from {relation} where asset_type = 'player')
"""


class PlayerValueRow(BaseModel):
    """One output row; every row is validated before anything is written."""

    model_config = ConfigDict(extra="forbid")

    player_id: str | None
    player_name: str = Field(min_length=1)
    position: str = Field(pattern=r"^(QB|RB|WR|TE)$")
    projected_points: float = Field(ge=0)
    replacement_points: float = Field(ge=0)
    vor: float
    vor_rank: int = Field(ge=1)
    ktc_value: int | None = Field(None, ge=0)
    ktc_rank: int | None = Field(None, ge=1)
    rank_gap: int | None


def _name_key(col: str) -> pl.Expr:
    return pl.col(col).str.to_lowercase().str.replace_all(r"[^a-z]", "")


def compute_player_value(projections: pl.DataFrame, ktc: pl.DataFrame,
                         replacement_rank: dict[str, int] | None = None) -> pl.DataFrame:
    """VOR per player joined to KTC by player id, falling back to name + position when an id is missing."""
    ranks = replacement_rank or REPLACEMENT_RANK
    proj = projections.with_columns(pl.col("projected_points").cast(pl.Float64),
                                    _name_key("player_name").alias("_name"))
    proj = proj.with_columns(pl.col("projected_points").rank("ordinal", descending=True).over("position")
                             .alias("_pos_rank"))
    # Replacement level: the player at the replacement rank, or the last one when the pool is shallower.
    repl = (proj.with_columns(pl.col("position").replace_strict(ranks, default=None).alias("_want"))
            .filter(pl.col("_pos_rank") <= pl.col("_want"))
            .group_by("position").agg(pl.col("projected_points").sort(descending=True).last()
                                      .alias("replacement_points")))
    out = proj.join(repl, on="position", how="left").with_columns(
        (pl.col("projected_points") - pl.col("replacement_points")).round(2).alias("vor"))
    values = ktc.select(pl.col("player_id"), _name_key("player_name").alias("_name"), pl.col("position"),
                        pl.col("ktc_value").cast(pl.Int64))
    by_id = values.filter(pl.col("player_id").is_not_null()).unique("player_id", keep="first")
    out = out.join(by_id.select("player_id", "ktc_value"), on="player_id", how="left")
    by_name = values.unique(["_name", "position"], keep="first").select("_name", "position",
                                                                        pl.col("ktc_value").alias("_ktc_by_name"))
    out = out.join(by_name, on=["_name", "position"], how="left").with_columns(
        pl.coalesce("ktc_value", "_ktc_by_name").alias("ktc_value"))
    out = out.with_columns(
        pl.col("vor").rank("ordinal", descending=True).cast(pl.Int64).alias("vor_rank"),
        pl.col("ktc_value").rank("ordinal", descending=True).cast(pl.Int64).alias("ktc_rank"),
    ).with_columns((pl.col("ktc_rank") - pl.col("vor_rank")).alias("rank_gap"))
    return out.select(list(PlayerValueRow.model_fields)).sort("vor_rank")


@flow(name="analytics-player-value", description="VOR from consensus projections vs KTC value → analytics mart.")
def player_value_flow(target: str = "dev", project_dir: str | None = None,
                      projections_relation: str = "mrt_fantasy_projections",
                      ktc_relation: str = "fct_asset_market_values", run_models: bool = True) -> dict[str, Any]:
    """Load the marts, compute and validate player value, snapshot it, then build the dbt analytics models."""
    require_settings("data_root")
    load = configured_load_mart()
    projections = load(projections_relation, target=target, sql=PROJECTIONS_SQL)
    ktc = load(ktc_relation, target=target, sql=KTC_SQL)
    frame = compute_validated(NAME, compute_player_value, PlayerValueRow, projections=projections, ktc=ktc)
    path = write_output(NAME, frame)
    summary: dict[str, Any] = {"rows": frame.height, "path": path}
    if run_models:
        summary["dbt"] = run_analytics_models(NAME, target, project_dir)
    return summary
