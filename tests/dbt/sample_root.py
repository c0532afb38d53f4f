"""Build a data root holding a current snapshot of every dataset the dbt project reads, from the repo recordings.

nflverse, KTC and ffanalytics snapshots are the recordings as the connectors write them. The Sheets and Sleeper
frames are built here from the recorded commissioner-sheet grids in the column layout of the parsed tables
(stand-ins until the lead switches this helper to the connectors' own ingest functions). Everything is written
through SnapshotStore and promoted, exactly like a production load.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import polars as pl

from ff_analytics.settings import get_settings
from ff_analytics.snapshots.store import SnapshotStore
from ff_analytics.storage import DataRoot

SAMPLE_DT = date(2025, 10, 25)
SEASONS = [2025, 2026, 2027, 2028, 2029]
ROSTER_SLOTS = {"QB", "RB", "WR", "TE", "FLEX", "DL", "LB", "DB", "D/ST", "K", "BN", "IDP BN", "IR", "TAXI", "IDP TAXI"}


def _money(value: str | None) -> int | None:
    if value is None or not value.strip() or not value.strip().lstrip("$").replace(",", "").lstrip("-").isdigit():
        return None
    return int(value.strip().lstrip("$").replace(",", ""))


def _merge_name(name: str) -> str:
    text = re.sub(r"[.'’\-]", "", name.lower())
    text = re.sub(r"\s*\(rs\)", "", text)
    text = re.sub(r"\b(jr|sr|ii|iii|iv|v)\b", "", text)
    return re.sub(r"\s+", " ", text).strip()


def recordings_frames(recordings: Path) -> dict[tuple[str, str], pl.DataFrame | dict[str, pl.DataFrame]]:
    """The recorded nflverse / KTC / ffanalytics data, keyed by (source, dataset)."""
    nfl = recordings / "nflverse"
    frames: dict[tuple[str, str], pl.DataFrame | dict[str, pl.DataFrame]] = {
        ("nflverse", name): pl.read_parquet(nfl / name / f"{name}.parquet")
        for name in ("weekly", "snap_counts", "ff_opportunity", "schedule", "teams", "players")
    }
    frames[("nflverse", "ff_playerids")] = pl.read_csv(nfl / "ff_playerids" / "db_playerids.csv",
                                                       null_values=["NA"], infer_schema_length=None)
    frames[("ktc", "players")] = pl.read_parquet(recordings / "ktc" / "players" / "players.parquet")
    frames[("ktc", "picks")] = pl.read_parquet(recordings / "ktc" / "picks" / "picks.parquet")
    proj = recordings / "ffanalytics" / "projections" / "dt=2025-10-25"
    frames[("ffanalytics", "projections_raw")] = pl.read_parquet(proj / "projections_raw_2025-10-25.parquet")
    frames[("ffanalytics", "projections_consensus")] = pl.read_parquet(
        proj / "projections_consensus_2025-10-25.parquet")
    return frames


def sheets_frames(recordings: Path, gm_tabs: list[str]) -> dict[str, pl.DataFrame]:
    """contracts_active / contracts_cut / cap_space / draft_picks / transactions from the recorded grids."""
    active, cut, cap, picks = [], [], [], []
    for gm in gm_tabs:
        grid = pl.read_csv(recordings / "sheets" / gm / f"{gm}.csv", has_header=False, infer_schema=False)
        rows = [tuple(r) for r in grid.iter_rows()]
        for r in rows:
            if r[0] == "Available Cap Space":
                for i, season in enumerate(SEASONS):
                    cap.append({"gm": gm, "season": season, "available_cap_space": _money(r[2 + i]),
                                "dead_cap_space": _money(r[14 + i]), "traded_cap_space": _money(r[21 + i])})
            elif r[0] in ROSTER_SLOTS and r[1]:
                for i, season in enumerate(SEASONS):
                    amount = _money(r[2 + i])
                    if amount:
                        active.append({"gm": gm, "player": r[1].strip(), "position": r[0], "roster_slot": r[0],
                                       "year": season, "amount": amount, "rfa": r[8] == "x",
                                       "franchise_tag": r[10] == "x"})
            if r[12] and r[13] and r[12] not in ("Player", "Cut Contracts"):
                for i, season in enumerate(SEASONS):
                    amount = _money(r[14 + i])
                    if amount:
                        cut.append({"gm": gm, "player": r[12].strip(), "position": r[13], "year": season,
                                    "dead_cap_amount": amount})
            if r[20] == gm:
                for i, season in enumerate([2026, 2027, 2028, 2029, 2030]):
                    if r[21 + i] and r[21 + i].strip().isdigit():
                        picks.append({"gm": gm, "season": season, "round": int(r[21 + i]),
                                      "original_owner": gm, "pick_status": "owned"})
    tx = pl.read_parquet(recordings / "sheets" / "TRANSACTIONS" / "TRANSACTIONS.parquet")
    tx = tx.rename({c: re.sub(r"[^a-z0-9]+", "_", c.lower()).strip("_") for c in tx.columns})
    tx = tx.rename({"from": "from_franchise", "to": "to_franchise"}).with_columns(
        pl.col("sort").cast(pl.Utf8).str.replace_all(",", "").cast(pl.Int64).alias("transaction_id"))
    return {"contracts_active": pl.DataFrame(active), "contracts_cut": pl.DataFrame(cut),
            "cap_space": pl.DataFrame(cap), "draft_picks": pl.DataFrame(picks), "transactions": tx}


def sleeper_frames(active: pl.DataFrame, playerids: pl.DataFrame, franchises: pl.DataFrame,
                   season: int) -> dict[str, pl.DataFrame]:
    """A 12-team Sleeper league whose rosters hold the sheet's active players (docs.sleeper.com shapes, flat)."""
    owners = franchises.filter(pl.col("is_current_owner")).sort("franchise_id")
    users = pl.DataFrame({
        "user_id": [f"{7000 + i}" for i in range(owners.height)],
        "display_name": owners["owner_name"].to_list(),
        "team_name": owners["franchise_name"].to_list(),
        "is_owner": [i == 0 for i in range(owners.height)],
    })
    ids = (playerids.filter(pl.col("sleeper_id").is_not_null())
           .select(pl.col("name").map_elements(_merge_name, return_dtype=pl.Utf8).alias("merge_name"),
                   pl.col("sleeper_id").cast(pl.Utf8).alias("player_id"), pl.col("gsis_id"))
           .sort("gsis_id", nulls_last=True).unique("merge_name", keep="first", maintain_order=True)
           .drop("gsis_id"))
    gm_to_roster = {gm: i + 1 for i, gm in enumerate(owners["gm_tab"].to_list())}
    current = active.filter(pl.col("year") == season).with_columns(
        pl.col("player").map_elements(_merge_name, return_dtype=pl.Utf8).alias("merge_name"))
    matched = current.join(ids, on="merge_name", how="inner").unique(["gm", "player_id"])
    roster_players = matched.select(
        pl.col("gm").replace_strict(gm_to_roster, return_dtype=pl.Int64).alias("roster_id"),
        pl.col("player_id"),
        pl.when(pl.col("roster_slot") == "IR").then(pl.lit("reserve"))
        .when(pl.col("roster_slot").str.contains("TAXI")).then(pl.lit("taxi"))
        .when(pl.col("roster_slot").str.contains("BN")).then(pl.lit("bench"))
        .otherwise(pl.lit("starter")).alias("slot"),
    )
    rosters = roster_players.join(pl.DataFrame({"roster_id": list(range(1, owners.height + 1)),
                                                "owner_id": users["user_id"].to_list()}), on="roster_id")
    league = pl.DataFrame({"league_id": [get_settings().sleeper_league_id], "name": ["Sample Dynasty League"],
                           "season": [str(season)], "status": ["in_season"], "total_rosters": [owners.height]})
    players = playerids.filter(pl.col("sleeper_id").is_not_null()).select(
        pl.col("sleeper_id").cast(pl.Utf8).alias("player_id"), pl.col("name").alias("full_name"),
        pl.col("position"), pl.col("team"), pl.col("gsis_id"))
    traded = pl.DataFrame({"season": ["2026"], "round": [1], "roster_id": [1], "previous_owner_id": [2],
                           "owner_id": [2]})
    transactions = pl.DataFrame({"transaction_id": ["t1"], "type": ["free_agent"], "status": ["complete"],
                                 "week": [4], "created": [1727740800000], "roster_id": [1],
                                 "player_id": [roster_players.filter(pl.col("roster_id") == 1)["player_id"][0]],
                                 "action": ["add"]})
    return {"league": league, "users": users, "rosters": rosters.sort("roster_id", "player_id"),
            "transactions": transactions, "traded_picks": traded, "players": players}


def build_sample_root(store: SnapshotStore | None = None, dt: date = SAMPLE_DT) -> SnapshotStore:
    """Write and promote one snapshot of every dataset the dbt models read; returns the store."""
    settings = get_settings()
    store = store or SnapshotStore(DataRoot.from_settings(settings))
    recordings = settings.recordings_dir
    frames = recordings_frames(recordings)
    franchises = pl.read_csv(settings.config_dir / "league" / "dim_franchise.csv")
    tabs = [gm for gm in franchises.filter(pl.col("is_current_owner"))["gm_tab"].to_list()
            if (recordings / "sheets" / gm).exists()]
    sheets = sheets_frames(recordings, tabs)
    frames.update({("sheets", k): v for k, v in sheets.items()})
    sleeper = sleeper_frames(sheets["contracts_active"], frames[("nflverse", "ff_playerids")], franchises, 2025)
    frames.update({("sleeper", k): v for k, v in sleeper.items()})
    for (source, dataset), data in frames.items():
        store.write(source, dataset, data, dt=dt, loader="tests.dbt.sample_root")
        store.registry.promote(source, dataset)
    return store
