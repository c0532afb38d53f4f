"""Which weeks of a Sleeper league season have been played: the weeks whose matchups are worth fetching.

Sleeper answers ``/league/<id>/matchups/<week>`` for any week, with zero points for weeks not yet played, so a
season walk asks only for the weeks played so far. Inputs: the league's ``settings`` (``start_week``,
``last_scored_leg``, ``playoff_week_start``, ``playoff_teams``, ``playoff_round_type``) and ``state/nfl``
(the NFL's current season, season type and week). A week in progress counts as played (its points are partial
until the week is scored, and a later snapshot replaces them).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

MAX_WEEK = 18  # the last week of an NFL regular season since 2021; Sleeper leagues end by then
IN_SEASON_TYPES = frozenset({"regular", "post"})


def _int(value: Any, default: int = 0) -> int:
    try:
        return int(value) if value not in (None, "") else default
    except (TypeError, ValueError):
        return default


def final_week(settings: Mapping[str, Any]) -> int:
    """The league's last week: the playoffs' last round (``playoff_round_type`` 1 = two-week final, 2 = two weeks
    per round), or the last scored week when the league has no playoffs; never past week 18."""
    start = _int(settings.get("playoff_week_start"))
    teams = _int(settings.get("playoff_teams"))
    if start <= 0 or teams < 2:
        return min(MAX_WEEK, _int(settings.get("last_scored_leg")) or MAX_WEEK)
    rounds = math.ceil(math.log2(teams))
    kind = _int(settings.get("playoff_round_type"))
    weeks = rounds * 2 if kind == 2 else rounds + 1 if kind == 1 else rounds
    return min(MAX_WEEK, start - 1 + weeks)


def played_weeks(season: int, status: str | None, settings: Mapping[str, Any],
                 state: Mapping[str, Any] | None) -> list[int]:
    """Weeks ``start_week``..(last played) of a league season.

    A complete league (or one from a season before the NFL's current one) is played up to ``last_scored_leg``
    (or its final week when that is missing). A league in the NFL's current season is played up to the later of
    ``last_scored_leg`` and the current week (none before the regular season starts).
    """
    start = max(1, _int(settings.get("start_week"), 1))
    last = final_week(settings)
    scored = _int(settings.get("last_scored_leg"))
    state_season = _int((state or {}).get("season"))
    if status == "complete" or (state_season and season < state_season):
        played = scored or last
    elif state and state_season == season and str(state.get("season_type")) in IN_SEASON_TYPES:
        played = max(scored, _int(state.get("week")))
    else:
        played = scored
    return list(range(start, min(played, last) + 1))


def playoffs_seeded(status: str | None, settings: Mapping[str, Any]) -> bool:
    """Brackets are fetched once the regular season is scored (seeds set): before that there is nothing to keep."""
    start = _int(settings.get("playoff_week_start"))
    if start <= 0:
        return False
    return status == "complete" or _int(settings.get("last_scored_leg")) >= start - 1
