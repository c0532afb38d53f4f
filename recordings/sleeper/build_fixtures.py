"""Build the Sleeper API fixtures (recorded-response JSON) from the league's own data in this repo.

There is no real Sleeper recording, so the responses are generated in the shapes documented at docs.sleeper.com
for a 12-team league whose rosters are the commissioner sheet's rosters:

- current (2025) rosters: the "Active Roster" block of the 9 GM tabs in ``recordings/sheets/<GM>/<GM>.parquet``;
  the 3 franchises without a tab get the players whose latest 2023+ move in the sheet's TRANSACTIONS tab went to
  that GM; 2024 and 2023 rosters come from undoing that season's TRANSACTIONS rows in reverse order.
- transactions (weeks 1-18), rookie drafts and traded picks come from the TRANSACTIONS tab and the pick blocks.
- users get invented handles (no names, no e-mails); roster_id N is franchise F00N of config/league/dim_franchise.csv.
- player ids: the nflverse crosswalk's ``sleeper_id`` when ``recordings/nflverse/ff_playerids`` exists, otherwise a
  stable id derived from the name. gsis/espn ids come from the crosswalk or ``recordings/nflverse/players``.

Run from the repo root: ``uv run python recordings/sleeper/build_fixtures.py`` (deterministic output).
"""

from __future__ import annotations

import csv
import hashlib
import json
import random
import re
import shutil
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path

import polars as pl

REPO = Path(__file__).resolve().parents[2]
OUT = Path(__file__).resolve().parent / "responses"
SHEETS = REPO / "recordings" / "sheets"
LEAGUE_CFG = REPO / "config" / "league"

SEASONS = [2023, 2024, 2025]
LEAGUE_IDS = {2025: "1230330435511275520", 2024: "1048313545995296768", 2023: "916445283406712832"}
DRAFT_IDS = {2025: "1230330435519664128", 2024: "1048313546003685376", 2023: "916445283410907136"}
SEASON_START = {2023: datetime(2023, 9, 7, 17, tzinfo=UTC), 2024: datetime(2024, 9, 5, 17, tzinfo=UTC),
                2025: datetime(2025, 9, 4, 17, tzinfo=UTC)}
CURRENT_WEEK = 5  # the 2025 league is in season, week 5 (the sheet's last moves are week 4)

ROSTER_POSITIONS = ["QB", "RB", "RB", "WR", "WR", "TE", "FLEX", "DL", "DL", "LB", "LB", "DB", "DB", "IDP_FLEX",
                    "DEF", "K"] + ["BN"] * 9
STARTER_SLOT_ROWS = ["QB", "RB", "RB", "WR", "WR", "TE", "FLEX", "DL", "DL", "LB", "LB", "DB", "DB", "FLEX",
                     "D/ST", "K"]
SLOT_ELIGIBLE = {"QB": {"QB"}, "RB": {"RB"}, "WR": {"WR"}, "TE": {"TE"}, "FLEX": {"RB", "WR", "TE"},
                 "DL": {"DL"}, "LB": {"LB"}, "DB": {"DB"}, "IDP_FLEX": {"DL", "LB", "DB"}, "DEF": {"DEF"},
                 "K": {"K"}}
HANDLES = ["TacoTuesdayFF", "KegStandKing", "SkylineDynasty", "RedZoneRoller", "WaiverWizard", "TaxiSquadTycoon",
           "FourthAndLong", "PuntGodFF", "BlitzBrigade", "CapSpaceCadet", "HailMaryHeroes", "NeutralZoneNinja",
           "TwoPointTry", "GoalLineGhost"]
EXTRA_FIXES = {"Jameson WIlliams": "Jameson Williams", "NIck Emmanwori": "Nick Emmanwori",
               "RIcky Pearsall": "Ricky Pearsall", "Luther Burden III": "Luther Burden"}

# NFL team of the players the league rosters (2025); anyone not listed is a free agent (team null) in the dump.
TEAMS = {
    "ARI": "Kyler Murray|James Conner|Trey McBride|Marvin Harrison Jr.|Trey Benson|Budda Baker|Emari Demercado|"
           "Will Johnson",
    "ATL": "Bijan Robinson|Drake London|Kyle Pitts|Tyler Allgeier|Michael Penix|Kaden Elliss|Jalon Walker|"
           "James Pearce|Jessie Bates|Xavier Watts|Darnell Mooney",
    "BAL": "Lamar Jackson|Derrick Henry|Zay Flowers|Isaiah Likely|Kyle Hamilton|Roquan Smith|Justice Hill|"
           "DeAndre Hopkins|Malaki Starks|Tyler Loop|Devontez Walker|Mike Green",
    "BUF": "Josh Allen|James Cook|Khalil Shakir|Keon Coleman|Dalton Kincaid|Ray Davis|Terrel Bernard|"
           "Gregory Rousseau|Joshua Palmer",
    "CAR": "Chuba Hubbard|Tetairoa McMillan|Xavier Legette|Jonathon Brooks|Trevor Etienne|Rico Dowdle|Jalen Coker|"
           "Ja'Tavion Sanders",
    "CHI": "Caleb Williams|D'Andre Swift|Rome Odunze|Colston Loveland|Cole Kmet|Montez Sweat|Jaquan Brisker|"
           "TJ Edwards|Kevin Byard|Luther Burden|D.J. Moore",
    "CIN": "Joe Burrow|Ja'Marr Chase|Tee Higgins|Chase Brown|Trey Hendrickson|Andrei Iosivas|Demetrius Knight|"
           "Jordan Battle|Tahj Brooks",
    "CLE": "Quinshon Judkins|Dylan Sampson|Jerome Ford|Cedric Tillman|David Njoku|Harold Fannin|Myles Garrett|"
           "Jeremiah Owusu-Koramoah|Carson Schwesinger|Shedeur Sanders|Devin Bush|Isaiah Bond",
    "DAL": "Dak Prescott|CeeDee Lamb|George Pickens|Javonte Williams|Jake Ferguson|Jaydon Blue|Donovan Wilson|"
           "Donovan Ezeiruaku|Brandon Aubrey",
    "DEN": "Bo Nix|Courtland Sutton|R.J. Harvey|J.K. Dobbins|Troy Franklin|Marvin Mims|Nik Bonitto|Zach Allen|"
           "Talanoa Hufanga|Jonathon Cooper|Brandon Jones|Alex Singleton|Jahdae Barron|Audric Estime",
    "DET": "Jared Goff|Jahmyr Gibbs|David Montgomery|Amon-Ra St. Brown|Jameson Williams|Sam LaPorta|"
           "Aidan Hutchinson|Jack Campbell|Brian Branch|Kerby Joseph|Isaac TeSlaa",
    "GB": "Jordan Love|Josh Jacobs|Tucker Kraft|Romeo Doubs|Jayden Reed|Matthew Golden|Micah Parsons|Rashan Gary|"
          "Quay Walker|Edgerrin Cooper|Xavier McKinney|Zaire Franklin|Marshawn Lloyd",
    "HOU": "C.J. Stroud|Nico Collins|Joe Mixon|Tank Dell|Jayden Higgins|Woody Marks|Jaylin Noel|Will Anderson|"
           "Danielle Hunter|Azeez Al-Shaair|Derek Stingley|Ka'imi Fairbairn|Nick Chubb",
    "IND": "Jonathan Taylor|Michael Pittman Jr.|Josh Downs|Tyler Warren|DeForest Buckner|Laiatu Latu|Kenny Moore|"
           "Camryn Bynum|Germaine Pratt|Jaylon Jones|Spencer Shrader",
    "JAX": "Trevor Lawrence|Travis Etienne|Bhayshul Tuten|Brian Thomas Jr.|Travis Hunter|Josh Hines-Allen|"
           "Travon Walker|Foyesade Oluokun|Tyson Campbell|Jourdan Lewis",
    "KC": "Patrick Mahomes|Rashee Rice|Xavier Worthy|Travis Kelce|Isiah Pacheco|Kareem Hunt|Marquise Brown|"
          "George Karlaftis|Harrison Butker",
    "LAC": "Justin Herbert|Omarion Hampton|Ladd McConkey|Quentin Johnston|Tre Harris|Keenan Allen|"
           "Oronde Gadsden Jr.|Kimani Vidal|Tuli Tuipulotu|Derwin James|Daiyan Henley|Cameron Dicker",
    "LAR": "Kyren Williams|Puka Nacua|Davante Adams|Jared Verse|Byron Young|Blake Corum|Jarquez Hunter|"
           "Terrance Ferguson|Nate Landman",
    "LV": "Geno Smith|Ashton Jeanty|Jakobi Meyers|Brock Bowers|Maxx Crosby|Dont'e Thornton|Tre Tucker|Jack Bech|"
          "Michael Mayer",
    "MIA": "Tua Tagovailoa|De'Von Achane|Jaylen Waddle|Jaylen Wright|Ollie Gordon|Jordyn Brooks|Chop Robinson|"
           "Minkah Fitzpatrick|Bradley Chubb",
    "MIN": "J.J. McCarthy|Justin Jefferson|Jordan Addison|T.J. Hockenson|Aaron Jones|Jordan Mason|"
           "Jonathan Greenard|Andrew Van Ginkel|Blake Cashman|Ivan Pace|Byron Murphy|Josh Metellus|Dallas Turner",
    "NE": "Drake Maye|Rhamondre Stevenson|TreVeyon Henderson|Stefon Diggs|Kayshon Boutte|Demario Douglas|"
          "Harold Landry|Robert Spillane|Kyle Williams",
    "NO": "Alvin Kamara|Chris Olave|Rashid Shaheed|Kendre Miller|Taysom Hill|Carl Granderson|Devin Neal",
    "NYG": "Jaxson Dart|Malik Nabers|Wan'Dale Robinson|Tyrone Tracy|Cam Skattebo|Brian Burns|Abdul Carter|"
           "Bobby Okereke|Paulson Adebo|Andru Phillips",
    "NYJ": "Justin Fields|Garrett Wilson|Braelon Allen|Mason Taylor|Quincy Williams|Mazi Smith",
    "PHI": "Jalen Hurts|Saquon Barkley|A.J. Brown|Devonta Smith|Dallas Goedert|Jalen Carter|Zack Baun|Nakobe Dean|"
           "Reed Blankenship|Jihaad Campbell|Jake Elliott|Jordan Davis|Will Shipley",
    "PIT": "Jaylen Warren|Kaleb Johnson|DK Metcalf|Jonnu Smith|T.J. Watt|Alex Highsmith|Patrick Queen|"
           "DeShon Elliott|Chris Boswell|Roman Wilson",
    "SF": "Brock Purdy|Christian McCaffrey|George Kittle|Brandon Aiyuk|Ricky Pearsall|Jauan Jennings|"
          "Isaac Guerendo|Nick Bosa|Fred Warner|Mykel Williams|Kendrick Bourne|Brian Robinson",
    "SEA": "Sam Darnold|Zach Charbonnet|Jaxon Smith-Njigba|Cooper Kupp|Tory Horton|Elijah Arroyo|Ernest Jones|"
           "Nick Emmanwori|Julian Love|Jalen Milroe",
    "TB": "Bucky Irving|Rachaad White|Mike Evans|Chris Godwin|Emeka Egbuka|Sean Tucker|Lavonte David|"
          "Antoine Winfield Jr.|SirVocea Dennis|Jalen McMillan|Tykee Smith",
    "TEN": "Cam Ward|Tyjae Spears|Calvin Ridley|Elic Ayomanor|Tyler Lockett",
    "WAS": "Jayden Daniels|Deebo Samuel|Jacory Croskey-Merritt|Austin Ekeler|Chris Rodriguez|Frankie Luvu|"
           "Nick Cross",
}
TEAM_OF = {name: team for team, names in TEAMS.items() for name in names.split("|")}
# Positions of rostered players the TRANSACTIONS tab never lists (they sit in BN/IR/TAXI slots on the tabs).
EXTRA_POSITIONS = {"D.J. Moore": "WR", "David Montgomery": "RB", "Kendrick Bourne": "WR", "Marquise Brown": "WR",
                   "Oronde Gadsden Jr.": "TE", "Tua Tagovailoa": "QB", "Tyson Campbell": "DB"}
PICK_RE = re.compile(r"^(\d{4}) (\d)(?:st|nd|rd|th) Round")


def main() -> None:
    rng = random.Random(20251025)
    franchises = _franchises()
    canon = _canonicalizer()
    nfl_teams = _nfl_teams()
    tx = _transactions_tab(canon)
    positions = _positions(tx)

    rosters = {2025: _current_rosters(franchises, canon, tx, positions, nfl_teams)}
    for season in (2024, 2023):
        rosters[season] = _undo_season(rosters[season + 1], tx, season + 1, franchises, positions)

    current = sorted({n for r in rosters[2025].values() for n in r["players"]})
    others = {n for season in rosters.values() for r in season.values() for n in r["players"]}
    others |= {n for n in tx["Player"].to_list() if n and not _is_asset(n)}
    # current rosters first: when two spellings are one person, the sheet tab's spelling names them
    players, pid = _players_dump(current + sorted(others - set(current)), positions, nfl_teams, rng)

    if OUT.exists():
        shutil.rmtree(OUT)
    users_by_season = {}
    for season in SEASONS:
        users = _users(franchises, season)
        users_by_season[season] = users
        league_id = LEAGUE_IDS[season]
        base = f"league/{league_id}"
        _write(f"league/{league_id}", _league(season))
        _write(f"{base}/users", [u for u in users.values()])
        _write(f"{base}/rosters", _rosters(season, rosters[season], users, pid, rng))
        weekly = _season_transactions(season, tx, franchises, users, pid)
        for week in range(1, 19):
            _write(f"{base}/transactions/{week}", weekly.get(week, []))
        _write(f"{base}/traded_picks", _traded_picks(season, tx, franchises))
        _write(f"{base}/drafts", [_draft(season, users)])
        _write(f"draft/{DRAFT_IDS[season]}/picks", _draft_picks(season, tx, franchises, users, pid, players))
    _write("players/nfl", {k: {f: v for f, v in p.items() if not f.startswith("_")} for k, p in players.items()},
           compact=True)
    _write("state/nfl", {"week": CURRENT_WEEK, "leg": CURRENT_WEEK, "season": "2025", "season_type": "regular",
                         "league_season": "2025", "previous_season": "2024", "season_start_date": "2025-09-04",
                         "display_week": CURRENT_WEEK, "league_create_season": "2025", "season_has_scores": True})
    total = sum(len(r["players"]) for r in rosters[2025].values())
    print(f"wrote {OUT}: {len(players)} players, {total} rostered in 2025")


# -- league reference -------------------------------------------------------------------------------------------
def _franchises() -> dict[str, dict]:
    """Franchise rows keyed by owner (GM) name; roster_id N is franchise F00N."""
    out = {}
    with open(LEAGUE_CFG / "dim_franchise.csv", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            out[row["owner_name"]] = {**row, "roster_id": int(row["franchise_id"][1:]),
                                      "start": int(row["season_start"]), "end": int(row["season_end"])}
    return out


def _owner_of(franchises: dict[str, dict], roster_id: int, season: int) -> str:
    return next(name for name, f in franchises.items()
                if f["roster_id"] == roster_id and f["start"] <= season <= f["end"])


def _canonicalizer():
    """Sheet spelling -> canonical name (dim_name_alias.csv; position-scoped aliases only apply to that group)."""
    with open(LEAGUE_CFG / "dim_name_alias.csv", encoding="utf-8") as fh:
        alias = {r["alias_name"]: (r["canonical_name"], r["position"]) for r in csv.DictReader(fh)}
    idp = {"DL", "DE", "DT", "LB", "OLB", "ILB"}

    def canon(name: str, position: str | None = None) -> str:
        name = EXTRA_FIXES.get(name.replace(" (RS)", "").strip(), name.replace(" (RS)", "").strip())
        target, scope = alias.get(name, (name, ""))
        if scope and not (position in idp if scope in idp else position == scope):
            target = name
        return EXTRA_FIXES.get(target, target)

    return canon


def _nfl_teams() -> dict[str, dict]:
    teams = pl.read_parquet(REPO / "recordings" / "nflverse" / "teams" / "teams.parquet")
    latest = teams.filter(pl.col("season") == teams["season"].max())
    return {r["full"]: r for r in latest.select("team", "full", "location", "nickname").to_dicts()}


def _is_asset(name: str) -> bool:
    return bool(PICK_RE.match(name)) or "Cap Space" in name or name == "no selection"


def _transactions_tab(canon) -> pl.DataFrame:
    tx = pl.read_parquet(SHEETS / "TRANSACTIONS" / "TRANSACTIONS.parquet") if \
        (SHEETS / "TRANSACTIONS" / "TRANSACTIONS.parquet").exists() else \
        pl.read_csv(SHEETS / "TRANSACTIONS" / "TRANSACTIONS.csv", infer_schema_length=0)
    tx = tx.select(pl.all().cast(pl.Utf8))
    tx = tx.with_columns(pl.col("Sort").str.replace_all(",", "").cast(pl.Int64),
                         pl.col("Time Frame").str.slice(0, 4).cast(pl.Int64, strict=False).alias("year"))
    tx = tx.filter(pl.col("year") >= 2023, pl.col("Player").is_not_null(), pl.col("Player") != "-")
    return tx.with_columns(pl.struct("Player", "Position").map_elements(
        lambda r: r["Player"] if _is_asset(r["Player"]) else canon(r["Player"], r["Position"]),
        return_dtype=pl.Utf8).alias("Player")).sort("Sort")


def _positions(tx: pl.DataFrame) -> dict[str, str]:
    pos = dict(EXTRA_POSITIONS)
    for name, p in tx.select("Player", "Position").iter_rows():
        if p and p != "-":
            pos[name] = {"D/ST": "DEF", "WR/DB": "WR", "Wr": "WR"}.get(p, p)
    return pos


# -- rosters ----------------------------------------------------------------------------------------------------
def _current_rosters(franchises, canon, tx, positions, nfl_teams) -> dict[int, dict]:
    """2025 rosters: the GM tabs' Active Roster block; the 3 tab-less franchises from the TRANSACTIONS tab."""
    rosters: dict[int, dict] = {}
    for gm, f in franchises.items():
        if f["is_current_owner"] != "true":
            continue
        path = SHEETS / gm / f"{gm}.csv"
        roster = {"players": [], "starters": [None] * len(STARTER_SLOT_ROWS), "reserve": [], "taxi": []}
        if path.exists():
            with open(path, encoding="utf-8") as fh:
                rows = list(csv.reader(fh))
            header = next(i for i, r in enumerate(rows) if r[:2] == ["Pos.", "Player"])
            slot = 0
            for r in rows[header + 1:]:
                kind, raw = r[0].strip(), r[1].strip()
                if not kind:
                    continue
                name = canon(raw, kind if kind in SLOT_ELIGIBLE else None) if raw else None
                if kind in ("QB", "RB", "WR", "TE", "FLEX", "DL", "LB", "DB", "D/ST", "K"):
                    if name:
                        roster["starters"][slot] = name
                    slot += 1
                if not name:
                    continue
                if name in nfl_teams:
                    positions[name] = "DEF"
                elif kind in ("QB", "RB", "WR", "TE", "K", "DL", "LB", "DB"):
                    positions.setdefault(name, kind)
                roster["players"].append(name)
                if kind == "IR":
                    roster["reserve"].append(name)
                elif kind in ("TAXI", "IDP TAXI"):
                    roster["taxi"].append(name)
        rosters[f["roster_id"]] = roster
    on_tabs = {n for r in rosters.values() for n in r["players"]}
    last = tx.group_by("Player").agg(pl.all().sort_by("Sort").last())
    for gm in ("McCreary", "Piper", "TJ"):
        picked = last.filter(pl.col("To") == gm, pl.col("Position") != "-").sort("Sort", descending=True)
        names = [n for n in picked["Player"].to_list() if n not in on_tabs and not _is_asset(n)][:30]
        rookies = set(tx.filter(pl.col("Time Frame") == "2025 Rookie Draft", pl.col("To") == gm)["Player"])
        roster = {"players": names, "starters": _pick_starters(names, positions), "reserve": [],
                  "taxi": [n for n in names if n in rookies][:4]}
        roster["starters"] = [None if s in roster["taxi"] else s for s in roster["starters"]]
        rosters[franchises[gm]["roster_id"]] = roster
    return rosters


def _pick_starters(names: list[str], positions: dict[str, str]) -> list[str | None]:
    used: set[str] = set()
    starters = []
    for slot in ROSTER_POSITIONS[:len(STARTER_SLOT_ROWS)]:
        choice = next((n for n in names if n not in used and positions.get(n) in SLOT_ELIGIBLE[slot]), None)
        if choice:
            used.add(choice)
        starters.append(choice)
    return starters


def _undo_season(after: dict[int, dict], tx, season: int, franchises, positions) -> dict[int, dict]:
    """Rosters at the end of the season before ``season``: undo that season's moves, newest first."""
    held = {rid: list(r["players"]) for rid, r in after.items()}
    moves = tx.filter(pl.col("year") == season).sort("Sort", descending=True)
    for name, src, dst in moves.select("Player", "From", "To").iter_rows():
        if _is_asset(name):
            continue
        if dst in franchises and name in held[franchises[dst]["roster_id"]]:
            held[franchises[dst]["roster_id"]].remove(name)
        if src in franchises and name not in held[franchises[src]["roster_id"]]:
            held[franchises[src]["roster_id"]].append(name)
    seen: set[str] = set()
    for rid in sorted(held):  # undoing an incomplete history can leave a player on two rosters: keep the first
        held[rid] = [n for n in held[rid] if n not in seen]
        seen.update(held[rid])
    return {rid: {"players": names, "starters": _pick_starters(names, positions), "reserve": [], "taxi": []}
            for rid, names in held.items()}


# -- players ----------------------------------------------------------------------------------------------------
def _merge_key(name: str) -> str:
    """dynastyprocess-style join key (as the crosswalk's merge_name): lower case, no punctuation or suffix."""
    text = re.sub(r"[.'’\-]", "", name.lower())
    text = re.sub(r"\b(jr|sr|ii|iii|iv|v)\b", "", text)
    return re.sub(r"\s+", " ", text).strip()


def _crosswalk() -> dict[str, dict]:
    """merge key -> ids: the nflverse ff_playerids recording (sleeper/gsis/espn...) over the nflverse players sample."""
    out: dict[str, dict] = {}
    players = REPO / "recordings" / "nflverse" / "players" / "players.parquet"
    if players.exists():
        for r in pl.read_parquet(players).select("display_name", "gsis_id", "espn_id", "birth_date").to_dicts():
            out.setdefault(_merge_key(r["display_name"]), {}).update(
                {k: r[k] for k in ("gsis_id", "espn_id", "birth_date")})
    xwalk = REPO / "recordings" / "nflverse" / "ff_playerids" / "db_playerids.csv"
    if xwalk.exists():
        df = pl.read_csv(xwalk, infer_schema_length=0, null_values=["NA", ""])
        for r in df.to_dicts():
            ids = {k: r.get(k) for k in ("sleeper_id", "gsis_id", "espn_id", "yahoo_id", "sportradar_id",
                                          "rotowire_id", "fantasy_data_id", "stats_id")}
            ids["birth_date"] = r.get("birthdate")
            out.setdefault(r["merge_name"] or _merge_key(r["name"]), {}).update(
                {k: v for k, v in ids.items() if v})
    return out


def _players_dump(names: list[str], positions, nfl_teams,
                  rng: random.Random) -> tuple[dict[str, dict], dict[str, str]]:
    """The /players/nfl dump keyed by player id, and every spelling's player id (two spellings, one person)."""
    xwalk = _crosswalk()
    taken: set[str] = {x["sleeper_id"] for x in xwalk.values() if x.get("sleeper_id")}
    dump: dict[str, dict] = {}
    pid_of: dict[str, str] = {}
    for name in names:
        pos = positions.get(name)
        if pos is None:
            print(f"no position for {name!r}")
        if pos == "DEF" or name in nfl_teams:
            team = nfl_teams.get(name) or next((t for t in nfl_teams.values() if name.endswith(t["nickname"])), None)
            if team is None:
                print(f"skipped team defense {name!r}: no such NFL team")
                continue
            pid_of[name] = team["team"]
            dump[team["team"]] = {"_name": name, "player_id": team["team"], "first_name": team["location"],
                                  "last_name": team["nickname"], "position": "DEF", "fantasy_positions": ["DEF"],
                                  "team": team["team"], "team_abbr": team["team"], "active": True,
                                  "status": None, "sport": "nfl"}
            continue
        ids = xwalk.get(_merge_key(name), {})
        pid = ids.get("sleeper_id") or _stable_id(name, taken)
        pid_of[name] = pid
        if pid in dump:
            continue
        taken.add(pid)
        first, _, last = name.partition(" ")
        team = TEAM_OF.get(name)
        age = rng.randint(21, 33)
        dump[pid] = {
            "_name": name, "player_id": pid, "first_name": first, "last_name": last, "full_name": name,
            "search_full_name": re.sub(r"[^a-z]", "", name.lower()),
            "search_first_name": re.sub(r"[^a-z]", "", first.lower()),
            "search_last_name": re.sub(r"[^a-z]", "", last.lower()),
            "position": pos or "WR", "fantasy_positions": ["WR", "DB"] if name == "Travis Hunter" else [pos or "WR"],
            "team": team, "team_abbr": team, "active": team is not None,
            "status": "Active" if team else "Inactive", "sport": "nfl",
            "age": age, "years_exp": max(0, age - 22), "number": rng.randint(1, 99) if team else None,
            "depth_chart_order": rng.randint(1, 3) if team else None, "injury_status": None,
            "search_rank": rng.randint(1, 9999999) if not team else rng.randint(1, 900),
            "hashtag": f"#{re.sub(r'[^A-Za-z]', '', name)}-NFL-{team or 'FA'}-{rng.randint(1, 99)}",
            "birth_date": ids.get("birth_date"), "gsis_id": ids.get("gsis_id"), "espn_id": ids.get("espn_id"),
            "yahoo_id": ids.get("yahoo_id"), "sportradar_id": ids.get("sportradar_id"),
            "rotowire_id": ids.get("rotowire_id"), "fantasy_data_id": ids.get("fantasy_data_id"),
            "stats_id": ids.get("stats_id"),
        }
    return dict(sorted(dump.items())), pid_of


def _stable_id(name: str, taken: set[str]) -> str:
    n = 2000 + int(hashlib.sha256(name.encode()).hexdigest(), 16) % 10000
    while str(n) in taken:
        n += 1
    return str(n)


# -- league, users, rosters -------------------------------------------------------------------------------------
def _league(season: int) -> dict:
    with open(LEAGUE_CFG / "sleeper_scoring_rules.yaml", encoding="utf-8") as fh:
        import yaml

        scoring = yaml.safe_load(fh)["scoring"]
    return {
        "total_rosters": 12, "status": "in_season" if season == 2025 else "complete", "sport": "nfl",
        "settings": {"type": 2, "num_teams": 12, "playoff_teams": 6, "playoff_week_start": 15, "leg": 5 if
                     season == 2025 else 17, "max_keepers": 1, "draft_rounds": 5, "trade_deadline": 11,
                     "waiver_type": 2, "waiver_budget": 1000, "waiver_clear_days": 1, "taxi_slots": 5,
                     "taxi_years": 1, "reserve_slots": 3, "reserve_allow_out": 1, "bench_lock": 0,
                     "pick_trading": 1, "disable_trades": 0, "best_ball": 0, "last_scored_leg": 4 if
                     season == 2025 else 17, "start_week": 1},
        "season_type": "regular", "season": str(season), "scoring_settings": scoring,
        "roster_positions": ROSTER_POSITIONS,
        "previous_league_id": LEAGUE_IDS.get(season - 1), "name": "Bell Keg Dynasty League",
        "league_id": LEAGUE_IDS[season], "draft_id": DRAFT_IDS[season], "avatar": "5f1c6b3b1c0e6d7a8b9c0d1e2f3a4b5c",
        "metadata": {"auto_continue": "on", "keeper_deadline": "0"}, "bracket_id": None, "loser_bracket_id": None,
    }


def _users(franchises, season: int) -> dict[int, dict]:
    out = {}
    active = [n for n, f in franchises.items() if f["start"] <= max(SEASONS) and f["end"] >= min(SEASONS)]
    for name, f in sorted(franchises.items(), key=lambda kv: kv[1]["roster_id"]):
        if not f["start"] <= season <= f["end"]:
            continue
        idx = active.index(name)
        handle = HANDLES[idx]
        out[f["roster_id"]] = {"user_id": str(470000000000000000 + 1000003 * (idx + 1)), "username": handle.lower(),
                               "display_name": handle, "avatar": hashlib.md5(handle.encode()).hexdigest(),
                               "metadata": {"team_name": f["franchise_name"]}, "is_owner": f["roster_id"] == 3,
                               "is_bot": False}
    return out


def _rosters(season, rosters, users, pid, rng) -> list[dict]:
    wins = [4, 3, 3, 3, 2, 2, 2, 2, 1, 1, 1, 0] if season == 2025 else [11, 10, 9, 8, 8, 7, 6, 5, 5, 4, 3, 2]
    games = 4 if season == 2025 else 13
    rng.shuffle(wins)
    out = []
    for rid in sorted(rosters):
        r = rosters[rid]
        fpts = rng.randint(300, 520) if season == 2025 else rng.randint(1350, 1900)
        against = rng.randint(300, 520) if season == 2025 else rng.randint(1350, 1900)
        out.append({
            "roster_id": rid, "owner_id": users[rid]["user_id"], "league_id": LEAGUE_IDS[season], "co_owners": None,
            "players": [pid[n] for n in r["players"]],
            "starters": [pid[s] if s else "0" for s in r["starters"]],
            "reserve": [pid[n] for n in r["reserve"]] or None, "taxi": [pid[n] for n in r["taxi"]] or None,
            "keepers": None, "player_map": None, "metadata": {"streak": f"{rng.randint(1, 3)}W", "record": ""},
            "settings": {"wins": wins[rid - 1], "losses": games - wins[rid - 1], "ties": 0, "fpts": fpts,
                         "fpts_decimal": rng.randint(0, 99), "fpts_against": against,
                         "fpts_against_decimal": rng.randint(0, 99), "waiver_position": rid,
                         "waiver_budget_used": rng.randint(0, 400), "total_moves": rng.randint(0, 40),
                         "division": 1 + (rid % 3)},
        })
    return out


# -- transactions, picks, drafts --------------------------------------------------------------------------------
def _season_transactions(season, tx, franchises, users, pid) -> dict[int, list[dict]]:
    rows = tx.filter(pl.col("year") == season, pl.col("Time Frame").str.contains("Week")).to_dicts()
    groups: list[list[dict]] = []
    for row in rows:
        if row["From"] not in franchises and row["To"] not in franchises:
            continue
        prev = groups[-1] if groups else None
        if row["Type"] == "Trade" and prev and prev[0]["Type"] == "Trade" and \
                prev[0]["Time Frame"] == row["Time Frame"] and {prev[0]["From"], prev[0]["To"]} == \
                {row["From"], row["To"]}:
            prev.append(row)
        else:
            groups.append([row])
    weekly: dict[int, list[dict]] = defaultdict(list)
    for n, group in enumerate(groups):
        week = int(re.search(r"Week (\d+)", group[0]["Time Frame"]).group(1))
        created = SEASON_START[season] + timedelta(days=7 * (week - 1) - 2, minutes=17 * n)
        weekly[week].append(_transaction(season, week, n, group, created, franchises, users, pid))
    return weekly


def _transaction(season, week, n, group, created, franchises, users, pid) -> dict:
    rid = {gm: f["roster_id"] for gm, f in franchises.items()}
    first = group[0]
    adds, drops, picks = {}, {}, []
    for row in group:
        name = row["Player"]
        m = PICK_RE.match(name)
        if m:
            original = rid.get(row["Original Order"], rid.get(row["From"]))
            picks.append({"season": m.group(1), "round": int(m.group(2)), "roster_id": original,
                          "previous_owner_id": rid[row["From"]], "owner_id": rid[row["To"]]})
            continue
        if _is_asset(name) or name not in pid:
            continue
        if row["To"] in rid:
            adds[pid[name]] = rid[row["To"]]
        if row["From"] in rid:
            drops[pid[name]] = rid[row["From"]]
    kind = "trade" if first["Type"] == "Trade" else ("waiver" if first["Type"] == "Waivers" else "free_agent")
    roster_ids = sorted({rid[g] for r in group for g in (r["From"], r["To"]) if g in rid})
    bid = int(str(first["Contract"]).split("/")[0]) if kind == "waiver" and "/" in str(first["Contract"]) else None
    creator_rid = rid.get(first["To"], rid.get(first["From"]))
    ts = int(created.timestamp() * 1000)
    return {
        "type": kind, "transaction_id": str(int(LEAGUE_IDS[season]) + 7919 * (n + 1)), "status": "complete",
        "status_updated": ts + 60_000, "created": ts, "leg": week, "roster_ids": roster_ids,
        "adds": adds or None, "drops": drops or None, "draft_picks": picks, "waiver_budget": [],
        "settings": {"waiver_bid": bid} if bid is not None else None, "metadata": None,
        "creator": users[creator_rid]["user_id"] if creator_rid in users else None,
        "consenter_ids": roster_ids,
    }


def _traded_picks(season, tx, franchises) -> list[dict]:
    """Future picks that changed hands: the next rookie draft's traded slots (+ the sheet's pick blocks in 2025)."""
    rid = {gm: f["roster_id"] for gm, f in franchises.items()}
    out = {}
    draft = tx.filter(pl.col("Time Frame") == f"{season + 1} Rookie Draft").to_dicts() if season < 2025 else []
    for row in draft:
        orig, to = rid.get(row["Original Order"]), rid.get(row["To"])
        if orig and to and orig != to:
            out[(str(season + 1), int(row["Round"]), orig)] = to
    if season == 2025:
        for gm, f in franchises.items():
            path = SHEETS / gm / f"{gm}.csv"
            if not path.exists() or f["is_current_owner"] != "true":
                continue
            with open(path, encoding="utf-8") as fh:
                rows = list(csv.reader(fh))
            header = next(i for i, r in enumerate(rows) if r[20] == "Draft Pick Owner")
            years = rows[header][21:26]
            acquired = False
            for r in rows[header + 1:]:
                if r[20] == "Draft Pick Acquried":
                    acquired = True
                    continue
                other = r[20].removeprefix("Traded to ").strip()
                if other == gm or other not in rid:
                    continue
                for year, rnd in zip(years, r[21:26], strict=True):
                    if not rnd.strip().isdigit() or int(year) > season + 3:
                        continue
                    if acquired:  # a pick this GM got from another franchise
                        out.setdefault((year, int(rnd), rid[other]), f["roster_id"])
                    else:  # this GM's own pick, now owned by another franchise
                        out[(year, int(rnd), f["roster_id"])] = rid[other]
    return [{"season": s, "round": rnd, "roster_id": orig, "previous_owner_id": orig, "owner_id": owner}
            for (s, rnd, orig), owner in sorted(out.items())]


def _draft(season, users) -> dict:
    start = int((SEASON_START[season] - timedelta(days=60)).timestamp() * 1000)
    order = {u["user_id"]: rid for rid, u in users.items()}
    return {
        "type": "linear", "status": "complete", "start_time": start, "sport": "nfl",
        "settings": {"teams": 12, "rounds": 5, "pick_timer": 28800, "slots_qb": 1, "slots_rb": 2, "slots_wr": 2,
                     "slots_te": 1, "slots_flex": 1, "slots_dl": 2, "slots_lb": 2, "slots_db": 2,
                     "slots_idp_flex": 1, "slots_def": 1, "slots_k": 1, "slots_bn": 9, "player_type": 1,
                     "reversal_round": 0},
        "season_type": "regular", "season": str(season),
        "metadata": {"scoring_type": "idp", "name": f"{season} Rookie Draft", "description": ""},
        "league_id": LEAGUE_IDS[season], "last_picked": start + 86_400_000 * 5, "last_message_time": start,
        "last_message_id": str(int(DRAFT_IDS[season]) + 1), "draft_order": order,
        "slot_to_roster_id": {str(rid): rid for rid in users}, "draft_id": DRAFT_IDS[season],
        "creators": [users[3]["user_id"]], "created": start - 86_400_000 * 30,
    }


def _draft_picks(season, tx, franchises, users, pid, players) -> list[dict]:
    rid = {gm: f["roster_id"] for gm, f in franchises.items()}
    out = []
    rows = tx.filter(pl.col("Time Frame") == f"{season} Rookie Draft").to_dicts()
    per_round: dict[int, int] = defaultdict(int)
    for row in sorted(rows, key=lambda r: int(r["Pick"])):
        name = row["Player"]
        if _is_asset(name) or row["To"] not in rid or name not in pid:
            continue
        rnd = int(row["Round"])
        per_round[rnd] += 1
        p = players[pid[name]]
        roster = rid[row["To"]]
        out.append({
            "player_id": pid[name], "picked_by": users[roster]["user_id"], "roster_id": roster, "round": rnd,
            "draft_slot": per_round[rnd], "pick_no": int(row["Pick"]), "is_keeper": None,
            "draft_id": DRAFT_IDS[season],
            "metadata": {"team": p.get("team") or "", "status": "", "sport": "nfl", "position": p["position"],
                         "player_id": pid[name], "number": "", "news_updated": "", "last_name": p["last_name"],
                         "injury_status": "", "first_name": p["first_name"], "years_exp": "0"},
        })
    return out


def _write(rel: str, payload: object, compact: bool = False) -> None:
    path = OUT / f"{rel}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(payload, separators=(",", ":")) if compact else json.dumps(payload, indent=1)
    path.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
