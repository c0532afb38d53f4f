"""Build the Sleeper API fixtures (recorded-response JSON) from the league's own data in this repo.

The league itself is never recorded from the live API, so the responses are generated for a 12-team league whose
rosters are the commissioner sheet's rosters, in the shapes real Sleeper responses have (field names, types and
nesting as in responses recorded from the live API in 2020, see recordings/sleeper/README.md): ids as strings in
some places and integers in others, failed waiver claims with their reason, claim order and bid, commissioner
moves, FAAB moved in trades, roster records and max-points, users without a ``username``.

- current (2025) rosters: the "Active Roster" block of the 9 GM tabs in ``recordings/sheets/<GM>/<GM>.parquet``;
  the 3 franchises without a tab get the players whose latest 2023+ move in the sheet's TRANSACTIONS tab went to
  that GM; 2024 and 2023 rosters come from undoing that season's TRANSACTIONS rows in reverse order.
- transactions (weeks 1-18), rookie drafts and traded picks come from the TRANSACTIONS tab and the pick blocks.
- users get invented handles (no names, no e-mails); roster_id N is franchise F00N of config/league/dim_franchise.csv.
- player ids: the nflverse crosswalk's ``sleeper_id`` when ``recordings/nflverse/ff_playerids`` exists, otherwise a
  stable id derived from the name. gsis/espn ids come from the crosswalk or ``recordings/nflverse/players``.

Synthetic (invented here, deterministic from a fixed seed; no real league holds these values):
- every failed waiver claim (a losing competing bid, or "too many players"), every claim's ``seq`` and
  ``priority``, the success notes, one commissioner move per season, the FAAB (``waiver_budget``) in every 4th
  trade; waiver bids come from the sheet's contract column where it has one;
- every point total: per-player weekly points (``players_points``/``starters_points``), the round-robin schedule,
  matchups, and everything derived from them (roster ``wins``/``losses``/``fpts``/``fpts_against``/``ppts``,
  ``metadata.record``/``streak``, playoff seeds and both brackets). Lineups are each season's final roster every
  week. ``ppts`` is the best lineup by a greedy slot fill;
- users' handles, avatars and the 2025 co-owner of roster 3; players' college, height, weight, rookie year, depth
  chart, injury fields and the leading space on some ``gsis_id`` values (as one real response has).
Shapes not in the 2020 recording (brackets, draft traded picks, ``starters_points``/``players_points``) follow
docs.sleeper.com.

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
LAST_SCORED = {2023: 17, 2024: 17, 2025: CURRENT_WEEK - 1}
PLAYOFF_WEEK_START = 15  # 6-team playoffs, one week a round: weeks 15-17
BRACKET_IDS = {2023: 1048313545995296001, 2024: 1180000000000000001}  # integers, as the real league record has
MEAN_POINTS = {"QB": 18.0, "RB": 11.0, "WR": 11.0, "TE": 8.0, "K": 8.0, "DEF": 7.0, "DL": 7.0, "LB": 9.0, "DB": 7.0}
FAILED_NOTES = ["This player was claimed by another owner.",
                "Unfortunately, your roster will have too many players after this transaction."]
COLLEGES = ["Alabama", "Ohio State", "Georgia", "LSU", "Michigan", "Clemson", "Oklahoma", "USC", "Texas", "Oregon",
            "Penn State", "Florida", "Notre Dame", "Wisconsin", "Iowa", "Utah", "TCU", "Miami", "Auburn", "Stanford"]
DEPTH_POSITIONS = {"QB": "QB", "RB": "RB", "WR": "LWR", "TE": "TE", "K": "K", "DL": "LDE", "LB": "WLB", "DB": "LCB"}
CO_OWNER_HANDLE = "SecondChairFF"

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
        _write(f"{base}/users", [*users.values(), *filter(None, [_co_owner(season)])])
        matchups, brackets = _season_games(season, rosters[season], pid, players, rng)
        _write(f"{base}/rosters", _rosters(season, rosters[season], users, pid, matchups))
        weekly = _season_transactions(season, tx, franchises, users, pid, rng)
        for week in range(1, 19):
            _write(f"{base}/transactions/{week}", weekly.get(week, []))
        for week, games in matchups.items():
            _write(f"{base}/matchups/{week}", [{k: v for k, v in g.items() if not k.startswith("_")} for g in games])
        for which, matches in brackets.items():
            _write(f"{base}/{which}_bracket", matches)
        _write(f"{base}/traded_picks", _traded_picks(season, tx, franchises))
        _write(f"{base}/drafts", [_draft(season, users)])
        _write(f"draft/{DRAFT_IDS[season]}/picks", _draft_picks(season, tx, franchises, users, pid, players))
        _write(f"draft/{DRAFT_IDS[season]}/traded_picks", _draft_traded_picks(season, tx, franchises))
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
            "depth_chart_order": rng.randint(1, 3) if team else None,
            "depth_chart_position": DEPTH_POSITIONS.get(pos or "WR") if team else None,
            "search_rank": rng.randint(1, 9999999) if not team else rng.randint(1, 900),
            "college": rng.choice(COLLEGES), "height": str(rng.randint(68, 78)), "weight": str(rng.randint(180, 320)),
            "metadata": {"rookie_year": str(2025 - max(0, age - 22)), "channel_id": None},
            **_injury(rng),
            "hashtag": f"#{re.sub(r'[^A-Za-z]', '', name)}-NFL-{team or 'FA'}-{rng.randint(1, 99)}",
            "birth_date": ids.get("birth_date"), "gsis_id": _padded(ids.get("gsis_id"), len(dump)),
            "espn_id": int(ids["espn_id"]) if str(ids.get("espn_id") or "").isdigit() else ids.get("espn_id"),
            "yahoo_id": ids.get("yahoo_id"), "sportradar_id": ids.get("sportradar_id"),
            "rotowire_id": ids.get("rotowire_id"), "fantasy_data_id": ids.get("fantasy_data_id"),
            "stats_id": ids.get("stats_id"),
        }
    return dict(sorted(dump.items())), pid_of


def _injury(rng: random.Random) -> dict:
    """Synthetic injury fields, on about one player in eight (the rest carry nulls, as the real dump does)."""
    if rng.random() >= 0.125:
        return {"injury_status": None, "injury_body_part": None, "injury_notes": None, "injury_start_date": None,
                "practice_participation": None}
    return {"injury_status": rng.choice(["Questionable", "Doubtful", "Out", "IR"]),
            "injury_body_part": rng.choice(["Hamstring", "Ankle", "Knee", "Shoulder", "Concussion"]),
            "injury_notes": None, "injury_start_date": None,
            "practice_participation": rng.choice(["Limited", "Full", "DNP", None])}


def _padded(gsis_id: str | None, n: int) -> str | None:
    """Every 25th gsis_id with a leading space, as a real players dump sends one (the connector trims it)."""
    return f" {gsis_id}" if gsis_id and n % 25 == 0 else gsis_id


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
        "settings": {"type": 2, "num_teams": 12, "playoff_teams": 6, "playoff_week_start": PLAYOFF_WEEK_START,
                     "playoff_round_type": 0, "playoff_seed_type": 0, "playoff_type": 0,
                     "leg": CURRENT_WEEK if season == 2025 else 17, "max_keepers": 1, "draft_rounds": 5,
                     "trade_deadline": 11, "waiver_type": 2, "waiver_budget": 1000, "waiver_clear_days": 1,
                     "waiver_day_of_week": 2, "daily_waivers": 0, "taxi_slots": 5, "taxi_years": 1,
                     "taxi_allow_vets": 0, "reserve_slots": 3, "reserve_allow_out": 1, "bench_lock": 0,
                     "pick_trading": 1, "disable_trades": 0, "best_ball": 0, "league_average_match": 0,
                     "last_scored_leg": LAST_SCORED[season], "start_week": 1},
        "season_type": "regular", "season": str(season), "scoring_settings": scoring,
        "roster_positions": ROSTER_POSITIONS,
        "previous_league_id": LEAGUE_IDS.get(season - 1), "name": "Bell Keg Dynasty League",
        "league_id": LEAGUE_IDS[season], "draft_id": DRAFT_IDS[season], "avatar": "5f1c6b3b1c0e6d7a8b9c0d1e2f3a4b5c",
        "metadata": {"auto_continue": "on", "keeper_deadline": "0"}, "bracket_id": BRACKET_IDS.get(season),
        "loser_bracket_id": BRACKET_IDS[season] + 1 if season in BRACKET_IDS else None, "shard": 62,
    }


def _users(franchises, season: int) -> dict[int, dict]:
    out = {}
    active = [n for n, f in franchises.items() if f["start"] <= max(SEASONS) and f["end"] >= min(SEASONS)]
    for name, f in sorted(franchises.items(), key=lambda kv: kv[1]["roster_id"]):
        if not f["start"] <= season <= f["end"]:
            continue
        idx = active.index(name)
        handle = HANDLES[idx]
        out[f["roster_id"]] = {"user_id": str(470000000000000000 + 1000003 * (idx + 1)), "settings": None,
                               "display_name": handle, "avatar": hashlib.md5(handle.encode()).hexdigest(),
                               "metadata": {"team_name": f["franchise_name"], "mention_pn": "on", "allow_pn": "on"},
                               "league_id": LEAGUE_IDS[season], "is_owner": f["roster_id"] == 3, "is_bot": None}
    return out


def _co_owner(season: int) -> dict | None:
    """2025 only: a second member on roster 3 (a real league lists co-owners as members with no roster)."""
    if season != 2025:
        return None
    return {"user_id": str(470000000000000000 + 1000003 * 99), "settings": None, "display_name": CO_OWNER_HANDLE,
            "avatar": None, "metadata": {"mention_pn": "on"}, "league_id": LEAGUE_IDS[season], "is_owner": False,
            "is_bot": None}


def _rosters(season, rosters, users, pid, matchups) -> list[dict]:
    """Roster records (wins, points, max points, W/L string) summed from the season's scored regular weeks."""
    regular = [w for w in matchups if w < PLAYOFF_WEEK_START and w <= LAST_SCORED[season]]
    by_roster: dict[int, list[dict]] = defaultdict(list)
    for week in regular:
        games = matchups[week]
        for game in games:
            other = next(g for g in games if g["matchup_id"] == game["matchup_id"] and g is not game)
            by_roster[game["roster_id"]].append({**game, "against": other["points"]})
    out = []
    for rid in sorted(rosters):
        r, games = rosters[rid], by_roster[rid]
        results = "".join("W" if g["points"] > g["against"] else "L" if g["points"] < g["against"] else "T"
                          for g in games)
        run = len(results) - len(results.rstrip(results[-1])) if results else 0
        fpts, against, ppts = (sum(g[k] for g in games) for k in ("points", "against", "_ppts"))
        out.append({
            "taxi": [pid[n] for n in r["taxi"]] or None, "starters": [pid[s] if s else "0" for s in r["starters"]],
            "settings": {"wins": results.count("W"), "waiver_position": rid, "waiver_budget_used": 40 * (rid % 7),
                         "total_moves": 0, "ties": results.count("T"), "losses": results.count("L"),
                         **_split("fpts", fpts), **_split("fpts_against", against), **_split("ppts", ppts),
                         "division": 1 + (rid % 3)},
            "roster_id": rid, "reserve": [pid[n] for n in r["reserve"]] or None,
            "players": [pid[n] for n in r["players"]], "player_map": None, "owner_id": users[rid]["user_id"],
            "metadata": {"record": results, "streak": f"{run}{results[-1]}" if results else None,
                         "allow_pn_scoring": "off", "allow_pn_news": "on"},
            "league_id": LEAGUE_IDS[season], "keepers": None,
            "co_owners": [_co_owner(season)["user_id"]] if rid == 3 and _co_owner(season) else None,
        })
    return out


def _split(key: str, value: float) -> dict[str, int]:
    """Sleeper sends points as whole points plus hundredths: ``fpts`` 1052 and ``fpts_decimal`` 30 = 1052.30."""
    cents = round(value * 100)
    return {key: cents // 100, f"{key}_decimal": cents % 100}


# -- matchups and brackets (synthetic points) -------------------------------------------------------------------
def _season_games(season, rosters, pid, players, rng) -> tuple[dict[int, list[dict]], dict[str, list[dict]]]:
    """Weekly matchups (round robin, then 6-team playoffs and a 6-team losers bracket) and both brackets."""
    ids = sorted(rosters)
    weeks = range(1, (CURRENT_WEEK if season == 2025 else 17) + 1)
    matchups: dict[int, list[dict]] = {}
    for week in weeks:
        if week < PLAYOFF_WEEK_START:
            pairs = _round_robin(ids, week)
        else:
            pairs = []
        matchups[week] = [_lineup(season, week, rid, rosters[rid], pid, players, rng) for rid in ids]
        for n, (a, b) in enumerate(pairs, start=1):
            for game in matchups[week]:
                if game["roster_id"] in (a, b):
                    game["matchup_id"] = n
    brackets: dict[str, list[dict]] = {}
    if LAST_SCORED[season] >= PLAYOFF_WEEK_START - 1:
        standings = _standings(matchups)
        brackets["winners"] = _bracket(standings[:6], matchups)
        brackets["losers"] = _bracket(standings[6:], matchups)
    for week, games in matchups.items():
        for game in games:
            game.setdefault("matchup_id", None)  # a roster without a game that week (bye or out)
            if week > LAST_SCORED[season]:  # the week in progress: games not finished
                _scale(game, 0.4)
    return matchups, brackets


def _round_robin(ids: list[int], week: int) -> list[tuple[int, int]]:
    """Circle method: every roster meets every other once in len(ids)-1 weeks, then the cycle repeats."""
    n = len(ids)
    k = (week - 1) % (n - 1)
    order = [ids[0], *(ids[1:][-k:] + ids[1:][:-k] if k else ids[1:])]
    return [(order[i], order[n - 1 - i]) for i in range(n // 2)]


def _lineup(season, week, rid, roster, pid, players, rng) -> dict:
    """One roster's week: points for every player, the starters' points and their sum."""
    points = {}
    for name in roster["players"]:
        position = players.get(pid[name], {}).get("position", "WR")
        points[pid[name]] = round(max(0.0, rng.gauss(MEAN_POINTS.get(position, 8.0), 6.0)), 2)
    starters = [pid[s] if s else "0" for s in roster["starters"]]
    starters_points = [points.get(s, 0.0) for s in starters]
    return {"starters": starters, "roster_id": rid, "points": round(sum(starters_points), 2),
            "players": [pid[n] for n in roster["players"]], "custom_points": None,
            "starters_points": starters_points, "players_points": points,
            "_ppts": _best_lineup(points, {pid[n]: players.get(pid[n], {}).get("position") for n in roster["players"]})}


def _best_lineup(points: dict[str, float], positions: dict[str, str | None]) -> float:
    """Max possible points (Sleeper's ``ppts``), approximated by filling single-position slots first."""
    slots = sorted(ROSTER_POSITIONS[:len(STARTER_SLOT_ROWS)], key=lambda s: len(SLOT_ELIGIBLE[s]))
    used: set[str] = set()
    total = 0.0
    for slot in slots:
        best = max((p for p in points if p not in used and positions.get(p) in SLOT_ELIGIBLE[slot]),
                   key=lambda p: points[p], default=None)
        if best is not None:
            used.add(best)
            total += points[best]
    return round(total, 2)


def _scale(game: dict, factor: float) -> None:
    game["players_points"] = {k: round(v * factor, 2) for k, v in game["players_points"].items()}
    game["starters_points"] = [game["players_points"].get(s, 0.0) for s in game["starters"]]
    game["points"] = round(sum(game["starters_points"]), 2)


def _standings(matchups: dict[int, list[dict]]) -> list[int]:
    """Roster ids by regular-season wins, then points for (the seeds)."""
    wins: dict[int, int] = defaultdict(int)
    fpts: dict[int, float] = defaultdict(float)
    for week, games in matchups.items():
        if week >= PLAYOFF_WEEK_START:
            continue
        for game in games:
            other = next(g for g in games if g["matchup_id"] == game["matchup_id"] and g is not game)
            wins[game["roster_id"]] += game["points"] > other["points"]
            fpts[game["roster_id"]] += game["points"]
    return sorted(wins, key=lambda r: (-wins[r], -fpts[r]))


def _bracket(seeds: list[int], matchups: dict[int, list[dict]], offset: int = 0) -> list[dict]:
    """A 6-team bracket as Sleeper sends it (``r`` round, ``m`` match, ``t1``/``t2`` rosters, ``w``/``l``,
    ``t1_from``/``t2_from`` {"w"|"l": match}, ``p`` the place the final decides); playoff games get the next free
    matchup ids of their week. The losers bracket is built the same way from seeds 7-12 (synthetic)."""
    def play(week: int, t1: int, t2: int) -> tuple[int, int]:
        games = {g["roster_id"]: g for g in matchups[week]}
        next_id = 1 + max((g.get("matchup_id") or 0) for g in matchups[week])
        games[t1]["matchup_id"] = games[t2]["matchup_id"] = next_id
        return (t1, t2) if games[t1]["points"] >= games[t2]["points"] else (t2, t1)

    week = PLAYOFF_WEEK_START
    s = seeds
    out = []
    w1, l1 = play(week, s[2], s[5])
    w2, l2 = play(week, s[3], s[4])
    out += [{"r": 1, "m": offset + 1, "t1": s[2], "t2": s[5], "w": w1, "l": l1, "t1_from": None, "t2_from": None},
            {"r": 1, "m": offset + 2, "t1": s[3], "t2": s[4], "w": w2, "l": l2, "t1_from": None, "t2_from": None}]
    w3, l3 = play(week + 1, s[0], w2)
    w4, l4 = play(week + 1, s[1], w1)
    w5, l5 = play(week + 1, l1, l2)
    out += [{"r": 2, "m": offset + 3, "t1": s[0], "t2": w2, "w": w3, "l": l3, "t1_from": None,
             "t2_from": {"w": offset + 2}},
            {"r": 2, "m": offset + 4, "t1": s[1], "t2": w1, "w": w4, "l": l4, "t1_from": None,
             "t2_from": {"w": offset + 1}},
            {"r": 2, "m": offset + 5, "t1": l1, "t2": l2, "w": w5, "l": l5, "t1_from": {"l": offset + 1},
             "t2_from": {"l": offset + 2}, "p": 5}]
    w6, l6 = play(week + 2, w3, w4)
    w7, l7 = play(week + 2, l3, l4)
    out += [{"r": 3, "m": offset + 6, "t1": w3, "t2": w4, "w": w6, "l": l6, "t1_from": {"w": offset + 3},
             "t2_from": {"w": offset + 4}, "p": 1},
            {"r": 3, "m": offset + 7, "t1": l3, "t2": l4, "w": w7, "l": l7, "t1_from": {"l": offset + 3},
             "t2_from": {"l": offset + 4}, "p": 3}]
    return out


# -- transactions, picks, drafts --------------------------------------------------------------------------------
def _season_transactions(season, tx, franchises, users, pid, rng) -> dict[int, list[dict]]:
    """The sheet's moves of the season as Sleeper transactions, plus the synthetic failed claims and one
    commissioner move; each week's list newest first by ``created``, as the API orders it."""
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
    trades = 0
    for n, group in enumerate(groups):
        week = int(re.search(r"Week (\d+)", group[0]["Time Frame"]).group(1))
        created = SEASON_START[season] + timedelta(days=7 * (week - 1) - 2, minutes=17 * n)
        move = _transaction(season, week, n, group, created, franchises, users, pid)
        if move["type"] == "trade":
            trades += 1
            if trades % 4 == 0:  # synthetic: FAAB sent along with every 4th trade
                sender, receiver = move["roster_ids"][0], move["roster_ids"][-1]
                move["waiver_budget"] = [{"sender": sender, "receiver": receiver, "amount": 5 * (1 + n % 10)}]
        weekly[week].append(move)
        if move["type"] == "waiver":
            weekly[week].extend(_failed_claims(season, n, move, users, rng))
    if weekly:
        week = min(weekly)
        first_add = next((m for m in weekly[week] if m["adds"] and m["status"] == "complete"), None)
        if first_add:
            weekly[week].append(_commissioner_move(season, first_add, users))
    for week in weekly:
        weekly[week].sort(key=lambda m: (m["created"], m["transaction_id"]), reverse=True)
    return weekly


def _failed_claims(season, n, won: dict, users, rng) -> list[dict]:
    """Synthetic losing claims on the same player, processed in the same waiver run (same ``status_updated``)."""
    out = []
    winner = won["roster_ids"][0]
    others = [rid for rid in sorted(users) if rid != winner]
    player = next(iter(won["adds"] or {}), None)
    if player is None:
        return out
    bid = won["settings"]["waiver_bid"]
    for k in range(rng.choice([1, 2, 2, 3])):
        rid = rng.choice(others)
        reason = FAILED_NOTES[0] if k == 0 or rng.random() < 0.5 else FAILED_NOTES[1]
        losing_bid = rng.randint(0, bid - 1) if bid > 0 else 0
        settings = {"waiver_bid": losing_bid, "seq": k + 1}
        if losing_bid == bid:
            settings["priority"] = rid  # a tie on the bid is broken by waiver priority
        out.append({
            "waiver_budget": [], "type": "waiver",
            "transaction_id": str(int(won["transaction_id"]) + 101 * (k + 1)),
            "status_updated": won["status_updated"], "status": "failed", "settings": settings,
            "roster_ids": [rid], "metadata": {"notes": reason}, "leg": won["leg"], "drops": None,
            "draft_picks": [], "creator": users[rid]["user_id"], "created": won["created"] - 3_600_000 * (k + 1),
            "consenter_ids": [rid], "adds": {player: rid},
        })
    return out


def _commissioner_move(season, move: dict, users) -> dict:
    """Synthetic: the commissioner (roster 3's owner) re-files the week's first add, as real leagues do to fix
    a move; no consenters, no settings, no metadata."""
    player, rid = next(iter(move["adds"].items()))
    created = move["status_updated"] + 600_000
    return {"waiver_budget": [], "type": "commissioner", "transaction_id": str(int(move["transaction_id"]) + 97),
            "status_updated": created, "status": "complete", "settings": None, "roster_ids": [rid],
            "metadata": None, "leg": move["leg"], "drops": None, "draft_picks": [], "creator": users[3]["user_id"],
            "created": created, "consenter_ids": None, "adds": {player: rid}}


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
                          "previous_owner_id": rid[row["From"]], "owner_id": rid[row["To"]], "league_id": None})
            continue
        if _is_asset(name) or name not in pid:
            continue
        if row["To"] in rid:
            adds[pid[name]] = rid[row["To"]]
        if row["From"] in rid:
            drops[pid[name]] = rid[row["From"]]
    kind = "trade" if first["Type"] == "Trade" else ("waiver" if first["Type"] == "Waivers" else "free_agent")
    if kind == "waiver" and not adds:
        kind = "free_agent"  # a player sent to waivers is a drop; Sleeper files a lone drop as free_agent
    roster_ids = sorted({rid[g] for r in group for g in (r["From"], r["To"]) if g in rid})
    bid = int(str(first["Contract"]).split("/")[0]) if kind == "waiver" and "/" in str(first["Contract"]) else None
    creator_rid = rid.get(first["To"], rid.get(first["From"]))
    ts = int(created.timestamp() * 1000)
    settings = {"waiver_bid": bid or 0, "seq": 0} if kind == "waiver" else None
    notes = {"waiver": "Your waiver claim was processed successfully!",
             "trade": "Your trade was processed successfully!" if n % 3 == 0 else None}.get(kind)
    return {
        "waiver_budget": [], "type": kind, "transaction_id": str(int(LEAGUE_IDS[season]) + 7919 * (n + 1)),
        "status_updated": ts + 60_000, "status": "complete", "settings": settings, "roster_ids": roster_ids,
        "metadata": {"notes": notes} if notes else None, "leg": week, "drops": drops or None, "draft_picks": picks,
        "creator": users[creator_rid]["user_id"] if creator_rid in users else None, "created": ts,
        "consenter_ids": roster_ids, "adds": adds or None,
    }


def _draft_traded_picks(season, tx, franchises) -> list[dict]:
    """``/draft/<id>/traded_picks``: the picks of this season's rookie draft that changed hands before it."""
    picks = _traded_picks(season - 1, tx, franchises) if season - 1 < 2025 else []
    return [p for p in picks if p["season"] == str(season)]


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
