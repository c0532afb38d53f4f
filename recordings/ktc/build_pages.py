"""Build the demo's keeptradecut.com dynasty-rankings pages on the real page's structure.

Run from the repo root after ``recordings/nflverse/build_fixtures.py``:
``uv run python recordings/ktc/build_pages.py`` (deterministic; re-running rewrites the same bytes).

Structure (real): the page is ``real/dynasty-rankings.html`` (a real capture, kept unchanged) with its two
embedded arrays replaced: ``var playersArray`` (the superflex market, ordered by superflex rank) and ``var
oneQBPlayers`` (the 1QB market, ordered by 1QB rank), records of the real shape (field names, order, types, KTC
team codes, picks with ``team`` ``FA`` and 0 placeholders, ``birthday`` as Unix seconds in a string). Unlike the
live page (top 500 by superflex value in ``playersArray``), both arrays here hold the whole demo universe, so both
markets are COMPLETE: overall ranks 1..N with no gap.

Universe: the 50 players and 36 picks of the KTC sample (``players/``, ``picks/``: real 1QB values, a 2025-10-25
export) plus every QB/RB/WR/TE on the league's rosters (the commissioner-sheet GM tabs, ``recordings/sheets``)
that the sample lacks. Real vs SYNTHETIC, field by field:
- 1QB ``value`` of sample assets: real; of the added rostered players: SYNTHETIC (deterministic, below the
  sample's lowest player value, so the sample's top ranks stay as recorded);
- superflex values: SYNTHETIC (1QB value x1.3 for QBs capped at 9999, x0.93 others, x0.95 picks);
- ``rank``, ``positionalRank``, tiers: recomputed from the values over the universe (SYNTHETIC beyond the sample);
- TE-premium blocks ``tep``/``tepp``/``teppp``: SYNTHETIC (TE values x1.08/1.16/1.24, ranks recomputed);
- trends, ``kept``/``traded``/``cut``, ``tradeCount``, ``adp``, ``startupAdp``, ``stdLiquidity``: SYNTHETIC
  (derived from rank and name); ``history`` [], ``diff`` 0, ``rawLiquidity`` 0.0 as on the real page;
- ``playerID``: the crosswalk's ``ktc_id`` (``recordings/nflverse/ff_playerids``, itself synthetic 1000+) for the
  sample players, SYNTHETIC 2000+ for added players, 5000+ for picks;
- ``mflid``, ``birthday``, ``age``, ``college``, ``draftYear``, ``pickRound``, height, weight: from the crosswalk
  (real nflverse data where the person is in the samples); where the crosswalk has none, birth date, draft year
  and round, height and weight are SYNTHETIC (``_fill_person``) and ``college`` is left out (as on the real page
  for some players); ``pickNum``: SYNTHETIC (the overall pick made into a pick within the round, 32 a round);
- ``team``: the crosswalk's or sample's team as a KTC code (``config/league/ktc_team_codes.csv``); SYNTHETIC
  for added players the crosswalk has no team for (one in ten ``FA``, a free agent);
- ``byeWeek``, ``number``, ``injury`` (a few Questionable): SYNTHETIC; ``seasonsExperience``: draft year based;
- picks: real shape (``FA``, ``age``/``pickRound``/``pickNum``/``draftYear``/``mflid`` 0, ``seasonsExperience``
  2025 = the season of the list, no ``positionalRank``), names and 1QB values real.

Older page (``pages/2025-10-04/``, three weeks earlier): the same universe with every value moved by a
deterministic -6%..+6% (SYNTHETIC), ranks recomputed; served at ``/asof/2025-10-04/dynasty-rankings``.
"""

from __future__ import annotations

import importlib.util
import json
import re
import zlib
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import polars as pl

HERE = Path(__file__).resolve().parent
RECORDINGS = HERE.parent
PAGES = HERE / "pages"
REAL_PAGE = HERE / "real" / "dynasty-rankings.html"
TEAM_CODES = RECORDINGS.parent / "config" / "league" / "ktc_team_codes.csv"
CURRENT_DAY, OLDER_DAY = date(2025, 10, 25), date(2025, 10, 4)
LISTED_SEASON = 2025
POSITION_IDS = {"QB": 1, "RB": 2, "WR": 3, "TE": 4, "RDP": 5}
OFFENSE = ("QB", "RB", "WR", "TE")
SF_FACTOR = {"QB": 1.3, "RDP": 0.95}
TE_PREMIUM = {"tep": 1.08, "tepp": 1.16, "teppp": 1.24}
ADDED_ID, PICK_ID = 2000, 5000
EASTERN = timedelta(hours=5)  # KTC birthdays are midnight US Eastern as Unix seconds


def _seed(*parts: object) -> int:
    return zlib.crc32("|".join(map(str, parts)).encode())


def _nflverse_builder():
    spec = importlib.util.spec_from_file_location("nflverse_fixtures", RECORDINGS / "nflverse" / "build_fixtures.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _team_codes() -> tuple[dict[str, str], dict[str, str]]:
    """(nflverse code → KTC code, KTC code → team name)."""
    table = pl.read_csv(TEAM_CODES, infer_schema=False)
    to_ktc = {r["nfl_team"]: r["ktc_team"] for r in table.iter_rows(named=True) if r["nfl_team"]}
    return to_ktc, {r["ktc_team"]: r["team_name"] for r in table.iter_rows(named=True)}


def _team(nfl_team: str | None, key: str, to_ktc: dict[str, str]) -> str:
    """The crosswalk's team as a KTC code; SYNTHETIC for the players it has none for (one in ten left FA)."""
    if nfl_team:
        return to_ktc.get(nfl_team, nfl_team)
    seed = _seed(key, "team")
    return "FA" if seed % 10 == 0 else sorted(to_ktc.values())[seed % len(to_ktc)]


def universe() -> list[dict]:
    """Every asset with its person data and its 1QB value (before ranks)."""
    nb = _nflverse_builder()
    ids = pl.read_csv(RECORDINGS / "nflverse" / "ff_playerids" / "db_playerids.csv", null_values=["NA"],
                      infer_schema=False)
    person = {}
    for r in ids.iter_rows(named=True):
        person.setdefault(r["merge_name"], r)
    to_ktc, _names = _team_codes()
    sample = pl.read_parquet(HERE / "players" / "players.parquet").sort("rank")
    assets: list[dict] = []
    for r in sample.iter_rows(named=True):
        p = person[nb.merge_name(r["player_name"])]
        assets.append({"name": r["player_name"], "position": r["position"], "team": to_ktc.get(r["team"], r["team"]),
                       "id": int(p["ktc_id"]), "value": r["value"], "person": p})
    taken = {nb.merge_name(a["name"]) for a in assets}
    floor = min(a["value"] for a in assets) - 100
    added: dict[str, dict] = {}
    for name, pos in nb.sheet_roster_people():
        key = nb.merge_name(name)
        p = person.get(key)
        position = pos or (p["position"] if p else None)
        if key in taken or key in added or position not in OFFENSE or p is None:
            continue
        added[key] = {"name": p["name"], "position": position, "team": _team(p["team"], key, to_ktc),
                      "person": p}
    for i, key in enumerate(sorted(added)):
        a = added[key]
        a["id"] = ADDED_ID + i
        a["value"] = 300 + _seed(key, "1qb") % (floor - 300)
        assets.append(a)
    picks = pl.read_parquet(HERE / "picks" / "picks.parquet").sort("rank")
    for i, r in enumerate(picks.iter_rows(named=True)):
        assets.append({"name": r["pick_name"], "position": "RDP", "team": "FA", "id": PICK_ID + i,
                       "value": r["value"], "person": None})
    return assets


def _rank(assets: list[dict], key: str, out: str) -> None:
    """Overall rank ``out`` by value ``key`` (ties: name), and positional rank ``out + '_pos'``."""
    by_pos: dict[str, int] = {}
    for rank, a in enumerate(sorted(assets, key=lambda a: (-a[key], a["name"])), start=1):
        a[out] = rank
        by_pos[a["position"]] = by_pos.get(a["position"], 0) + 1
        a[out + "_pos"] = by_pos[a["position"]]


def priced(assets: list[dict], day: date) -> list[dict]:
    """Copies of ``assets`` with both markets' values and ranks as of ``day`` (the older day moves values)."""
    out = []
    for a in assets:
        b = dict(a)
        if day != CURRENT_DAY:
            b["value"] = max(100, min(9999, round(a["value"] * (1 + (_seed(a["name"], day) % 13 - 6) / 100))))
        b["sf_value"] = min(9999, round(b["value"] * SF_FACTOR.get(a["position"], 0.93)))
        for market in ("value", "sf_value"):
            for premium, factor in TE_PREMIUM.items():
                b[f"{market}_{premium}"] = min(9999, round(b[market] * factor)) if a["position"] == "TE" else b[market]
        out.append(b)
    for market in ("value", "sf_value"):
        _rank(out, market, f"{market}_rank")
        for premium in TE_PREMIUM:
            _rank(out, f"{market}_{premium}", f"{market}_{premium}_rank")
    return out


def _market(a: dict, market: str, day: date) -> dict:
    """One ``oneQBValues`` / ``superflexValues`` block in the real key order."""
    value, rank, pos_rank = a[market], a[f"{market}_rank"], a[f"{market}_rank_pos"]
    is_pick = a["position"] == "RDP"
    s = _seed(a["name"], market, day)
    tier = 1 + (rank - 1) // 12

    def premium(name: str) -> dict:
        block = {"value": a[f"{market}_{name}"], "rank": a[f"{market}_{name}_rank"]}
        if not is_pick:
            block["positionalRank"] = a[f"{market}_{name}_rank_pos"]
        block["history"] = []
        block["overallTier"] = 1 + (block["rank"] - 1) // 12
        if not is_pick:
            block["positionalTier"] = 1 + (block["positionalRank"] - 1) // 6
        return block

    values: dict = {"startSitValue": 0, "overallTrend": (s % 61) - 30}
    if not is_pick:
        values["positionalTrend"] = (s >> 6) % 5 - 2
    values["overall7DayTrend"] = (s >> 9) % 21 - 10
    if not is_pick:
        values["positional7DayTrend"] = (s >> 11) % 3 - 1
    values |= {"kept": 500 + (s >> 3) % 40000, "traded": 300 + (s >> 5) % 25000, "cut": 200 + (s >> 7) % 30000,
               "diff": 0, "isOutThisWeek": False, **{p: premium(p) for p in TE_PREMIUM},
               "adp": 0.0 if is_pick else float(rank + (s >> 13) % 40),
               "avgAuctionPercentage": 0.0 if is_pick else float((s >> 4) % 12),
               "startupAdp": 0.0 if is_pick else float(max(1, rank + (s >> 15) % 21 - 10)),
               "startupAvgAuctionPercentage": 0.0 if is_pick else float((s >> 8) % 12),
               "rawLiquidity": 0.0, "stdLiquidity": 0.0 if is_pick else float((s >> 10) % 100),
               "tradeCount": 0 if is_pick else (s >> 12) % 200, "value": value, "rank": rank}
    if not is_pick:
        values["positionalRank"] = pos_rank
    values["history"] = []
    values["overallTier"] = tier
    if not is_pick:
        values["positionalTier"] = 1 + (pos_rank - 1) // 6
    return values


def _birthday(text: str | None) -> str | None:
    if not text:
        return None
    born = datetime.fromisoformat(text).replace(tzinfo=UTC) + EASTERN
    return str(int(born.timestamp()))


def _number(value: object) -> int:
    return int(float(value)) if value not in (None, "") else 0


def _fill_person(p: dict, s: int) -> dict:
    """SYNTHETIC birth date, draft capital, height and weight where the crosswalk has none (most added players:
    the nflverse players sample holds few of them); about one in eight is left undrafted (KTC's 0, 0)."""
    if not p.get("birthdate"):
        born = date(CURRENT_DAY.year - 22 - s % 12, 1 + (s >> 4) % 12, 1 + (s >> 8) % 28)
        p["birthdate"] = born.isoformat()
        p["age"] = round((CURRENT_DAY - born).days / 365.25, 1)
    if not p.get("draft_year"):
        p["draft_year"] = min(LISTED_SEASON, int(p["birthdate"][:4]) + 22)
        drafted = (s >> 12) % 8 != 0
        p["draft_round"] = 1 + (s >> 14) % 7 if drafted else None
        p["draft_pick"] = 32 * (p["draft_round"] - 1) + 1 + (s >> 17) % 32 if drafted else None
    p.setdefault("height", None)
    p["height"] = p["height"] or 69 + (s >> 20) % 9
    p["weight"] = p.get("weight") or 185 + (s >> 22) % 70
    return p


def ktc_object(a: dict, day: date, team_names: dict[str, str]) -> dict:
    """One asset record with the real page's keys, order and placeholders."""
    slug = re.sub(r"[^a-z0-9]+", "-", a["name"].lower()).strip("-") + f"-{a['id']}"
    is_pick = a["position"] == "RDP"
    p = dict(a["person"] or {})
    s = _seed(a["name"])
    if not is_pick:
        p = _fill_person(p, s)
    height = _number(p.get("height"))
    draft_year, draft_round, overall = _number(p.get("draft_year")), _number(p.get("draft_round")), \
        _number(p.get("draft_pick"))
    obj: dict = {
        "playerName": a["name"], "playerID": a["id"], "slug": slug, "position": a["position"],
        "positionID": POSITION_IDS[a["position"]], "team": a["team"],
        "rookie": bool(draft_year == LISTED_SEASON), "age": float(p["age"]) if p.get("age") else 0.0,
        "heightFeet": height // 12, "heightInches": height % 12, "weight": _number(p.get("weight")),
        "seasonsExperience": LISTED_SEASON if is_pick else max(0, LISTED_SEASON - draft_year) if draft_year else 0,
        "pickRound": draft_round, "pickNum": max(1, overall - 32 * (draft_round - 1)) if overall else 0,
        "isFeatured": False, "isStartSitFeatured": False, "isTrending": False, "isDevyReturningToSchool": False,
        "isDevyYearDecrement": False,
        "oneQBValues": _market(a, "value", day), "superflexValues": _market(a, "sf_value", day),
        "number": 0 if is_pick else 1 + s % 89, "teamLongName": team_names.get(a["team"], "Free Agent"),
    }
    if birthday := _birthday(p.get("birthdate")):
        obj["birthday"] = birthday
    obj["draftYear"] = draft_year
    if p.get("college"):
        obj["college"] = p["college"]
    if not is_pick and a["team"] != "FA":
        obj["byeWeek"] = 5 + _seed(a["team"]) % 10
    obj["injury"] = ({"injuryName": "Questionable", "injuryCode": 2, "injuryArea": "Hamstring",
                      "injuryReturn": (day + timedelta(days=7)).strftime("%b %-d, %Y")}
                     if not is_pick and s % 29 == 0 else {"injuryCode": 1})
    obj["mflid"] = int(p["mfl_id"]) if p.get("mfl_id") else 0
    return obj


def page(objects_sf: list[dict], objects_1qb: list[dict]) -> str:
    """The real page with its two arrays replaced (the real one writes playersArray spaced, oneQBPlayers compact)."""
    text = REAL_PAGE.read_text(encoding="utf-8")
    decoder = json.JSONDecoder()
    replacements = []
    for var, objects, separators in (("playersArray", objects_sf, (", ", ": ")),
                                     ("oneQBPlayers", objects_1qb, (",", ":"))):
        start = re.search(rf"\bvar\s+{var}\s*=\s*", text).end()
        _value, end = decoder.raw_decode(text, start)
        replacements.append((start, end, json.dumps(objects, ensure_ascii=False, separators=separators)))
    for start, end, body in sorted(replacements, reverse=True):
        text = text[:start] + body + text[end:]
    return text


def build(day: date, assets: list[dict]) -> tuple[str, int]:
    _to_ktc, team_names = _team_codes()
    rows = priced(assets, day)
    sf = [ktc_object(a, day, team_names) for a in sorted(rows, key=lambda a: a["sf_value_rank"])]
    one_qb = [ktc_object(a, day, team_names) for a in sorted(rows, key=lambda a: a["value_rank"])]
    return page(sf, one_qb), len(rows)


if __name__ == "__main__":
    everything = universe()
    PAGES.mkdir(exist_ok=True)
    for old in PAGES.glob("dynasty-rankings-page*.html"):
        old.unlink()
    current, n = build(CURRENT_DAY, everything)
    (PAGES / "dynasty-rankings.html").write_text(current, encoding="utf-8")
    (PAGES / OLDER_DAY.isoformat()).mkdir(exist_ok=True)
    older, _n = build(OLDER_DAY, everything)
    (PAGES / OLDER_DAY.isoformat() / "dynasty-rankings.html").write_text(older, encoding="utf-8")
    picks = sum(a["position"] == "RDP" for a in everything)
    (PAGES / "_meta.json").write_text(json.dumps({
        "provider": "ktc", "upstream": "https://keeptradecut.com/dynasty-rankings?page=N&filters=QB|WR|RB|TE|RDP",
        "structure": "real/dynasty-rankings.html with playersArray and oneQBPlayers replaced",
        "days": {CURRENT_DAY.isoformat(): "dynasty-rankings.html",
                 OLDER_DAY.isoformat(): f"{OLDER_DAY.isoformat()}/dynasty-rankings.html"},
        "assets": n, "players": n - picks, "picks": picks, "complete_markets": ["dynasty_1qb", "dynasty_superflex"],
        "built_by": "recordings/ktc/build_pages.py",
        "note": "sample 1QB values and pick names real; added rostered players, superflex and TE-premium values, "
                "ranks past the sample, trends, ids past the crosswalk synthetic (see the builder)"}, indent=1) + "\n",
        encoding="utf-8")
    print(f"{n} assets ({picks} picks) in both markets, pages for {CURRENT_DAY} and {OLDER_DAY}")
