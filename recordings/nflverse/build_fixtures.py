"""Build the small nflverse fixtures that have no real recording: ff_playerids, snap_counts, ff_opportunity.

Run from the repo root: ``uv run python recordings/nflverse/build_fixtures.py`` (deterministic; re-running
rewrites the same bytes). Column names follow the real upstream files:

- ``ff_playerids/db_playerids.csv``: dynastyprocess ``db_playerids.csv``. One row per person found in the
  recorded nflverse weekly/players samples, the KTC sample, the commissioner-sheet rosters (names without the
  sheet's " (RS)" marker; roster slots are not positions) and the ffanalytics projections. ``gsis_id``,
  ``espn_id``, ``pfr_id``, birth/draft data come from the real nflverse samples where the person is in them (else
  empty); ``mfl_id`` is the real MFL id for the projected players (the projections carry it) and SYNTHETIC (80000+)
  otherwise; ``sleeper_id`` and ``ktc_id`` are SYNTHETIC (stable, sequential: sleeper 90000+, ktc 1000+ in KTC 1QB
  rank order) so fixtures of different sources can be joined.
  Extended (``extend_playerids``) so every rostered player, KTC asset and projected player of the demo has the ids
  the real crosswalk would give, without changing an id the Sleeper and KTC recordings already use:
  sheet spellings the league's alias table (config/league/dim_name_alias.csv) names as typos become the person
  they mean (the typo row is dropped, or renamed when it is the only row); team defenses are not crosswalk rows;
  positions come from the nflverse sample, else the KTC page, else the Sleeper recording, else the sheet and
  its TRANSACTIONS log; every player of the
  TRANSACTIONS log, the Sleeper players recording and the recorded KTC dynasty-rankings page
  (``../shared/data/api-recordings/ktc``, copied facts only: name, position, team, MFL id) is a row. New rows
  take the real MFL id from that KTC page where it has one (existing synthetic MFL ids are replaced by it too),
  else SYNTHETIC 85000+; the Sleeper recording's id for that name, else SYNTHETIC 95000+; gsis/espn/pfr from the
  nflverse players sample where the name is there, else a SYNTHETIC GSIS id ``00-09NNNNN`` (outside the real
  ``00-00NNNNN`` range).
- ``snap_counts/snap_counts.parquet``: nflverse ``snap_counts_2024`` schema, one row per recorded weekly row whose
  game is in the recorded schedule; snap numbers derived deterministically from the weekly stats.
- ``ff_opportunity/ff_opportunity.parquet``: ffopportunity ``ep_weekly_2024`` schema (a subset of its columns),
  offensive players of the recorded weekly rows; actuals from the weekly stats, expectations derived from them.
"""

from __future__ import annotations

import re
import zlib
from datetime import date
from pathlib import Path

import polars as pl

HERE = Path(__file__).resolve().parent
AS_OF = date(2025, 10, 25)  # the samples' export date
RECORDINGS = HERE.parent

PLAYERIDS_COLUMNS = [
    "mfl_id", "sportradar_id", "fantasypros_id", "gsis_id", "pff_id", "sleeper_id", "nfl_id", "espn_id",
    "yahoo_id", "fleaflicker_id", "cbs_id", "pfr_id", "cfbref_id", "rotowire_id", "rotoworld_id", "ktc_id",
    "stats_id", "stats_global_id", "fantasy_data_id", "swish_id", "name", "merge_name", "position", "team",
    "birthdate", "age", "draft_year", "draft_round", "draft_pick", "draft_ovr", "twitter_username", "height",
    "weight", "college", "db_season",
]
GM_TABS = ["Andy", "Chip", "Eric", "Gordon", "JP", "James", "Jason", "Joe", "Kevin"]
SHEET_POSITIONS = {"QB", "RB", "WR", "TE", "K", "DL", "LB", "DB"}


def merge_name(name: str) -> str:
    """dynastyprocess-style join key: lower case, no punctuation, no generational suffix."""
    text = re.sub(r"[.'’\-]", "", name.lower())
    text = re.sub(r"\b(jr|sr|ii|iii|iv|v)\b", "", text)
    return re.sub(r"\s+", " ", text).strip()


def _seed(*parts: object) -> int:
    return zlib.crc32("|".join(map(str, parts)).encode())


def sheet_roster_people() -> list[tuple[str, str | None]]:
    """(name, position) from the active-roster and cut-contract blocks of the recorded GM tabs.

    Roster-slot labels (FLEX, BN, IR, TAXI …) are not positions, and the sheet's " (RS)" rookie-season marker is
    not part of a name: the crosswalk gets the person, not the slot.
    """
    people: list[tuple[str, str | None]] = []
    for tab in GM_TABS:
        grid = pl.read_csv(RECORDINGS / "sheets" / tab / f"{tab}.csv", has_header=False, infer_schema=False)
        for row in grid.iter_rows():
            for pos_col, name_col in ((0, 1), (13, 12)):
                pos, name = row[pos_col], row[name_col]
                if name and pos and pos.strip() in SHEET_POSITIONS | {"FLEX", "BN", "IDP BN", "IR", "TAXI"}:
                    clean = re.sub(r"\s*\(RS\)\s*$", "", name.strip())
                    people.append((clean, pos.strip() if pos.strip() in SHEET_POSITIONS else None))
    return people


def projection_people() -> list[tuple[str, str, str, str]]:
    """(name, position, team, MFL id) from the recorded ffanalytics projections: real MFL ids."""
    raw = pl.read_parquet(RECORDINGS / "ffanalytics" / "projections" / "dt=2025-10-25"
                          / "projections_raw_2025-10-25.parquet")
    return [(r["player"], r["pos"], r["team"], r["id"]) for r in
            raw.select("player", "pos", "team", "id").unique("id").sort("id").iter_rows(named=True)]


def build_playerids() -> pl.DataFrame:
    weekly = pl.read_parquet(RECORDINGS / "nflverse" / "weekly" / "weekly.parquet")
    players = pl.read_parquet(RECORDINGS / "nflverse" / "players" / "players.parquet")
    ktc = pl.read_parquet(RECORDINGS / "ktc" / "players" / "players.parquet").sort("rank")

    people: dict[str, dict] = {}  # keyed by gsis_id, or "name:<merge_name>" when no gsis id is known
    by_name: dict[str, str] = {}

    def add(key: str, record: dict) -> None:
        if key in people:
            people[key].update({k: v for k, v in record.items() if v is not None and people[key].get(k) is None})
        else:
            people[key] = record
        by_name.setdefault(merge_name(record["name"]), key)

    recent = players.filter(pl.col("last_season") >= 2020)
    known_gsis = set(weekly["player_id"]) | set(recent["gsis_id"])
    for p in players.filter(pl.col("gsis_id").is_in(list(known_gsis))).iter_rows(named=True):
        add(p["gsis_id"], {
            "gsis_id": p["gsis_id"], "name": p["display_name"], "position": p["position"], "team": p["latest_team"],
            "espn_id": p["espn_id"], "pfr_id": p["pfr_id"], "nfl_id": p["nfl_id"], "birthdate": p["birth_date"],
            "draft_year": p["draft_year"], "draft_round": p["draft_round"], "draft_pick": p["draft_pick"],
            "height": p["height"], "weight": p["weight"], "college": p["college_name"],
        })
    last_rows = weekly.filter(pl.col("player_id").is_not_null()).sort("week").unique("player_id", keep="last")
    for w in last_rows.iter_rows(named=True):
        add(w["player_id"], {"gsis_id": w["player_id"], "name": w["player_display_name"] or w["player_name"],
                             "position": w["position"], "team": w["team"]})
    ktc_ids: dict[str, int] = {}
    for i, k in enumerate(ktc.iter_rows(named=True)):
        key = by_name.get(merge_name(k["player_name"]), f"name:{merge_name(k['player_name'])}")
        add(key, {"name": k["player_name"], "position": k["position"], "team": k["team"]})
        ktc_ids[key] = 1000 + i
    for name, pos in sheet_roster_people():
        key = by_name.get(merge_name(name), f"name:{merge_name(name)}")
        add(key, {"name": name, "position": pos})
    real_mfl: dict[str, str] = {}
    for name, pos, team, mfl_id in projection_people():
        key = by_name.get(merge_name(name), f"name:{merge_name(name)}")
        add(key, {"name": name, "position": pos, "team": team})
        real_mfl[key] = mfl_id

    ordered = sorted(people.items(), key=lambda kv: (merge_name(kv[1]["name"]), kv[0]))
    rows = []
    for i, (key, rec) in enumerate(ordered):
        row = {c: None for c in PLAYERIDS_COLUMNS}
        row.update({k: v for k, v in rec.items() if k in row})
        row["mfl_id"] = real_mfl.get(key, str(80000 + i))
        row["sleeper_id"] = str(90000 + i)
        row["ktc_id"] = str(ktc_ids[key]) if key in ktc_ids else None
        row["merge_name"] = merge_name(rec["name"])
        row["db_season"] = 2025
        if row["birthdate"]:
            row["age"] = round((AS_OF - date.fromisoformat(row["birthdate"])).days / 365.25, 1)
        rows.append(row)
    frame = pl.DataFrame(rows, schema={c: (pl.Float64 if c in {"age", "height", "weight", "draft_year", "draft_round",
                                                                "draft_pick", "draft_ovr"} else
                                           pl.Int64 if c == "db_season" else pl.String)
                                       for c in PLAYERIDS_COLUMNS})
    return frame


def build_snap_counts() -> pl.DataFrame:
    weekly = pl.read_parquet(RECORDINGS / "nflverse" / "weekly" / "weekly.parquet")
    players = pl.read_parquet(RECORDINGS / "nflverse" / "players" / "players.parquet").select("gsis_id", "pfr_id")
    schedule = pl.read_parquet(RECORDINGS / "nflverse" / "schedule" / "schedule.parquet")
    games = pl.concat([
        schedule.select("game_id", "pfr", "season", "game_type", "week", team="home_team", opponent="away_team"),
        schedule.select("game_id", "pfr", "season", "game_type", "week", team="away_team", opponent="home_team"),
    ])
    joined = (weekly.filter(pl.col("player_id").is_not_null())
              .join(games, on=["season", "week", "team"], how="inner")
              .join(players, left_on="player_id", right_on="gsis_id", how="left"))
    rows = []
    offense = {"QB", "RB", "WR", "TE", "FB", "OT", "G", "C", "OL"}
    for r in joined.sort("game_id", "player_id").iter_rows(named=True):
        s = _seed(r["player_id"], r["week"])
        on_offense = r["position"] in offense
        team_off, team_def, team_st = 60 + s % 15, 58 + (s >> 4) % 14, 22 + (s >> 8) % 8
        off = (20 + s % (team_off - 19)) if on_offense else 0
        dfn = 0 if on_offense else (15 + (s >> 3) % (team_def - 14))
        st = (s >> 12) % team_st
        pfr_player_id = r["pfr_id"] or (re.sub(r"[^A-Za-z]", "", r["player_name"].split(".")[-1])[:4].title()
                                        + re.sub(r"[^A-Za-z]", "", r["player_name"])[:2].title() + "00")
        rows.append({
            "game_id": r["game_id"], "pfr_game_id": r["pfr"], "season": r["season"], "game_type": r["game_type"],
            "week": r["week"], "player": r["player_display_name"] or r["player_name"], "pfr_player_id": pfr_player_id,
            "position": r["position"], "team": r["team"], "opponent": r["opponent"],
            "offense_snaps": float(off), "offense_pct": round(off / team_off, 2),
            "defense_snaps": float(dfn), "defense_pct": round(dfn / team_def, 2),
            "st_snaps": float(st), "st_pct": round(st / team_st, 2),
        })
    frame = pl.DataFrame(rows).with_columns(pl.col("season", "week").cast(pl.Int32))
    return frame.unique(["game_id", "pfr_player_id"], keep="first", maintain_order=True)


def build_ff_opportunity() -> pl.DataFrame:
    weekly = pl.read_parquet(RECORDINGS / "nflverse" / "weekly" / "weekly.parquet")
    schedule = pl.read_parquet(RECORDINGS / "nflverse" / "schedule" / "schedule.parquet")
    games = pl.concat([schedule.select("game_id", "season", "week", team="home_team"),
                       schedule.select("game_id", "season", "week", team="away_team")])
    off = weekly.filter(pl.col("player_id").is_not_null() & pl.col("position").is_in(["QB", "RB", "WR", "TE"])).join(
        games, on=["season", "week", "team"], how="inner")
    f = pl.col
    exp = 0.9 + (f("player_id").hash(seed=7) % 20).cast(pl.Float64) / 100.0  # deterministic 0.90-1.09
    frame = off.select(
        f("season").cast(pl.String).alias("season"), f("team").alias("posteam"), f("week").cast(pl.Float64),
        "game_id", "player_id", f("player_display_name").alias("full_name"), "position",
        f("attempts").cast(pl.Float64).alias("pass_attempt"), f("targets").cast(pl.Float64).alias("rec_attempt"),
        f("carries").cast(pl.Float64).alias("rush_attempt"),
        f("passing_air_yards").cast(pl.Float64).alias("pass_air_yards"),
        f("receiving_air_yards").cast(pl.Float64).alias("rec_air_yards"),
        f("completions").cast(pl.Float64).alias("pass_completions"), f("receptions").cast(pl.Float64),
        (f("completions") * exp).alias("pass_completions_exp"), (f("receptions") * exp).alias("receptions_exp"),
        f("passing_yards").cast(pl.Float64).alias("pass_yards_gained"),
        f("receiving_yards").cast(pl.Float64).alias("rec_yards_gained"),
        f("rushing_yards").cast(pl.Float64).alias("rush_yards_gained"),
        (f("passing_yards") * exp).alias("pass_yards_gained_exp"),
        (f("receiving_yards") * exp).alias("rec_yards_gained_exp"),
        (f("rushing_yards") * exp).alias("rush_yards_gained_exp"),
        f("passing_tds").cast(pl.Float64).alias("pass_touchdown"),
        f("receiving_tds").cast(pl.Float64).alias("rec_touchdown"),
        f("rushing_tds").cast(pl.Float64).alias("rush_touchdown"),
        (f("passing_tds") * exp).alias("pass_touchdown_exp"), (f("receiving_tds") * exp).alias("rec_touchdown_exp"),
        (f("rushing_tds") * exp).alias("rush_touchdown_exp"),
        f("passing_interceptions").cast(pl.Float64).alias("pass_interception"),
        f("fantasy_points_ppr").alias("total_fantasy_points"),
        (f("fantasy_points_ppr") * exp).alias("total_fantasy_points_exp"),
    ).with_columns(
        (f("pass_yards_gained") + f("rec_yards_gained") + f("rush_yards_gained")).alias("total_yards_gained"),
        (f("pass_touchdown") + f("rec_touchdown") + f("rush_touchdown")).alias("total_touchdown"),
    ).with_columns((f("total_fantasy_points") - f("total_fantasy_points_exp")).alias("total_fantasy_points_diff"))
    return frame.sort("game_id", "player_id")


def _unscoped_aliases() -> dict[str, str]:
    """merge name of an alias -> canonical name, for the league's aliases with no position scope."""
    aliases = pl.read_csv(RECORDINGS.parent / "config" / "league" / "dim_name_alias.csv", infer_schema=False)
    return {merge_name(r["alias_name"]): r["canonical_name"] for r in aliases.iter_rows(named=True)
            if not r["position"] and merge_name(r["alias_name"]) != merge_name(r["canonical_name"])}


def _transaction_positions() -> dict[str, str]:
    """merge name -> the position the TRANSACTIONS log gives the player most often (real sheet data)."""
    tx = pl.read_csv(RECORDINGS / "sheets" / "TRANSACTIONS" / "TRANSACTIONS.csv", infer_schema=False)
    tx = tx.filter(pl.col("Player").is_not_null() & pl.col("Position").is_in(sorted(SHEET_POSITIONS)))
    counts = (tx.with_columns(pl.col("Player").map_elements(merge_name, return_dtype=pl.String).alias("key"))
              .group_by("key", "Position").len().sort("key", "len", "Position", descending=[False, True, False]))
    return dict(counts.unique("key", keep="first", maintain_order=True).select("key", "Position").iter_rows())


def _sleeper_players() -> dict[str, tuple[str, str | None, str | None]]:
    """merge name -> (Sleeper id, position, team) from the Sleeper players recording (team defenses left out)."""
    import json

    dump = json.loads((RECORDINGS / "sleeper" / "responses" / "players" / "nfl.json").read_text(encoding="utf-8"))
    out: dict[str, tuple[str, str | None, str | None]] = {}
    for pid in sorted(dump, key=lambda p: (len(p), p)):
        p = dump[pid]
        name = p.get("full_name") or " ".join(x for x in (p.get("first_name"), p.get("last_name")) if x)
        if p.get("position") in ("DEF", None) or not name:
            continue
        out.setdefault(merge_name(name), (pid, p.get("position"), p.get("team")))
    return out


def _ktc_page_assets() -> list[dict]:
    """Players of the recorded real KTC dynasty-rankings page: name, position, team and the real MFL id."""
    import json

    page = RECORDINGS.parent.parent / "shared" / "data" / "api-recordings" / "ktc" / "dynasty-rankings.html"
    if not page.exists():
        return []
    found = re.search(r"playersArray\s*=\s*(\[.*?\]);", page.read_text(encoding="utf-8"), re.S)
    assets = json.loads(found.group(1)) if found else []
    return [{"name": a["playerName"], "position": a["position"], "team": a.get("team"),
             "mfl_id": str(a["mflid"]) if a.get("mflid") else None}
            for a in assets if a.get("position") not in ("RDP", None)]


def extend_playerids(frame: pl.DataFrame) -> pl.DataFrame:
    """The crosswalk with the demo's missing people and real ids added; existing Sleeper/KTC ids are kept."""
    aliases = _unscoped_aliases()
    tx_pos = _transaction_positions()
    sleeper = _sleeper_players()
    teams = pl.read_parquet(RECORDINGS / "nflverse" / "teams" / "teams.parquet")
    team_names = {merge_name(n) for n in teams["full"].drop_nulls().to_list()}
    players = pl.read_parquet(RECORDINGS / "nflverse" / "players" / "players.parquet")
    nfl = {}
    for p in players.sort("gsis_id").iter_rows(named=True):
        nfl.setdefault(merge_name(p["display_name"]), p)
    rows = [r for r in frame.to_dicts() if r["merge_name"] not in team_names]  # team defenses are not people
    keys = {r["merge_name"] for r in rows}
    kept = []
    for r in rows:
        canonical = aliases.get(r["merge_name"])
        if canonical is None:
            kept.append(r)
        elif merge_name(canonical) in keys:  # the person is there under the right name: drop the typo row
            continue
        else:  # the typo is the only row: it is that person, under the right name
            r.update(name=canonical, merge_name=merge_name(canonical))
            keys.add(r["merge_name"])
            kept.append(r)
    rows = kept
    real_pos = {merge_name(a["name"]): a["position"] for a in _ktc_page_assets()}
    for r in rows:  # position: nflverse sample (real), KTC page (real), Sleeper recording, sheet, TRANSACTIONS log
        if r["merge_name"] in nfl and nfl[r["merge_name"]]["gsis_id"] == r["gsis_id"]:
            continue
        r["position"] = (real_pos.get(r["merge_name"]) or (sleeper.get(r["merge_name"]) or (None, None))[1]
                         or r["position"] or tx_pos.get(r["merge_name"]))
    by_key = {r["merge_name"]: r for r in rows}
    used_mfl = {r["mfl_id"] for r in rows}
    ktc = _ktc_page_assets()
    for a in ktc:  # real MFL ids from the KTC page replace synthetic ones
        r = by_key.get(merge_name(a["name"]))
        if r is not None and a["mfl_id"] and a["mfl_id"] not in used_mfl and int(r["mfl_id"]) >= 80000:
            used_mfl.discard(r["mfl_id"])
            r["mfl_id"] = a["mfl_id"]
            used_mfl.add(a["mfl_id"])
    new: dict[str, dict] = {}
    candidates = ([(a["name"], a["position"], a["team"], a["mfl_id"]) for a in ktc]
                  + [(n, tx_pos.get(merge_name(n), p), None, None) for n, p in _transaction_people()]
                  + [(k, pos, team, None) for k, (_, pos, team) in sleeper.items()])
    for name, pos, team, mfl in candidates:
        key = merge_name(aliases.get(merge_name(name), name))
        if key in by_key or key in new or key in team_names or not key:
            continue
        pos = real_pos.get(key) or (sleeper.get(key) or (None, None))[1] or pos
        new[key] = {"name": name if merge_name(name) == key else aliases[merge_name(name)], "position": pos,
                    "team": team, "mfl_id": mfl if mfl and mfl not in used_mfl else None}
        if new[key]["mfl_id"]:
            used_mfl.add(mfl)
    used_sleeper = {r["sleeper_id"] for r in rows}
    for i, key in enumerate(sorted(new)):
        rec = new[key]
        row = {c: None for c in PLAYERIDS_COLUMNS}
        p = nfl.get(key)
        if p is not None:
            row.update(gsis_id=p["gsis_id"], espn_id=p["espn_id"], pfr_id=p["pfr_id"], nfl_id=p["nfl_id"],
                       birthdate=p["birth_date"], college=p["college_name"])
        sid = (sleeper.get(key) or (None,))[0]
        row.update(name=rec["name"], merge_name=key, position=rec["position"] or tx_pos.get(key), team=rec["team"],
                   mfl_id=rec["mfl_id"] or str(85000 + i),
                   sleeper_id=sid if sid and sid not in used_sleeper else str(95000 + i), db_season=2025)
        used_sleeper.add(row["sleeper_id"])
        rows.append(row)
    for n, r in enumerate(sorted(rows, key=lambda r: (r["merge_name"], r["mfl_id"]))):
        if not r["gsis_id"]:
            r["gsis_id"] = f"00-09{n:05d}"  # SYNTHETIC: outside the real 00-00NNNNN range
        if r["birthdate"] and r.get("age") is None:
            r["age"] = round((AS_OF - date.fromisoformat(r["birthdate"])).days / 365.25, 1)
    rows.sort(key=lambda r: (r["merge_name"], r["mfl_id"]))
    return pl.DataFrame(rows, schema=frame.schema)


def _transaction_people() -> list[tuple[str, str | None]]:
    """(name, position) of every player in the recorded TRANSACTIONS log (the league's real history)."""
    tx = pl.read_csv(RECORDINGS / "sheets" / "TRANSACTIONS" / "TRANSACTIONS.csv", infer_schema=False)
    tx = tx.filter(pl.col("Player").is_not_null() & pl.col("Position").is_in(sorted(SHEET_POSITIONS)))
    return sorted({(re.sub(r"\s*\(RS\)\s*$", "", n.strip()), p) for n, p in tx.select("Player", "Position").iter_rows()})


def write(frame: pl.DataFrame, folder: str, name: str, meta: str) -> None:
    out = HERE / folder
    out.mkdir(exist_ok=True)
    if name.endswith(".csv"):
        frame.write_csv(out / name, null_value="NA")
    else:
        frame.write_parquet(out / name, statistics=False)
    (out / "_meta.json").write_text(meta.strip() + "\n", encoding="utf-8")


if __name__ == "__main__":
    ids = extend_playerids(build_playerids())
    write(ids, "ff_playerids", "db_playerids.csv", f"""
{{"provider": "dynastyprocess", "dataset": "ff_playerids", "upstream": "dynastyprocess/data files/db_playerids.csv",
 "rows": {ids.height}, "built_by": "recordings/nflverse/build_fixtures.py",
 "note": "real columns; gsis/espn/pfr ids from the recorded nflverse samples, MFL ids from the projections and the
 recorded KTC page where they have them; other ids synthetic (see build_fixtures.py)"}}
""")
    snaps = build_snap_counts()
    write(snaps, "snap_counts", "snap_counts.parquet", f"""
{{"provider": "nflverse", "dataset": "snap_counts", "upstream": "nflverse-data releases snap_counts/snap_counts_2024",
 "seasons": [2024], "rows": {snaps.height}, "built_by": "recordings/nflverse/build_fixtures.py",
 "note": "real columns; rows follow the recorded weekly sample, snap numbers derived"}}
""")
    opp = build_ff_opportunity()
    write(opp, "ff_opportunity", "ff_opportunity.parquet", f"""
{{"provider": "ffopportunity", "dataset": "ff_opportunity",
 "upstream": "ffopportunity releases latest-data/ep_weekly_2024",
 "seasons": [2024], "rows": {opp.height}, "built_by": "recordings/nflverse/build_fixtures.py",
 "note": "subset of the real columns; actuals from the recorded weekly sample, expectations derived"}}
""")
    print(f"ff_playerids {ids.height}, snap_counts {snaps.height}, ff_opportunity {opp.height}")
