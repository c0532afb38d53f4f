"""A realistic snapshot tree built from the repo's recordings of the real league data (all five sources)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import polars as pl

from ff_analytics.settings import get_settings
from ff_analytics.snapshots.store import SnapshotStore

AS_OF = date(2025, 1, 20)
TODAY = "2025-01-19"
EARLIER = "2025-01-12"


def recording(*parts: str) -> pl.DataFrame:
    return pl.read_parquet(get_settings().recordings_dir.joinpath(*parts))


def crosswalk(players: pl.DataFrame, weekly: pl.DataFrame, consensus: pl.DataFrame) -> pl.DataFrame:
    """An ff_playerids-shaped crosswalk: the recorded players (nflverse players and weekly) plus the projected
    players' MFL ids."""
    people = pl.concat([players.select("gsis_id", "display_name", "pfr_id"),
                        weekly.select(pl.col("player_id").alias("gsis_id"),
                                      pl.col("player_display_name").alias("display_name"),
                                      pl.lit(None, pl.Utf8).alias("pfr_id"))]).unique("gsis_id")
    base = people.select(pl.col("gsis_id"), pl.col("display_name").alias("name"), pl.col("pfr_id"),
                         pl.lit(None, pl.Utf8).alias("mfl_id"), pl.lit(None, pl.Utf8).alias("sleeper_id"))
    mfl = consensus.select(pl.lit(None, pl.Utf8).alias("gsis_id"), pl.col("player").alias("name"),
                           pl.lit(None, pl.Utf8).alias("pfr_id"),
                           pl.col("player_id").cast(pl.Int64).cast(pl.Utf8).alias("mfl_id"),
                           pl.lit(None, pl.Utf8).alias("sleeper_id"))
    return pl.concat([base, mfl]).unique()


def sleeper_frames() -> dict[str, pl.DataFrame]:
    """Sleeper responses as the connector would flatten them (shapes from docs.sleeper.com), 12 teams."""
    users = pl.DataFrame({"user_id": [f"u{i}" for i in range(1, 13)],
                          "display_name": [f"team{i}" for i in range(1, 13)]})
    rosters = pl.DataFrame({"roster_id": list(range(1, 13)), "owner_id": [f"u{i}" for i in range(1, 13)],
                            "wins": [i % 5 for i in range(12)]})
    state = pl.DataFrame({"season": ["2024"], "week": [20], "season_type": ["post"]})
    return {"users": users, "rosters": rosters, "state": state}


def identity_frame(ktc_players: pl.DataFrame) -> pl.DataFrame:
    """A player_identity table for the KTC players (the identity step's columns, resolved by name)."""
    return ktc_players.with_row_index("n").select(
        pl.lit("ktc").alias("source"), pl.lit("players").alias("dataset"),
        pl.col("player_name").alias("source_key"), pl.col("player_name").alias("source_name"),
        (pl.col("n") + 80000).cast(pl.Utf8).alias("player_id"), pl.lit("resolved").alias("status"),
        pl.lit("name_position_team").alias("method"), pl.lit(0.95).alias("confidence"))


def promote(store: SnapshotStore, source: str, dataset: str) -> None:
    store.registry.promote(source, dataset)


def build_tree(store: SnapshotStore | None = None, dates: dict[str, str] | None = None) -> SnapshotStore:
    """Every source with a current snapshot dated TODAY (or ``dates[source]``); nflverse weekly and the ktc
    datasets also have an older, historical one."""
    store = store or SnapshotStore()
    dates = dates or {}
    weekly = recording("nflverse", "weekly", "weekly.parquet")
    schedule = recording("nflverse", "schedule", "schedule.parquet")
    players = recording("nflverse", "players", "players.parquet")
    teams = recording("nflverse", "teams", "teams.parquet")
    proj = "projections/dt=2025-10-25"
    raw = recording("ffanalytics", *proj.split("/"), "projections_raw_2025-10-25.parquet")
    consensus = recording("ffanalytics", *proj.split("/"), "projections_consensus_2025-10-25.parquet")
    ktc_players = recording("ktc", "players", "players.parquet")
    ktc_picks = recording("ktc", "picks", "picks.parquet")
    transactions = recording("sheets", "TRANSACTIONS", "TRANSACTIONS.parquet")
    tabs = {name.lower(): recording("sheets", name, f"{name}.parquet") for name in ("Andy", "Chip", "Eric")}

    store.write("nflverse", "weekly", weekly.filter(pl.col("week") <= 17), dt=EARLIER)
    promote(store, "nflverse", "weekly")
    store.write("ktc", "players", ktc_players.head(46), dt=EARLIER)
    promote(store, "ktc", "players")
    store.write("ktc", "picks", ktc_picks.head(34), dt=EARLIER)
    promote(store, "ktc", "picks")
    writes = [
        ("nflverse", "weekly", weekly), ("nflverse", "schedule", schedule), ("nflverse", "players", players),
        ("nflverse", "teams", teams), ("nflverse", "ff_playerids", crosswalk(players, weekly, consensus)),
        ("ffanalytics", "projections_raw", raw), ("ffanalytics", "projections_consensus", consensus),
        ("ktc", "players", ktc_players), ("ktc", "picks", ktc_picks),
        ("sheets", "transactions", transactions), ("sheets", "raw_tabs", tabs),
        ("identity", "player_identity", identity_frame(ktc_players)),
    ] + [("sleeper", name, frame) for name, frame in sleeper_frames().items()]
    for source, dataset, data in writes:
        store.write(source, dataset, data, dt=dates.get(source, TODAY))
        promote(store, source, dataset)
    return store


def partition(root: Path, source: str, dataset: str, dt: str = TODAY) -> Path:
    return root / "raw" / source / dataset / f"dt={dt}"
