"""KTC assets → rows: one per asset × market scope, players and picks (position ``RDP``) apart."""

from __future__ import annotations

import re

import polars as pl

from ff_analytics.errors import SourceError

SOURCE = "ktc"
MARKET_SCOPES = {"dynasty_1qb": "oneQBValues", "dynasty_superflex": "superflexValues"}
PICK_POSITION = "RDP"
VALUE_FIELDS = ("value", "rank")

PLAYER_SCHEMA = {
    "ktc_id": pl.Int64, "player_name": pl.String, "slug": pl.String, "position": pl.String, "team": pl.String,
    "age": pl.Float64, "rookie": pl.Boolean, "asset_type": pl.String, "market_scope": pl.String,
    "value": pl.Int64, "rank": pl.Int64, "positional_rank": pl.Int64, "overall_tier": pl.Int64,
    "positional_tier": pl.Int64, "overall_trend": pl.Int64, "positional_trend": pl.Int64,
    "overall_7day_trend": pl.Int64, "kept": pl.Int64, "traded": pl.Int64, "cut": pl.Int64,
}
PICK_SCHEMA = {
    "ktc_id": pl.Int64, "pick_name": pl.String, "draft_year": pl.Int64, "pick_round": pl.Int64,
    "pick_tier": pl.String, "pick_number": pl.Int64, "asset_type": pl.String, "market_scope": pl.String,
    "value": pl.Int64, "rank": pl.Int64, "positional_rank": pl.Int64, "overall_tier": pl.Int64,
    "overall_trend": pl.Int64,
}
PRIMARY_KEY = ("ktc_id", "market_scope")

_TIER_PICK = re.compile(r"^(?P<year>\d{4})\s+(?P<tier>Early|Mid|Late)\s+(?P<round>\d+)(?:st|nd|rd|th)$", re.I)
_SLOT_PICK = re.compile(r"^(?P<year>\d{4})\s+Pick\s+(?P<round>\d+)\.(?P<number>\d+)$", re.I)


def scope_values(asset: dict, scope: str, url: str, dataset: str) -> dict:
    values = asset.get(MARKET_SCOPES[scope])
    missing = [f for f in VALUE_FIELDS if not isinstance(values, dict) or values.get(f) is None]
    if missing:
        raise SourceError(f"{asset.get('playerName')!r} has no {MARKET_SCOPES[scope]}.{'/'.join(missing)}",
                          source=SOURCE, dataset=dataset, url=url)
    return values


def player_row(asset: dict, scope: str, url: str) -> dict:
    v = scope_values(asset, scope, url, "players")
    return {
        "ktc_id": asset["playerID"], "player_name": asset["playerName"], "slug": asset.get("slug"),
        "position": asset["position"], "team": asset.get("team"), "age": asset.get("age"),
        "rookie": asset.get("rookie"), "asset_type": "player", "market_scope": scope,
        "value": v["value"], "rank": v["rank"], "positional_rank": v.get("positionalRank"),
        "overall_tier": v.get("overallTier"), "positional_tier": v.get("positionalTier"),
        "overall_trend": v.get("overallTrend"), "positional_trend": v.get("positionalTrend"),
        "overall_7day_trend": v.get("overall7DayTrend"), "kept": v.get("kept"), "traded": v.get("traded"),
        "cut": v.get("cut"),
    }


def pick_row(asset: dict, scope: str, url: str) -> dict:
    v = scope_values(asset, scope, url, "picks")
    name = str(asset["playerName"]).strip()
    tier = _TIER_PICK.match(name)
    slot = _SLOT_PICK.match(name)
    match = tier or slot
    return {
        "ktc_id": asset["playerID"], "pick_name": name,
        "draft_year": int(match["year"]) if match else asset.get("draftYear"),
        "pick_round": int(match["round"]) if match else asset.get("pickRound"),
        "pick_tier": tier["tier"].title() if tier else None,
        "pick_number": int(slot["number"]) if slot else asset.get("pickNum"),
        "asset_type": "pick", "market_scope": scope, "value": v["value"], "rank": v["rank"],
        "positional_rank": v.get("positionalRank"), "overall_tier": v.get("overallTier"),
        "overall_trend": v.get("overallTrend"),
    }


def asset_frames(assets: list[dict], scopes: list[str], url: str) -> dict[str, pl.DataFrame]:
    """``{"players": …, "picks": …}`` with one row per asset and scope, sorted by scope then rank."""
    players = [player_row(a, s, url) for s in scopes for a in assets if a["position"] != PICK_POSITION]
    picks = [pick_row(a, s, url) for s in scopes for a in assets if a["position"] == PICK_POSITION]
    try:
        return {
            "players": pl.DataFrame(players, schema=PLAYER_SCHEMA, strict=False).sort("market_scope", "rank",
                                                                                     "ktc_id"),
            "picks": pl.DataFrame(picks, schema=PICK_SCHEMA, strict=False).sort("market_scope", "rank", "ktc_id"),
        }
    except (pl.exceptions.PolarsError, TypeError, ValueError) as exc:
        raise SourceError(f"asset fields have unexpected types: {exc}", source=SOURCE, dataset="players+picks",
                          url=url) from None
