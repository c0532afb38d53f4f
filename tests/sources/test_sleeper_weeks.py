"""Which weeks a Sleeper season walk fetches, and that the walk is paced: one request per endpoint and week."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from ff_analytics.sources.http import RateLimiter
from ff_analytics.sources.sleeper import ingest_sleeper
from ff_analytics.sources.sleeper.weeks import final_week, played_weeks, playoffs_seeded
from tests.sources.test_sleeper_ingest import LEAGUE_2025, recorded, recorded_leagues, sleeper_replay


class RecordingLimiter(RateLimiter):
    """The real limiter, keeping the time each call was let through (client-side: no server jitter)."""

    def __init__(self, max_calls: int, per_seconds: float) -> None:
        super().__init__(max_calls, per_seconds)
        self.granted: list[float] = []

    def wait(self) -> None:
        super().wait()
        self.granted.append(self._calls[-1])


SETTINGS = {"start_week": 1, "playoff_week_start": 15, "playoff_teams": 6, "playoff_round_type": 0}
STATE_2025_W5 = {"season": "2025", "season_type": "regular", "week": 5}


def test_final_week_follows_the_playoff_format() -> None:
    assert final_week(SETTINGS) == 17  # 3 rounds from week 15
    assert final_week({**SETTINGS, "playoff_round_type": 1}) == 18  # two-week final
    assert final_week({**SETTINGS, "playoff_teams": 4, "playoff_week_start": 14, "playoff_round_type": 2}) == 17
    assert final_week({"playoff_week_start": 0, "last_scored_leg": 13}) == 13  # no playoffs
    assert final_week({**SETTINGS, "playoff_week_start": 17, "playoff_teams": 8}) == 18  # never past week 18


def test_played_weeks() -> None:
    # complete league: up to its last scored week
    assert played_weeks(2024, "complete", {**SETTINGS, "last_scored_leg": 17}, STATE_2025_W5) == list(range(1, 18))
    # in season: up to the current week (in progress) even when only 4 are scored
    assert played_weeks(2025, "in_season", {**SETTINGS, "last_scored_leg": 4}, STATE_2025_W5) == [1, 2, 3, 4, 5]
    # a past season never marked complete still ends at its last scored week
    assert played_weeks(2024, "in_season", {**SETTINGS, "last_scored_leg": 16}, STATE_2025_W5) == \
        list(range(1, 17))
    # before the regular season: nothing played
    assert played_weeks(2025, "pre_draft", {**SETTINGS, "last_scored_leg": 0},
                        {"season": "2025", "season_type": "pre", "week": 1}) == []
    # start_week and the final week bound the range
    assert played_weeks(2025, "in_season", {**SETTINGS, "start_week": 3, "last_scored_leg": 0},
                        {**STATE_2025_W5, "week": 25}) == list(range(3, 18))


def test_brackets_only_once_seeded() -> None:
    assert not playoffs_seeded("in_season", {**SETTINGS, "last_scored_leg": 11})
    assert playoffs_seeded("in_season", {**SETTINGS, "last_scored_leg": 14})
    assert playoffs_seeded("complete", SETTINGS)
    assert not playoffs_seeded("complete", {**SETTINGS, "playoff_week_start": 0})


def test_season_walk_is_one_request_per_endpoint_and_week_and_paced(monkeypatch: pytest.MonkeyPatch,
                                                                     data_root: Path) -> None:
    """Three seasons of transactions (18 weeks each) and matchups (weeks played), through a tight limiter:
    no path asked twice, and no window of the limiter's length holds more calls than it allows."""
    limiter = RecordingLimiter(max_calls=20, per_seconds=0.5)
    with sleeper_replay(monkeypatch) as server:
        results = ingest_sleeper(["transactions", "matchups", "brackets"], seasons="2023-2025", dt="2025-10-01",
                                 limiter=limiter)
        requests = list(server.requests)
    paths = Counter(r.path for r in requests)
    assert max(paths.values()) == 1
    leagues = {int(lg["season"]): lg["league_id"] for lg in recorded_leagues()}
    matchup_weeks = {s: sorted(int(p.rsplit("/", 1)[1]) for p in paths if p.startswith(f"/league/{lid}/matchups/"))
                     for s, lid in leagues.items()}
    assert matchup_weeks == {2023: list(range(1, 18)), 2024: list(range(1, 18)), 2025: [1, 2, 3, 4, 5]}
    assert all(sum(p.startswith(f"/league/{lid}/transactions/") for p in paths) == 18 for lid in leagues.values())
    assert f"/league/{LEAGUE_2025}/winners_bracket" not in paths  # 2025 not seeded yet
    assert len(limiter.granted) == len(requests)  # every request went through the limiter
    times = limiter.granted
    gaps = [times[i + 20] - times[i] for i in range(len(times) - 20)]
    assert len(times) > 60 and min(gaps) >= 0.5, sorted(gaps)[:3]  # unpaced, 21 calls take ~0.05 s
    by_name = {r.dataset: r for r in results}
    assert by_name["matchups"].row_count == sum(len(recorded(f"/league/{lid}/matchups/{w}"))
                                                for s, lid in leagues.items() for w in matchup_weeks[s])
    assert by_name["brackets"].manifest.params["bracket_seasons"] == [2023, 2024]


def test_default_pacing_stays_under_sleepers_limit() -> None:
    """Sleeper asks for fewer than 1,000 calls a minute; every client paces itself to the configured limit."""
    from ff_analytics.settings import get_settings
    from ff_analytics.sources.sleeper.client import SleeperClient

    with SleeperClient("http://127.0.0.1:9") as api:
        limiter = api._http.limiter
    assert limiter is not None and limiter.per_seconds == 60.0
    assert limiter.max_calls == get_settings().sleeper_max_calls_per_minute < 1000
