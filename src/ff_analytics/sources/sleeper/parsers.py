"""Sleeper responses → typed rows, one function per dataset (no HTTP here).

Every record is checked for the fields its dataset needs; a missing field or a value of the wrong kind is a
SourceError naming the dataset, the URL and the field. Sleeper sends the same id as a number in one payload and
a string in another (roster ids in transactions are numbers, player ids strings, a bracket id a number next to a
string league id), so ids are normalised: player/user/league/draft ids to trimmed text, roster ids to integers.
Timestamps stay epoch milliseconds as Sleeper sends them; nested settings objects are kept as JSON text.

Fields the documentation omits but real responses carry are kept (see recordings/sleeper/README.md): failed
waiver claims with their reason, claim order and bid; FAAB moved in trades; roster records and max points.
Users have no ``username`` in real responses, so there is no such column.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from ff_analytics.errors import SourceError
from ff_analytics.sources.sleeper.client import SOURCE, Fetched

URL_COLUMN = "_url"  # carried while parsing so a duplicate key can name its response; dropped before writing

NON_STARTER_SLOTS = frozenset({"BN", "IR", "TAXI"})

Utf8, Int, Float, Bool = pl.Utf8, pl.Int64, pl.Float64, pl.Boolean

SCHEMAS: dict[str, dict[str, pl.DataType]] = {
    "league": {
        "league_id": Utf8, "season": Int, "name": Utf8, "status": Utf8, "sport": Utf8, "season_type": Utf8,
        "total_rosters": Int, "previous_league_id": Utf8, "draft_id": Utf8, "roster_positions": pl.List(Utf8),
        "settings": Utf8, "scoring_settings": Utf8,
    },
    "users": {
        "league_id": Utf8, "season": Int, "user_id": Utf8, "display_name": Utf8, "team_name": Utf8,
        "avatar": Utf8, "is_owner": Bool, "is_bot": Bool,
    },
    "rosters": {
        "league_id": Utf8, "season": Int, "roster_id": Int, "owner_id": Utf8, "co_owners": pl.List(Utf8),
        "player_id": Utf8, "slot": Utf8, "starter_position": Utf8, "is_starter": Bool, "is_reserve": Bool,
        "is_taxi": Bool, "is_keeper": Bool, "wins": Int, "losses": Int, "ties": Int, "fpts": Float,
        "fpts_against": Float, "ppts": Float, "record": Utf8, "streak": Utf8, "waiver_position": Int,
        "waiver_budget_used": Int, "total_moves": Int,
    },
    "transactions": {
        "league_id": Utf8, "season": Int, "week": Int, "leg": Int, "transaction_id": Utf8, "type": Utf8,
        "status": Utf8, "created": Int, "status_updated": Int, "creator": Utf8, "roster_ids": pl.List(Int),
        "consenter_ids": pl.List(Int), "waiver_bid": Int, "waiver_seq": Int, "waiver_priority": Int,
        "notes": Utf8, "action": Utf8, "item_index": Int, "player_id": Utf8,
        "roster_id": Int, "pick_season": Int, "pick_round": Int, "pick_original_roster_id": Int,
        "pick_previous_owner_id": Int, "budget_sender": Int, "budget_receiver": Int, "budget_amount": Int,
    },
    "traded_picks": {
        "league_id": Utf8, "league_season": Int, "season": Int, "round": Int, "roster_id": Int,
        "previous_owner_id": Int, "owner_id": Int, "draft_id": Utf8,
    },
    "drafts": {
        "league_id": Utf8, "season": Int, "draft_id": Utf8, "type": Utf8, "status": Utf8, "season_type": Utf8,
        "start_time": Int, "created": Int, "last_picked": Int, "rounds": Int, "teams": Int, "name": Utf8,
        "draft_order": Utf8, "slot_to_roster_id": Utf8, "settings": Utf8,
    },
    "draft_picks": {
        "league_id": Utf8, "season": Int, "draft_id": Utf8, "pick_no": Int, "round": Int, "draft_slot": Int,
        "roster_id": Int, "picked_by": Utf8, "player_id": Utf8, "is_keeper": Bool, "first_name": Utf8,
        "last_name": Utf8, "position": Utf8, "team": Utf8,
    },
    "players": {
        "player_id": Utf8, "full_name": Utf8, "first_name": Utf8, "last_name": Utf8, "position": Utf8,
        "fantasy_positions": pl.List(Utf8), "team": Utf8, "status": Utf8, "active": Bool, "age": Int,
        "years_exp": Int, "birth_date": Utf8, "number": Int, "search_rank": Int, "college": Utf8,
        "height": Utf8, "weight": Int, "rookie_year": Int, "depth_chart_position": Utf8, "depth_chart_order": Int,
        "injury_status": Utf8, "injury_body_part": Utf8, "injury_notes": Utf8, "injury_start_date": Utf8,
        "practice_participation": Utf8,
        "gsis_id": Utf8, "espn_id": Utf8, "yahoo_id": Utf8, "sportradar_id": Utf8, "rotowire_id": Utf8,
        "fantasy_data_id": Utf8, "stats_id": Utf8,
    },
    "matchups": {
        "league_id": Utf8, "season": Int, "week": Int, "roster_id": Int, "matchup_id": Int, "points": Float,
        "custom_points": Float, "starters": pl.List(Utf8), "starters_points": pl.List(Float),
        "players": pl.List(Utf8), "players_points": Utf8,
    },
    "brackets": {
        "league_id": Utf8, "season": Int, "bracket": Utf8, "match_id": Int, "round": Int, "t1": Int, "t2": Int,
        "t1_from_winner_of": Int, "t1_from_loser_of": Int, "t2_from_winner_of": Int, "t2_from_loser_of": Int,
        "winner": Int, "loser": Int, "place": Int,
    },
    "draft_traded_picks": {
        "league_id": Utf8, "league_season": Int, "draft_id": Utf8, "season": Int, "round": Int, "roster_id": Int,
        "previous_owner_id": Int, "owner_id": Int,
    },
    "state": {
        "season": Int, "season_type": Utf8, "week": Int, "leg": Int, "display_week": Int,
        "previous_season": Int, "league_season": Int, "league_create_season": Int, "season_start_date": Utf8,
    },
}

PRIMARY_KEYS: dict[str, list[str]] = {
    "league": ["league_id"],
    "users": ["league_id", "user_id"],
    "rosters": ["league_id", "roster_id", "player_id"],
    "transactions": ["league_id", "transaction_id", "item_index"],  # a transaction listed twice repeats item 0
    "traded_picks": ["league_id", "season", "round", "roster_id"],
    "drafts": ["draft_id"],
    "draft_picks": ["draft_id", "pick_no"],
    "players": ["player_id"],
    "matchups": ["league_id", "week", "roster_id"],
    "brackets": ["league_id", "bracket", "match_id"],
    "draft_traded_picks": ["draft_id", "season", "round", "roster_id"],
    "state": ["season"],
}

REQUIRED: dict[str, tuple[str, ...]] = {
    "league": ("league_id", "season", "name", "status", "total_rosters", "settings", "scoring_settings",
               "roster_positions", "previous_league_id"),
    "users": ("user_id", "display_name"),
    "rosters": ("roster_id", "owner_id", "players", "starters", "settings"),
    "transactions": ("transaction_id", "type", "status", "created", "leg", "roster_ids", "adds", "drops",
                     "draft_picks", "waiver_budget"),
    "traded_picks": ("season", "round", "roster_id", "previous_owner_id", "owner_id"),
    "drafts": ("draft_id", "type", "status", "season", "settings"),
    "draft_picks": ("draft_id", "pick_no", "round", "draft_slot", "roster_id", "picked_by", "player_id"),
    "players": ("player_id", "first_name", "last_name", "position"),
    "matchups": ("roster_id", "matchup_id", "points", "starters"),
    "brackets": ("r", "m", "t1", "t2"),
    "draft_traded_picks": ("season", "round", "roster_id", "previous_owner_id", "owner_id"),
    "state": ("season", "season_type", "week"),
}

# Values real responses use; anything else is refused (a new one would change what downstream counts mean).
TRANSACTION_TYPES = frozenset({"trade", "waiver", "free_agent", "commissioner"})
TRANSACTION_STATUSES = frozenset({"complete", "failed", "pending"})  # pending: a trade awaiting review


@dataclass(frozen=True)
class LeagueSeason:
    """One league in the previous_league_id chain: the ids every league-scoped row carries."""

    league_id: str
    season: int
    roster_positions: tuple[str, ...] = ()
    status: str | None = None
    settings: Mapping[str, Any] = field(default_factory=dict)
    draft_id: str | None = None


class Record:
    """One JSON object from a response, with conversions that fail naming the dataset, URL and field."""

    def __init__(self, obj: object, dataset: str, url: str, index: int | str) -> None:
        self.dataset, self.url, self.index = dataset, url, index
        if not isinstance(obj, Mapping):
            self.fail(f"record {index} is a JSON {type(obj).__name__}, expected an object")
        self.obj: Mapping[str, Any] = obj  # type: ignore[assignment]
        missing = [k for k in REQUIRED[dataset] if k not in self.obj]
        if missing:
            self.fail(f"response is missing field(s) {', '.join(missing)} in record {index}")

    def fail(self, message: str) -> None:
        raise SourceError(message, source=SOURCE, dataset=self.dataset, url=self.url)

    def raw(self, key: str) -> Any:
        return self.obj.get(key)

    def text(self, key: str, value: Any = ...) -> str | None:
        value = self.obj.get(key) if value is ... else value
        if value is None or value == "":
            return None
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            self.fail(f"field {key!r} in record {self.index} is not text or a number: {value!r}")
        text = str(value).strip()  # a real gsis_id arrives as " 00-0031234"
        return text or None

    def choice(self, key: str, allowed: frozenset[str]) -> str | None:
        """A text field that must be one of ``allowed`` (null stays null: REQUIRED decides presence)."""
        value = self.text(key)
        if value is not None and value not in allowed:
            self.fail(f"field {key!r} in record {self.index} has unknown value {value!r} "
                      f"(known: {', '.join(sorted(allowed))})")
        return value

    def int(self, key: str, value: Any = ...) -> int | None:
        value = self.obj.get(key) if value is ... else value
        if value is None or value == "":
            return None
        if isinstance(value, bool):
            return int(value)
        if isinstance(value, float) and value.is_integer():
            return int(value)
        try:
            if isinstance(value, float):
                raise ValueError
            return int(value)
        except (TypeError, ValueError):
            self.fail(f"field {key!r} in record {self.index} is not a whole number: {value!r}")
        return None

    def float(self, key: str, value: Any = ...) -> float | None:
        value = self.obj.get(key) if value is ... else value
        if value is None or value == "":
            return None
        try:
            return float(value)
        except (TypeError, ValueError):
            self.fail(f"field {key!r} in record {self.index} is not a number: {value!r}")
        return None

    def bool(self, key: str) -> bool | None:
        value = self.obj.get(key)
        return None if value is None else bool(value)

    def texts(self, key: str) -> list[str] | None:
        value = self.obj.get(key)
        if value is None:
            return None
        if not isinstance(value, list):
            self.fail(f"field {key!r} in record {self.index} is not a list: {value!r}")
        return [t for t in (self.text(key, v) for v in value) if t is not None]

    def ints(self, key: str) -> list[int] | None:
        value = self.obj.get(key)
        if value is None:
            return None
        if not isinstance(value, list):
            self.fail(f"field {key!r} in record {self.index} is not a list: {value!r}")
        return [i for i in (self.int(key, v) for v in value) if i is not None]

    def mapping(self, key: str) -> Mapping[str, Any]:
        value = self.obj.get(key)
        if value is None:
            return {}
        if not isinstance(value, Mapping):
            self.fail(f"field {key!r} in record {self.index} is not an object: {value!r}")
        return value

    def items(self, key: str) -> list[Any]:
        value = self.obj.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            self.fail(f"field {key!r} in record {self.index} is not a list: {value!r}")
        return value

    def json(self, key: str) -> str | None:
        value = self.obj.get(key)
        return None if value is None else json.dumps(value, sort_keys=True, separators=(",", ":"))


def records(fetched: Fetched, dataset: str) -> Iterable[Record]:
    data = fetched.data
    if isinstance(data, Mapping):
        for key, obj in data.items():
            yield Record(obj, dataset, fetched.url, key)
    else:
        for i, obj in enumerate(data):  # type: ignore[arg-type]
            yield Record(obj, dataset, fetched.url, i)


def frame(dataset: str, rows: list[dict[str, Any]]) -> pl.DataFrame:
    """Rows → a DataFrame with the dataset's fixed schema (plus the URL column used by the key check)."""
    schema = {**SCHEMAS[dataset], URL_COLUMN: Utf8}
    return pl.DataFrame(rows, schema=schema, orient="row") if rows else pl.DataFrame(schema=schema)


# -- one function per dataset ------------------------------------------------------------------------------------
def parse_league(fetched: Fetched) -> list[dict[str, Any]]:
    rec = next(iter(records(Fetched([fetched.data], fetched.url), "league")))
    return [{
        "league_id": rec.text("league_id"), "season": rec.int("season"), "name": rec.text("name"),
        "status": rec.text("status"), "sport": rec.text("sport"), "season_type": rec.text("season_type"),
        "total_rosters": rec.int("total_rosters"), "previous_league_id": _league_ref(rec.text("previous_league_id")),
        "draft_id": rec.text("draft_id"), "roster_positions": rec.texts("roster_positions"),
        "settings": rec.json("settings"), "scoring_settings": rec.json("scoring_settings"), URL_COLUMN: rec.url,
    }]


def parse_users(fetched: Fetched, league: LeagueSeason) -> list[dict[str, Any]]:
    rows = []
    for rec in records(fetched, "users"):
        rows.append({
            "league_id": league.league_id, "season": league.season, "user_id": rec.text("user_id"),
            "display_name": rec.text("display_name"),
            "team_name": rec.text("team_name", rec.mapping("metadata").get("team_name")),
            "avatar": rec.text("avatar"), "is_owner": rec.bool("is_owner"), "is_bot": rec.bool("is_bot"),
            URL_COLUMN: rec.url,
        })
    return rows


def parse_rosters(fetched: Fetched, league: LeagueSeason) -> list[dict[str, Any]]:
    """One row per roster × player; a roster with no players keeps one row (player_id null) for its record."""
    slots = [p for p in league.roster_positions if p not in NON_STARTER_SLOTS]
    rows = []
    for rec in records(fetched, "rosters"):
        settings = rec.mapping("settings")
        starters = rec.texts("starters") or []
        reserve, taxi = set(rec.texts("reserve") or []), set(rec.texts("taxi") or [])
        keepers = set(rec.texts("keepers") or [])
        meta = rec.mapping("metadata")
        players = list(dict.fromkeys([*(rec.texts("players") or []), *starters, *reserve, *taxi]))
        players = [p for p in players if p != "0"]  # "0" marks an empty starting slot
        base = {
            "league_id": league.league_id, "season": league.season, "roster_id": rec.int("roster_id"),
            "owner_id": rec.text("owner_id"), "co_owners": rec.texts("co_owners"),
            "wins": rec.int("wins", settings.get("wins")), "losses": rec.int("losses", settings.get("losses")),
            "ties": rec.int("ties", settings.get("ties")),
            "fpts": _points(rec, settings, "fpts"), "fpts_against": _points(rec, settings, "fpts_against"),
            "ppts": _points(rec, settings, "ppts"), "record": rec.text("record", meta.get("record")),
            "streak": rec.text("streak", meta.get("streak")),
            "waiver_position": rec.int("waiver_position", settings.get("waiver_position")),
            "waiver_budget_used": rec.int("waiver_budget_used", settings.get("waiver_budget_used")),
            "total_moves": rec.int("total_moves", settings.get("total_moves")), URL_COLUMN: rec.url,
        }
        if not players:
            rows.append({**base, "player_id": None, "slot": None, "starter_position": None, "is_starter": False,
                         "is_reserve": False, "is_taxi": False, "is_keeper": False})
        for pid in players:
            index = starters.index(pid) if pid in starters else None
            slot = "reserve" if pid in reserve else "taxi" if pid in taxi else "starter" if index is not None \
                else "bench"
            rows.append({**base, "player_id": pid, "slot": slot,
                         "starter_position": slots[index] if index is not None and index < len(slots) else None,
                         "is_starter": index is not None, "is_reserve": pid in reserve, "is_taxi": pid in taxi,
                         "is_keeper": pid in keepers})
    return rows


def parse_transactions(fetched: Fetched, league: LeagueSeason, week: int) -> list[dict[str, Any]]:
    """One row per transaction × item (add, drop, draft_pick, waiver_budget), with the transaction's fields."""
    rows = []
    for rec in records(fetched, "transactions"):
        settings = rec.mapping("settings")
        base = {
            "league_id": league.league_id, "season": league.season, "week": week, "leg": rec.int("leg"),
            "transaction_id": rec.text("transaction_id"), "type": rec.choice("type", TRANSACTION_TYPES),
            "status": rec.choice("status", TRANSACTION_STATUSES),
            "created": rec.int("created"), "status_updated": rec.int("status_updated"),
            "creator": rec.text("creator"), "roster_ids": rec.ints("roster_ids"),
            "consenter_ids": rec.ints("consenter_ids"),
            "waiver_bid": rec.int("waiver_bid", settings.get("waiver_bid")),
            "waiver_seq": rec.int("seq", settings.get("seq")),
            "waiver_priority": rec.int("priority", settings.get("priority")),
            "notes": rec.text("notes", rec.mapping("metadata").get("notes")), URL_COLUMN: rec.url,
        }
        items: list[dict[str, Any]] = []
        for action, key in (("add", "adds"), ("drop", "drops")):
            for pid, roster in rec.mapping(key).items():
                items.append({"action": action, "player_id": rec.text(key, pid), "roster_id": rec.int(key, roster)})
        for pick in rec.items("draft_picks"):
            p = _nested(rec, "draft_picks", pick)
            items.append({"action": "draft_pick", "roster_id": rec.int("owner_id", p.get("owner_id")),
                          "pick_season": rec.int("season", p.get("season")),
                          "pick_round": rec.int("round", p.get("round")),
                          "pick_original_roster_id": rec.int("roster_id", p.get("roster_id")),
                          "pick_previous_owner_id": rec.int("previous_owner_id", p.get("previous_owner_id"))})
        for budget in rec.items("waiver_budget"):
            b = _nested(rec, "waiver_budget", budget)
            items.append({"action": "waiver_budget", "roster_id": rec.int("receiver", b.get("receiver")),
                          "budget_sender": rec.int("sender", b.get("sender")),
                          "budget_receiver": rec.int("receiver", b.get("receiver")),
                          "budget_amount": rec.int("amount", b.get("amount"))})
        for i, item in enumerate(items or [{"action": None}]):
            rows.append({**base, "item_index": i, **item})
    return rows


def parse_traded_picks(fetched: Fetched, league: LeagueSeason) -> list[dict[str, Any]]:
    return [{
        "league_id": league.league_id, "league_season": league.season, "season": rec.int("season"),
        "round": rec.int("round"), "roster_id": rec.int("roster_id"),
        "previous_owner_id": rec.int("previous_owner_id"), "owner_id": rec.int("owner_id"),
        "draft_id": rec.text("draft_id"), URL_COLUMN: rec.url,
    } for rec in records(fetched, "traded_picks")]


def parse_drafts(fetched: Fetched, league: LeagueSeason) -> list[dict[str, Any]]:
    rows = []
    for rec in records(fetched, "drafts"):
        settings = rec.mapping("settings")
        rows.append({
            "league_id": league.league_id, "season": rec.int("season"), "draft_id": rec.text("draft_id"),
            "type": rec.text("type"), "status": rec.text("status"), "season_type": rec.text("season_type"),
            "start_time": rec.int("start_time"), "created": rec.int("created"),
            "last_picked": rec.int("last_picked"), "rounds": rec.int("rounds", settings.get("rounds")),
            "teams": rec.int("teams", settings.get("teams")),
            "name": rec.text("name", rec.mapping("metadata").get("name")), "draft_order": rec.json("draft_order"),
            "slot_to_roster_id": rec.json("slot_to_roster_id"), "settings": rec.json("settings"),
            URL_COLUMN: rec.url,
        })
    return rows


def parse_draft_picks(fetched: Fetched, league: LeagueSeason) -> list[dict[str, Any]]:
    rows = []
    for rec in records(fetched, "draft_picks"):
        meta = rec.mapping("metadata")
        rows.append({
            "league_id": league.league_id, "season": league.season, "draft_id": rec.text("draft_id"),
            "pick_no": rec.int("pick_no"), "round": rec.int("round"), "draft_slot": rec.int("draft_slot"),
            "roster_id": rec.int("roster_id"), "picked_by": rec.text("picked_by"),
            "player_id": rec.text("player_id"), "is_keeper": rec.bool("is_keeper"),
            "first_name": rec.text("first_name", meta.get("first_name")),
            "last_name": rec.text("last_name", meta.get("last_name")),
            "position": rec.text("position", meta.get("position")), "team": rec.text("team", meta.get("team")),
            URL_COLUMN: rec.url,
        })
    return rows


def parse_players(fetched: Fetched) -> list[dict[str, Any]]:
    rows = []
    for rec in records(fetched, "players"):
        first, last = rec.text("first_name"), rec.text("last_name")
        full = rec.text("full_name") or " ".join(p for p in (first, last) if p) or None
        meta = rec.mapping("metadata")
        row = {"player_id": rec.text("player_id"), "full_name": full, "first_name": first, "last_name": last,
               "position": rec.text("position"), "fantasy_positions": rec.texts("fantasy_positions"),
               "team": rec.text("team"), "status": rec.text("status"), "active": rec.bool("active"),
               "age": rec.int("age"), "years_exp": rec.int("years_exp"), "birth_date": rec.text("birth_date"),
               "number": rec.int("number"), "search_rank": rec.int("search_rank"),
               "college": rec.text("college"), "height": rec.text("height"), "weight": rec.int("weight"),
               "rookie_year": rec.int("rookie_year", meta.get("rookie_year")),
               "depth_chart_position": rec.text("depth_chart_position"),
               "depth_chart_order": rec.int("depth_chart_order"), "injury_status": rec.text("injury_status"),
               "injury_body_part": rec.text("injury_body_part"), "injury_notes": rec.text("injury_notes"),
               "injury_start_date": rec.text("injury_start_date"),
               "practice_participation": rec.text("practice_participation"), URL_COLUMN: rec.url}
        for key in ("gsis_id", "espn_id", "yahoo_id", "sportradar_id", "rotowire_id", "fantasy_data_id",
                    "stats_id"):
            row[key] = rec.text(key)  # trimmed by Record.text
        rows.append(row)
    return rows


def parse_matchups(fetched: Fetched, league: LeagueSeason, week: int) -> list[dict[str, Any]]:
    """One row per roster and week. ``starters_points``/``players_points`` are absent in 2020 responses (null)."""
    rows = []
    for rec in records(fetched, "matchups"):
        starters = rec.texts("starters") or []
        points = rec.items("starters_points") if "starters_points" in rec.obj else None
        rows.append({
            "league_id": league.league_id, "season": league.season, "week": week, "roster_id": rec.int("roster_id"),
            "matchup_id": rec.int("matchup_id"), "points": rec.float("points"),
            "custom_points": rec.float("custom_points"), "starters": starters,
            "starters_points": None if points is None else [rec.float("starters_points", v) for v in points],
            "players": rec.texts("players"), "players_points": rec.json("players_points"), URL_COLUMN: rec.url,
        })
    return rows


def parse_bracket(fetched: Fetched, league: LeagueSeason, bracket: str) -> list[dict[str, Any]]:
    """Playoff bracket matches (``r`` round, ``m`` match, ``t1``/``t2`` roster ids, ``w``/``l``, ``p`` place)."""
    rows = []
    for rec in records(fetched, "brackets"):
        t1_from, t2_from = rec.mapping("t1_from"), rec.mapping("t2_from")
        rows.append({
            "league_id": league.league_id, "season": league.season, "bracket": bracket,
            "match_id": rec.int("m"), "round": rec.int("r"), "t1": rec.int("t1"), "t2": rec.int("t2"),
            "t1_from_winner_of": rec.int("t1_from", t1_from.get("w")),
            "t1_from_loser_of": rec.int("t1_from", t1_from.get("l")),
            "t2_from_winner_of": rec.int("t2_from", t2_from.get("w")),
            "t2_from_loser_of": rec.int("t2_from", t2_from.get("l")),
            "winner": rec.int("w"), "loser": rec.int("l"), "place": rec.int("p"), URL_COLUMN: rec.url,
        })
    return rows


def parse_draft_traded_picks(fetched: Fetched, league: LeagueSeason, draft_id: str) -> list[dict[str, Any]]:
    return [{
        "league_id": league.league_id, "league_season": league.season, "draft_id": draft_id,
        "season": rec.int("season"), "round": rec.int("round"), "roster_id": rec.int("roster_id"),
        "previous_owner_id": rec.int("previous_owner_id"), "owner_id": rec.int("owner_id"), URL_COLUMN: rec.url,
    } for rec in records(fetched, "draft_traded_picks")]


def parse_state(fetched: Fetched) -> list[dict[str, Any]]:
    rec = next(iter(records(Fetched([fetched.data], fetched.url), "state")))
    return [{
        "season": rec.int("season"), "season_type": rec.text("season_type"), "week": rec.int("week"),
        "leg": rec.int("leg"), "display_week": rec.int("display_week"),
        "previous_season": rec.int("previous_season"), "league_season": rec.int("league_season"),
        "league_create_season": rec.int("league_create_season"),
        "season_start_date": rec.text("season_start_date"), URL_COLUMN: rec.url,
    }]


def _league_ref(value: str | None) -> str | None:
    """Sleeper marks "no previous league" with null or "0"."""
    return None if value in (None, "", "0") else value


def _points(rec: Record, settings: Mapping[str, Any], key: str) -> float | None:
    whole = rec.float(key, settings.get(key))
    if whole is None:
        return None
    decimal = rec.float(f"{key}_decimal", settings.get(f"{key}_decimal")) or 0.0
    return round(whole + decimal / 100.0, 2)


def _nested(rec: Record, key: str, value: Any) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        rec.fail(f"an item of {key!r} in record {rec.index} is not an object: {value!r}")
    return value
