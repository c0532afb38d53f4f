"""Manifest coverage: the counting path for integer seasons/weeks and the general query give the same answer."""

from __future__ import annotations

import polars as pl
import pytest

from ff_analytics.snapshots.manifest import Coverage, _integer_periods, coverage_of


def _general(frames: list[pl.DataFrame]) -> Coverage | None:
    """coverage_of with every column as text, so only the general (cast) query can run."""
    return coverage_of([f.with_columns(pl.all().cast(pl.String)) for f in frames])


FRAMES = {
    "one frame, shuffled": [pl.DataFrame({"season": [2024, 2023, 2024, 2023, 2024], "week": [3, 1, 1, 1, 18]})],
    "two frames, narrow ints": [
        pl.DataFrame({"season": [2019, 2019], "week": [1, 2]}, schema={"season": pl.Int16, "week": pl.UInt8}),
        pl.DataFrame({"season": [2024], "week": [22]}, schema={"season": pl.Int16, "week": pl.UInt8}),
    ],
    "season only": [pl.DataFrame({"season": [2021, 2020, 2021]})],
    "week in one frame only": [pl.DataFrame({"season": [2020], "week": [5]}), pl.DataFrame({"season": [2021]})],
}


@pytest.mark.parametrize("name", FRAMES)
def test_counting_path_matches_the_general_query(name: str) -> None:
    frames = FRAMES[name]
    cols = ["season", "week"] if all("week" in f.columns for f in frames) else ["season"]
    assert _integer_periods(frames, cols) is not None  # the fast path really runs for these
    assert coverage_of(frames) == _general(frames)


def test_coverage_values() -> None:
    cov = coverage_of(FRAMES["one frame, shuffled"])
    assert cov == Coverage(min_season=2023, max_season=2024, weeks={"2023": [1], "2024": [1, 3, 18]})
    assert coverage_of(FRAMES["season only"]) == Coverage(min_season=2020, max_season=2021, weeks={})


def test_nulls_text_and_wide_ranges_take_the_general_query() -> None:
    with_nulls = pl.DataFrame({"season": [2024, None, 2023], "week": [2, 1, None]})
    assert _integer_periods([with_nulls], ["season", "week"]) is None
    assert coverage_of([with_nulls]) == Coverage(min_season=2023, max_season=2024, weeks={"2024": [2]})

    text = pl.DataFrame({"season": ["2024", "not a season"], "week": [1, 2]})
    assert coverage_of([text]) == Coverage(min_season=2024, max_season=2024, weeks={"2024": [1]})

    wide = pl.DataFrame({"season": [0, 2_000_000_000], "week": [1, 1]})
    assert _integer_periods([wide], ["season", "week"]) is None
    assert coverage_of([wide]) == Coverage(min_season=0, max_season=2_000_000_000,
                                           weeks={"0": [1], "2000000000": [1]})


def test_no_season_no_coverage() -> None:
    assert coverage_of([pl.DataFrame({"week": [1]})]) is None
    assert coverage_of([pl.DataFrame({"season": [], "week": []}, schema={"season": pl.Int32, "week": pl.Int32})]) \
        is None
