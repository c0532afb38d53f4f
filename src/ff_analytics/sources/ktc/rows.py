"""KTC assets → rows: one per asset × market scope, players and picks (position ``RDP``) apart.

Each market's rows come from that market's own array (see ``page.py``). Documented defaults for what the real
page leaves out or fills with placeholders:
- a missing optional field (``birthday``, ``college``, ``byeWeek``, ``injury``, ``mflid``, a TE-premium block,
  ``positionalRank`` on picks, …) is null;
- placeholder zeros are null: ``age``, ``mflid``, ``draftYear``, ``pickRound``, ``pickNum``, ``heightFeet``,
  ``weight``, ``adp`` and ``startupAdp`` of 0 mean "none" (every pick carries them; 0 is never a real value);
- picks have no team, no age, no NFL draft capital: their year and round come from the name only (``2027 Early
  1st``, ``2026 Pick 1.01``, ``2027 1st``); a name no pattern recognises gets null year and round (the KTC checks
  report it), never 0. ``seasonsExperience`` on a pick is the season the list was made in (2026 on 2027 and 2028
  picks in the real capture), kept as ``listed_season``, not used as the draft year;
- team codes are mapped to nflverse codes (``teams.py``); ``FA`` and unknown codes → null team, raw code kept.
Dropped: ``history`` (always empty), ``diff`` (always 0), ``startSitValue``/``isOutThisWeek`` (weekly start/sit,
not dynasty value), ``rawLiquidity`` and the auction percentages, ``positionID`` (same as ``position``),
``teamLongName`` (from the team code), ``number`` and the page's display flags (``isFeatured``, ``isTrending``, …),
the rookie-only ranks (``rookieRank``, ``rookieTier``, …: on 11 of 105 real assets, a rookie-draft view). Renamed:
``stdLiquidity`` → ``liquidity``, ``pickRound``/``pickNum`` of players → ``nfl_draft_round``/``nfl_draft_pick``.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import polars as pl

from ff_analytics.errors import SourceError
from ff_analytics.sources.ktc.page import MARKET_VALUES
from ff_analytics.sources.ktc.teams import team_map

SOURCE = "ktc"
MARKET_SCOPES = MARKET_VALUES
PICK_POSITION = "RDP"
VALUE_FIELDS = ("value", "rank")
TE_PREMIUMS = ("tep", "tepp", "teppp")

_MARKET_SCHEMA = {
    "asset_type": pl.String, "market_scope": pl.String, "value": pl.Int64, "rank": pl.Int64,
    "positional_rank": pl.Int64, "overall_tier": pl.Int64, "positional_tier": pl.Int64, "overall_trend": pl.Int64,
    "positional_trend": pl.Int64, "overall_7day_trend": pl.Int64, "positional_7day_trend": pl.Int64,
    "kept": pl.Int64, "traded": pl.Int64, "cut": pl.Int64, "trade_count": pl.Int64, "adp": pl.Float64,
    "startup_adp": pl.Float64, "liquidity": pl.Float64,
    **{f"{p}_{f}": pl.Int64 for p in TE_PREMIUMS for f in ("value", "rank", "positional_rank")},
}
PLAYER_SCHEMA = {
    "ktc_id": pl.Int64, "player_name": pl.String, "slug": pl.String, "position": pl.String, "team": pl.String,
    "ktc_team": pl.String, "mfl_id": pl.String, "age": pl.Float64, "birth_date": pl.Date, "rookie": pl.Boolean,
    "college": pl.String, "draft_year": pl.Int64, "nfl_draft_round": pl.Int64, "nfl_draft_pick": pl.Int64,
    "seasons_experience": pl.Int64, "height_inches": pl.Int64, "weight": pl.Int64, "bye_week": pl.Int64,
    "injury_code": pl.Int64, "injury_name": pl.String, "injury_area": pl.String, "injury_return": pl.String,
    **_MARKET_SCHEMA,
}
PICK_SCHEMA = {
    "ktc_id": pl.Int64, "pick_name": pl.String, "draft_year": pl.Int64, "pick_round": pl.Int64,
    "pick_tier": pl.String, "pick_number": pl.Int64, "listed_season": pl.Int64, **_MARKET_SCHEMA,
}
PRIMARY_KEY = ("ktc_id", "market_scope")

_ORDINAL = r"(?P<round>\d+)(?:st|nd|rd|th)"
PICK_PATTERNS = (  # (pattern, what it carries); the first match wins
    re.compile(rf"^(?P<year>\d{{4}})\s+(?P<tier>Early|Mid|Late)\s+{_ORDINAL}$", re.I),
    re.compile(r"^(?P<year>\d{4})\s+Pick\s+(?P<round>\d+)\.(?P<number>\d+)$", re.I),
    re.compile(rf"^(?P<year>\d{{4}})\s+{_ORDINAL}$", re.I),
)


def _none_if_zero(value: object) -> object:
    """KTC's placeholder 0 (and empty strings) → None."""
    return None if value in (0, "", "0", None) and value is not False else value


def _int(value: object) -> object:
    """Whole floats (KTC writes some counts as 7.0) → int; anything else unchanged for the schema to judge."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


def scope_values(asset: dict, scope: str, url: str, dataset: str) -> dict:
    values = asset.get(MARKET_SCOPES[scope])
    missing = [f for f in VALUE_FIELDS if not isinstance(values, dict) or values.get(f) is None]
    if missing:
        raise SourceError(f"{asset.get('playerName')!r} has no {MARKET_SCOPES[scope]}.{'/'.join(missing)}",
                          source=SOURCE, dataset=dataset, url=url)
    return values


def market_fields(v: dict, scope: str, asset_type: str) -> dict:
    row = {
        "asset_type": asset_type, "market_scope": scope, "value": v["value"], "rank": v["rank"],
        "positional_rank": v.get("positionalRank"), "overall_tier": v.get("overallTier"),
        "positional_tier": v.get("positionalTier"), "overall_trend": v.get("overallTrend"),
        "positional_trend": v.get("positionalTrend"), "overall_7day_trend": v.get("overall7DayTrend"),
        "positional_7day_trend": v.get("positional7DayTrend"), "kept": v.get("kept"), "traded": v.get("traded"),
        "cut": v.get("cut"), "trade_count": _int(v.get("tradeCount")), "adp": _none_if_zero(v.get("adp")),
        "startup_adp": _none_if_zero(v.get("startupAdp")), "liquidity": v.get("stdLiquidity"),
    }
    for premium in TE_PREMIUMS:
        block = v.get(premium) if isinstance(v.get(premium), dict) else {}
        row |= {f"{premium}_value": block.get("value"), f"{premium}_rank": block.get("rank"),
                f"{premium}_positional_rank": block.get("positionalRank")}
    return row


def birth_date(asset: dict, url: str) -> date | None:
    """``birthday`` is a Unix time in seconds as text (``"832654800"``: midnight US Eastern → the UTC date)."""
    raw = asset.get("birthday")
    if raw in (None, "", 0, "0"):
        return None
    try:
        return datetime.fromtimestamp(int(raw), tz=UTC).date()
    except (TypeError, ValueError, OverflowError, OSError):
        raise SourceError(f"{asset.get('playerName')!r} has birthday {raw!r}, not a Unix time in seconds",
                          source=SOURCE, dataset="players", url=url) from None


def player_row(asset: dict, scope: str, url: str, teams: dict[str, str | None]) -> dict:
    v = scope_values(asset, scope, url, "players")
    ktc_team = _none_if_zero(asset.get("team"))
    feet, inches = _none_if_zero(asset.get("heightFeet")), asset.get("heightInches") or 0
    injury = asset.get("injury") if isinstance(asset.get("injury"), dict) else {}
    return {
        "ktc_id": asset["playerID"], "player_name": asset["playerName"], "slug": asset.get("slug"),
        "position": asset["position"], "team": teams.get(ktc_team) if ktc_team else None, "ktc_team": ktc_team,
        "mfl_id": None if _none_if_zero(asset.get("mflid")) is None else str(asset["mflid"]).strip(),
        "age": _none_if_zero(asset.get("age")), "birth_date": birth_date(asset, url), "rookie": asset.get("rookie"),
        "college": _none_if_zero(asset.get("college")), "draft_year": _none_if_zero(asset.get("draftYear")),
        "nfl_draft_round": _none_if_zero(asset.get("pickRound")),
        "nfl_draft_pick": _none_if_zero(asset.get("pickNum")),
        "seasons_experience": asset.get("seasonsExperience"),
        "height_inches": feet * 12 + inches if isinstance(feet, int) and isinstance(inches, int) else None,
        "weight": _none_if_zero(asset.get("weight")), "bye_week": _none_if_zero(asset.get("byeWeek")),
        "injury_code": injury.get("injuryCode"), "injury_name": injury.get("injuryName"),
        "injury_area": injury.get("injuryArea"), "injury_return": injury.get("injuryReturn"),
        **market_fields(v, scope, "player"),
    }


def parse_pick_name(name: str) -> dict:
    """``{"draft_year", "pick_round", "pick_tier", "pick_number"}`` from the name; all None if unrecognised."""
    match = next((m for p in PICK_PATTERNS if (m := p.match(name.strip()))), None)
    if match is None:
        return {"draft_year": None, "pick_round": None, "pick_tier": None, "pick_number": None}
    groups = match.groupdict()
    return {"draft_year": int(groups["year"]), "pick_round": int(groups["round"]),
            "pick_tier": groups["tier"].title() if groups.get("tier") else None,
            "pick_number": int(groups["number"]) if groups.get("number") else None}


def pick_row(asset: dict, scope: str, url: str) -> dict:
    v = scope_values(asset, scope, url, "picks")
    name = str(asset["playerName"]).strip()
    return {"ktc_id": asset["playerID"], "pick_name": name, **parse_pick_name(name),
            "listed_season": _none_if_zero(asset.get("seasonsExperience")), **market_fields(v, scope, "pick")}


def asset_frames(markets: dict[str, list[dict]], url: str) -> dict[str, pl.DataFrame]:
    """``{"players": …, "picks": …}`` with one row per asset of each market, sorted by scope then rank."""
    teams = team_map()
    players = [player_row(a, s, url, teams) for s, assets in markets.items() for a in assets
               if a["position"] != PICK_POSITION]
    picks = [pick_row(a, s, url) for s, assets in markets.items() for a in assets if a["position"] == PICK_POSITION]
    try:
        return {
            "players": pl.DataFrame(players, schema=PLAYER_SCHEMA, strict=False).sort("market_scope", "rank",
                                                                                     "ktc_id"),
            "picks": pl.DataFrame(picks, schema=PICK_SCHEMA, strict=False).sort("market_scope", "rank", "ktc_id"),
        }
    except (pl.exceptions.PolarsError, TypeError, ValueError) as exc:
        raise SourceError(f"asset fields have unexpected types: {exc}", source=SOURCE, dataset="players+picks",
                          url=url) from None
