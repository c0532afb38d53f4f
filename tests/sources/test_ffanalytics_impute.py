"""Imputation against a player-by-player transcription of ffanalytics' ``derive_from_rate`` / ``derive_from_mean``."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

from ff_analytics.sources.ffanalytics.groups import group_rows
from ff_analytics.sources.ffanalytics.impute import impute_missing, kicker_totals


def derive_from_rate(need: np.ndarray, ref: np.ndarray | None) -> np.ndarray:
    """R's function, line by line: ``sum(need / ref, na.rm = TRUE) / sum(!idx)`` unless a present row's ref is 0."""
    idx = np.isnan(need)
    if idx.all():
        return need
    out = need.copy()
    if ref is None or np.any(ref[~idx] == 0):
        out[idx] = np.mean(need[~idx])
        return out
    ratio = need[~idx] / ref[~idx]
    out[idx] = np.sum(ratio[~np.isnan(ratio)]) / np.count_nonzero(~idx) * ref[idx]
    return out


def random_table(seed: int, players: int = 400) -> pl.DataFrame:
    """Players with 1-10 sources; ~30 % of the stat and ~20 % of the partner missing, ~10 % zero partners."""
    rng = np.random.default_rng(seed)
    sizes = rng.integers(1, 11, players)
    pid = np.repeat(np.arange(players), sizes)
    src = np.concatenate([rng.permutation(10)[:n] for n in sizes])
    n = pid.size
    ref = np.round(rng.gamma(3.0, 20.0, n), 1)
    ref[rng.random(n) < 0.1] = 0.0
    ref[rng.random(n) < 0.2] = np.nan
    need = np.round(rng.gamma(2.0, 0.4, n), 2)
    need[rng.random(n) < 0.3] = np.nan
    order = rng.permutation(n)  # rows of a player are scattered, as in a real long table
    return pl.DataFrame({"season": 2024, "week": 5, "pos": "RB", "id": pid[order].astype(str),
                         "data_src": src[order].astype(str), "rush_yds": ref[order], "rush_tds": need[order]})


@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize("with_partner", [True, False])
def test_fill_equals_r_player_by_player(seed: int, with_partner: bool):
    df = random_table(seed)
    groups = group_rows(df)
    columns = {"rush_tds": df["rush_tds"].to_numpy().copy()}
    if with_partner:
        columns["rush_yds"] = df["rush_yds"].to_numpy()
    before = columns["rush_tds"].copy()
    filled = impute_missing(columns, ["rush_tds"], groups, np.zeros(groups.count, dtype=np.int64), ["RB"],
                            {"RB": {"rush_tds"}})
    want = before.copy()
    ids = df["id"].to_numpy()
    ref = columns.get("rush_yds")
    for pid in np.unique(ids):
        rows = np.flatnonzero(ids == pid)
        want[rows] = derive_from_rate(before[rows], None if ref is None else ref[rows])
    got = columns["rush_tds"]
    np.testing.assert_array_equal(np.isnan(got), np.isnan(want))
    np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-15)
    assert filled["rush_tds"] == int(np.isnan(before).sum() - np.isnan(got).sum()) > 100
    np.testing.assert_array_equal(before, df["rush_tds"].to_numpy())  # the frame's data is never written


def test_unscored_positions_are_left_alone():
    df = random_table(4)
    groups = group_rows(df)
    columns = {"rush_tds": df["rush_tds"].to_numpy().copy()}
    assert impute_missing(columns, ["rush_tds"], groups, np.zeros(groups.count, dtype=np.int64), ["RB"],
                          {"RB": set()}) == {}
    np.testing.assert_array_equal(columns["rush_tds"], df["rush_tds"].to_numpy())


def test_kicker_totals_touch_kicker_rows_without_a_total_only():
    nan = np.nan
    columns = {"fg": np.array([2.0, nan, nan, nan]), "fg_2029": np.array([1.0, 1.0, nan, 5.0]),
               "fg_50": np.array([1.0, 0.5, nan, 5.0])}
    original = columns["fg"]
    assert kicker_totals(columns, np.array([0, 1, 2])) == {"fg": 2}
    # row 1: 1 + 0.5; row 2: no bucket -> 0 (R's rowSums(na.rm = TRUE)); row 3 is not a kicker
    np.testing.assert_array_equal(columns["fg"], [2.0, 1.5, 0.0, nan])
    assert np.isnan(original[1])  # a copy was filled
