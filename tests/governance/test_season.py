"""Season-aware row-count bounds on the recorded 2024 schedule and weekly stats: a new week in season is expected
growth, a missing or oversized week is flagged, and off-season growth that a fixed ±50 % would pass is flagged."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import polars as pl
import pytest

from ff_analytics.governance.anomalies import check_row_count_anomaly
from ff_analytics.governance.season import nfl_calendar
from ff_analytics.snapshots.store import SnapshotStore
from tests.governance.tree import recording


@pytest.fixture
def store(data_root: Path) -> SnapshotStore:
    """A root with the recorded 2024 schedule current (272 regular-season and 13 postseason games)."""
    store = SnapshotStore()
    store.write("nflverse", "schedule", recording("nflverse", "schedule", "schedule.parquet"), dt="2024-09-01")
    store.registry.promote("nflverse", "schedule")
    return store


def weekly(last_week: int) -> pl.DataFrame:
    return recording("nflverse", "weekly", "weekly.parquet").filter(pl.col("week") <= last_week)


def check(store: SnapshotStore, base: pl.DataFrame, base_dt: str, new: pl.DataFrame, new_dt: str):
    store.write("nflverse", "weekly", base, dt=base_dt)
    store.registry.promote("nflverse", "weekly")
    store.write("nflverse", "weekly", new, dt=new_dt)
    return check_row_count_anomaly(store, "nflverse", "weekly", new_dt)


def test_calendar_counts_games_and_weeks_between_snapshots(store: SnapshotStore) -> None:
    cal = nfl_calendar(store)
    assert cal is not None
    assert cal.weeks_between(date(2024, 11, 12), date(2024, 11, 19)) == 1  # week 11: Thu 14 to Mon 18
    assert cal.played_between(date(2024, 11, 12), date(2024, 11, 19)).height == 14
    assert cal.games_in({"2024": [1, 10]}) == 30
    assert cal.in_season(date(2024, 12, 1)) and not cal.in_season(date(2025, 4, 1))


def test_a_new_week_in_season_is_expected_growth(store: SnapshotStore) -> None:
    base, new = weekly(10), weekly(11)
    assert new.height / base.height - 1 > 0.05  # more than the in-season drop/off-season growth bounds
    assert check(store, base, "2024-11-12", new, "2024-11-19") == []


def test_a_week_that_did_not_arrive_is_flagged_in_season(store: SnapshotStore) -> None:
    same = weekly(10).head(weekly(10).height - 1)  # a re-fetch with one row corrected away, no week 11
    [found] = check(store, weekly(10), "2024-11-12", same, "2024-11-19")
    assert (found.code, found.severity) == ("row_count_stalled", "warning")
    assert "short of the expected growth" in found.message and "14 games in 1 NFL week(s) since 2024-11-12" \
        in found.message


def test_several_weeks_at_once_in_one_week_is_flagged(store: SnapshotStore) -> None:
    [found] = check(store, weekly(10), "2024-11-12", weekly(14), "2024-11-19")
    assert found.code == "row_count_growth" and "beyond the expected growth" in found.message


def test_off_season_growth_that_a_fixed_bound_passes_is_flagged(store: SnapshotStore) -> None:
    full = weekly(22)
    grown = pl.concat([full, full.head(full.height // 10)])  # +10 %: within the fixed ±50 %, not flat
    [found] = check(store, full, "2025-03-01", grown, "2025-04-01")
    assert found.code == "row_count_growth" and "off season (no NFL games between 2025-03-01 and 2025-04-01)" \
        in found.message
    assert store.config.bounds_for("nflverse", "weekly").max_growth_pct == 50


def test_a_drop_in_season_is_an_error(store: SnapshotStore) -> None:
    [found] = check(store, weekly(11), "2024-11-12", weekly(11).head(weekly(11).height * 9 // 10), "2024-11-19")
    assert (found.code, found.severity) == ("row_count_drop", "error")


def test_without_a_schedule_the_fixed_bounds_apply(data_root: Path) -> None:
    store = SnapshotStore()
    same = weekly(10).head(weekly(10).height - 1)
    assert check(store, weekly(10), "2024-11-12", same, "2024-11-19") == []  # flat is fine for the fixed ±%
