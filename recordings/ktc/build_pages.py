"""Build recorded keeptradecut.com/dynasty-rankings pages from the parsed KTC sample (players + picks).

Run from the repo root after ``recordings/nflverse/build_fixtures.py``:
``uv run python recordings/ktc/build_pages.py`` (deterministic).

The real page embeds every asset as a JS object in ``var playersArray = [...]`` (newer pages: a
``<script id="ktc-players" type="application/json">`` block) with ``oneQBValues`` / ``superflexValues``; picks
have position ``RDP``. The sample only holds 1QB name/position/team/rank/value/positional rank, so:
- 1QB value, rank, positional rank: real (from the sample);
- superflex values: derived (QBs x1.3 capped at 9999, others x0.93, picks x0.95), ranks recomputed;
- ``playerID``: the synthetic ``ktc_id`` of ``recordings/nflverse/ff_playerids`` for players, 5000+ for picks;
- ``age``: from the nflverse birth date in ff_playerids where known, else null;
- tiers, trends, kept/traded/cut: derived deterministically from rank and name.
Pages: page 0 uses the ``var playersArray`` form, page 1 the JSON script block, page 2 an empty array (the end).
"""

from __future__ import annotations

import json
import re
import zlib
from pathlib import Path

import polars as pl

HERE = Path(__file__).resolve().parent
PAGES = HERE / "pages"
TEAMS = {"ARI": "Arizona Cardinals", "ATL": "Atlanta Falcons", "BAL": "Baltimore Ravens", "BUF": "Buffalo Bills",
         "CAR": "Carolina Panthers", "CHI": "Chicago Bears", "CIN": "Cincinnati Bengals", "CLE": "Cleveland Browns",
         "DAL": "Dallas Cowboys", "DEN": "Denver Broncos", "DET": "Detroit Lions", "GB": "Green Bay Packers",
         "HOU": "Houston Texans", "IND": "Indianapolis Colts", "JAX": "Jacksonville Jaguars",
         "KC": "Kansas City Chiefs", "LV": "Las Vegas Raiders", "LAC": "Los Angeles Chargers",
         "LAR": "Los Angeles Rams", "MIA": "Miami Dolphins", "MIN": "Minnesota Vikings",
         "NE": "New England Patriots", "NO": "New Orleans Saints", "NYG": "New York Giants", "NYJ": "New York Jets",
         "PHI": "Philadelphia Eagles", "PIT": "Pittsburgh Steelers", "SF": "San Francisco 49ers",
         "SEA": "Seattle Seahawks", "TB": "Tampa Bay Buccaneers", "TEN": "Tennessee Titans",
         "WAS": "Washington Commanders"}
POSITION_IDS = {"QB": 1, "RB": 2, "WR": 3, "TE": 4, "RDP": 6}


def _seed(*parts: object) -> int:
    return zlib.crc32("|".join(map(str, parts)).encode())


def _values(value: int, rank: int, pos_rank: int, key: str) -> dict:
    s = _seed(key, value)
    tier = 1 + (rank - 1) // 12
    return {
        "value": value, "rank": rank, "positionalRank": pos_rank,
        "overallTrend": (s % 41) - 20, "positionalTrend": (s >> 6) % 5 - 2,
        "overallTier": tier, "positionalTier": 1 + (pos_rank - 1) // 6,
        "rookieRank": None, "rookiePositionalRank": None, "rookieTier": None,
        "kept": (s >> 3) % 400, "traded": (s >> 5) % 120, "cut": (s >> 7) % 300,
        "overall7DayTrend": (s >> 9) % 21 - 10, "positional7DayTrend": (s >> 11) % 3 - 1,
        "startSitValue": max(0, value // 3), "isOutThisWeek": False,
        "tep": {"value": value, "rank": rank, "positionalRank": pos_rank, "overallTier": tier},
        "tepp": {"value": value, "rank": rank, "positionalRank": pos_rank, "overallTier": tier},
        "teppp": {"value": value, "rank": rank, "positionalRank": pos_rank, "overallTier": tier},
    }


def assets() -> list[dict]:
    players = pl.read_parquet(HERE / "players" / "players.parquet")
    picks = pl.read_parquet(HERE / "picks" / "picks.parquet")
    ids = pl.read_csv(HERE.parent / "nflverse" / "ff_playerids" / "db_playerids.csv", null_values=["NA"],
                      infer_schema=False).filter(pl.col("ktc_id").is_not_null())
    ktc_id = {(r["name"], r["position"]): int(r["ktc_id"]) for r in ids.iter_rows(named=True)}
    age = {(r["name"], r["position"]): float(r["age"]) if r["age"] else None for r in ids.iter_rows(named=True)}
    rows = [{"name": r["player_name"], "position": r["position"], "team": r["team"], "value": r["value"],
             "rank": r["rank"], "pos_rank": r["positional_rank"], "id": ktc_id[(r["player_name"], r["position"])],
             "age": age[(r["player_name"], r["position"])]}
            for r in players.iter_rows(named=True)]
    for i, r in enumerate(picks.sort("rank").iter_rows(named=True)):
        rows.append({"name": r["pick_name"], "position": "RDP", "team": None, "value": r["value"], "rank": r["rank"],
                     "pos_rank": i + 1, "id": 5000 + i, "draft_year": r["draft_year"], "round": r["pick_round"]})
    factor = {"QB": 1.3, "RDP": 0.95}
    for r in rows:
        r["sf_value"] = min(9999, round(r["value"] * factor.get(r["position"], 0.93)))
    for rank, r in enumerate(sorted(rows, key=lambda r: (-r["sf_value"], r["rank"])), start=1):
        r["sf_rank"] = rank
    by_pos: dict[str, int] = {}
    for r in sorted(rows, key=lambda r: r["sf_rank"]):
        by_pos[r["position"]] = by_pos.get(r["position"], 0) + 1
        r["sf_pos_rank"] = by_pos[r["position"]]
    return [_ktc_object(r) for r in sorted(rows, key=lambda r: r["rank"])]


def _ktc_object(r: dict) -> dict:
    slug = re.sub(r"[^a-z0-9]+", "-", r["name"].lower()).strip("-") + f"-{r['id']}"
    is_pick = r["position"] == "RDP"
    s = _seed(r["name"])
    return {
        "playerName": r["name"], "playerID": r["id"], "slug": slug, "position": r["position"],
        "positionID": POSITION_IDS[r["position"]], "team": r["team"], "rookie": False if not is_pick else False,
        "college": None, "age": r.get("age"),
        "heightFeet": None if is_pick else 6, "heightInches": None if is_pick else s % 5, "weight": None,
        "seasonsExperience": None if is_pick else s % 9, "pickRound": r.get("round"), "pickNum": None,
        "isFeatured": False, "isStartSitFeatured": False, "isTrending": False, "isDevyReturningToSchool": False,
        "isDevyYearDecrement": False, "teamLongName": TEAMS.get(r["team"] or "", None),
        "birthday": None, "draftYear": r.get("draft_year"), "byeWeek": None, "injury": {"injuryCode": 1},
        "oneQBValues": _values(r["value"], r["rank"], r["pos_rank"], r["name"] + "1qb"),
        "superflexValues": _values(r["sf_value"], r["sf_rank"], r["sf_pos_rank"], r["name"] + "sf"),
    }


def page_with_var(objects: list[dict]) -> str:
    return ("<!DOCTYPE html><html><head><title>Dynasty Rankings | KeepTradeCut</title></head><body>\n"
            "<div id=\"rankings-page-rankings\"></div>\n<script type=\"text/javascript\">\n"
            "    var pageNumber = 0;\n"
            f"    var playersArray = {json.dumps(objects, ensure_ascii=False)};\n"
            "    var superflex = false;\n</script>\n</body></html>\n")


def page_with_json_block(objects: list[dict]) -> str:
    return ("<!DOCTYPE html><html><head><title>Dynasty Rankings | KeepTradeCut</title></head><body>\n"
            "<div id=\"rankings-page-rankings\"></div>\n"
            "<script id=\"ktc-players\" type=\"application/json\">"
            f"{json.dumps(objects, ensure_ascii=False)}</script>\n</body></html>\n")


if __name__ == "__main__":
    objects = assets()
    half = len(objects) // 2
    PAGES.mkdir(exist_ok=True)
    (PAGES / "dynasty-rankings-page0.html").write_text(page_with_var(objects[:half]), encoding="utf-8")
    (PAGES / "dynasty-rankings-page1.html").write_text(page_with_json_block(objects[half:]), encoding="utf-8")
    (PAGES / "dynasty-rankings-page2.html").write_text(page_with_var([]), encoding="utf-8")
    (PAGES / "_meta.json").write_text(json.dumps({
        "provider": "ktc", "upstream": "https://keeptradecut.com/dynasty-rankings?page=N&filters=QB|WR|RB|TE|RDP",
        "assets": len(objects), "players": sum(o["position"] != "RDP" for o in objects),
        "picks": sum(o["position"] == "RDP" for o in objects), "built_by": "recordings/ktc/build_pages.py",
        "note": "1QB values real (sample); superflex values, ids, tiers, trends derived"}, indent=1) + "\n",
        encoding="utf-8")
    print(f"{len(objects)} assets over 3 pages")
