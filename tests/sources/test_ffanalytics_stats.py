"""Statistical helpers against values computed by hand (R conventions: type-7 quantiles, sd n-1, mad 1.4826)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from ff_analytics.sources.ffanalytics import stats
from ff_analytics.sources.ffanalytics.tiers import dense_rank_desc, tiers_and_vor


def test_quantile7_interpolates_between_order_statistics():
    # n = 4: 0-based index (n-1)p = 0.15 -> 1 + 0.15 * (2 - 1); 2.85 -> 3 + 0.85 * (4 - 3)
    assert stats.quantile7_1d([4, 1, 3, 2], 0.05) == pytest.approx(1.15)
    assert stats.quantile7_1d([4, 1, 3, 2], 0.95) == pytest.approx(3.85)
    assert stats.quantile7_1d([7.0], 0.05) == 7.0  # one value: the value itself
    assert stats.quantile7_1d([5, 5, 5], 0.95) == 5.0  # ties


def test_mad_scaled_and_undefined_below_two_values():
    # median 3, |x - 3| = 2, 1, 0, 1, 7 -> median 1 -> x 1.4826
    assert stats.mad_1d([1, 2, 3, 4, 10]) == pytest.approx(1.4826)
    # even count: median (2 + 3) / 2 = 2.5, deviations 1.5, .5, .5, 1.5 -> median 1
    assert stats.mad_1d([1, 2, 3, 4]) == pytest.approx(1.4826)
    assert math.isnan(stats.mad_1d([3.0]))


def test_hodges_lehmann_uses_pairwise_means_including_self():
    # values 1, 2, 4 and pair means 1.5, 2.5, 3 -> sorted 1, 1.5, 2, 2.5, 3, 4 -> median 2.25
    assert stats.hodges_lehmann_1d([4, 1, 2]) == pytest.approx(2.25)
    assert stats.hodges_lehmann_1d([1, 9]) == pytest.approx(5.0)  # n <= 2: the mean
    assert stats.hodges_lehmann_1d([6.0]) == 6.0
    # ties: 2, 2, 2, 10 -> means 2 (x3 values, x3 pairs), 6 (x3), and 10 -> median of 10 values = 2
    assert stats.hodges_lehmann_1d([2, 2, 2, 10]) == pytest.approx(2.0)


def test_weighted_mean_and_reliability_weighted_sd():
    assert stats.weighted_mean_1d([1, 2, 4], [1, 1, 2]) == pytest.approx(2.75)
    # V1 = 4, V2 = 6; sum w (x - 2.75)^2 = 3.0625 + 0.5625 + 3.125 = 6.75; 4 / (16 - 6) * 6.75 = 2.7
    assert stats.weighted_sd_1d([1, 2, 4], [1, 1, 2]) == pytest.approx(math.sqrt(2.7))


def test_zero_weights_are_ignored_by_spread_and_quantiles():
    assert stats.weighted_mean_1d([1, 2, 4, 100], [1, 1, 2, 0]) == pytest.approx(2.75)
    assert stats.weighted_sd_1d([1, 2, 4, 100], [1, 1, 2, 0]) == pytest.approx(math.sqrt(2.7))
    with_zero = stats.harrell_davis_1d([0, 3, 9, 50], [1, 1, 1, 0], (0.25,))
    without = stats.harrell_davis_1d([0, 3, 9], [1, 1, 1], (0.25,))
    assert with_zero == pytest.approx(without)
    assert math.isnan(stats.weighted_sd_1d([1, 2], [1, 0]))  # one positive weight: undefined
    assert math.isnan(stats.weighted_mean_1d([1, 2], [0, 0]))  # all zero: NaN, as R's 0/0


def test_harrell_davis_matches_closed_form_beta():
    # three equal weights: n* = 3; p = .25 -> Beta(1, 3), I_x = 1 - (1 - x)^3
    # slices at 1/3, 2/3: masses 19/27, 7/27, 1/27 -> 0 * 19/27 + 3 * 7/27 + 9 * 1/27 = 30/27
    (q,) = stats.harrell_davis_1d([9, 0, 3], [1, 1, 1], (0.25,))
    assert q == pytest.approx(30 / 27)
    # symmetric case: two equal weights, p = .5 -> Beta(1.5, 1.5), half the mass each side
    assert stats.harrell_davis_1d([0, 1], [2, 2], (0.5,))[0] == pytest.approx(0.5)
    assert math.isnan(stats.harrell_davis_1d([4.0], [1.0], (0.05,))[0])


def test_harrell_davis_dedup_matches_direct_evaluation():
    rng = np.random.default_rng(3)
    x = np.sort(rng.normal(10, 3, (400, 6)), axis=1)
    code = np.argsort(rng.random((400, 6)), axis=1)  # a distinct source per cell
    w = np.take_along_axis(np.array([0.0, 0.1, 0.12, 0.3, 0.2, 0.05])[None, :].repeat(400, 0), code, axis=1)
    bits = np.left_shift(np.int64(1), code.astype(np.int64))
    fast = stats.harrell_davis(x, w, (0.05, 0.95), bits)
    slow = stats.harrell_davis(x, w, (0.05, 0.95), None)
    for a, b in zip(fast, slow, strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-12, equal_nan=True)


def test_nan_values_are_dropped_by_one_row_helpers():
    assert stats.quantile7_1d([1, float("nan"), 2, 3, 4], 0.05) == pytest.approx(1.15)
    assert stats.weighted_mean_1d([1, float("nan"), 4], [1, 5, 1]) == pytest.approx(2.5)


def test_dense_rank_ties_and_nan():
    ranks = dense_rank_desc(np.array([3.0, 5.0, 5.0, np.nan, 1.0]))
    np.testing.assert_array_equal(ranks, [2.0, 1.0, 1.0, np.nan, 3.0])


def _tiers(points, sd, baseline=2, threshold=1.0):
    points = np.asarray(points, dtype=float)
    n = points.size
    return tiers_and_vor(points, np.full(n, sd), points - 1, points + 1, np.zeros(n, dtype=np.int64), ["QB"],
                         np.zeros(n, dtype=np.int64), np.arange(n), {"QB": baseline}, {"QB": threshold})


def test_tiers_dropoff_and_vor_by_hand():
    res = _tiers([18, 20, 10, 17], sd=2.0)
    keep = res["keep"]
    # output order is by points descending: 20, 18, 17, 10
    np.testing.assert_array_equal(keep, [1, 0, 3, 2])
    # dropoff = gap to the next lower player: 2, 1, 7, 0
    np.testing.assert_allclose(res["dropoff"][keep], [2, 1, 7, 0])
    # cumulative dropoff after the first: 0, 1, 8, 8; / (median sd 2 x 1) -> 0, .5, 4, 4 -> tiers 1, 1, 2, 2
    np.testing.assert_allclose(res["tier"][keep], [1, 1, 2, 2])
    # baseline QB2 = 18 points -> VOR 2, 0, -1, -8; floor/ceiling shift by the same constant
    np.testing.assert_allclose(res["points_vor"][keep], [2, 0, -1, -8])
    np.testing.assert_allclose(res["floor_vor"][keep], [2, 0, -1, -8])
    np.testing.assert_allclose(res["rank"][keep], [1, 2, 3, 4])
    np.testing.assert_allclose(res["pos_rank"][keep], [1, 2, 3, 4])


def test_tied_points_share_rank_and_zero_points_are_dropped():
    res = _tiers([20, 18, 18, 10, 0], sd=2.0)
    keep = res["keep"]
    assert 4 not in keep  # 0 points: no consensus row (ffanalytics keeps points > 0 only)
    np.testing.assert_allclose(res["pos_rank"][keep], [1, 2, 2, 3])
    np.testing.assert_allclose(res["points_vor"][keep], [2, 0, 0, -8])


def test_tiers_undefined_without_spread_and_vor_falls_back_to_top_player():
    res = _tiers([20, 18, 10], sd=np.nan, baseline=13)
    assert np.isnan(res["tier"]).all()  # single-source data: no sd, so no tiers (as in R)
    # nobody is ranked 13th: like R's which.max, the reference is the first (top) player
    np.testing.assert_allclose(res["points_vor"][res["keep"]], [0, -2, -10])


def test_hodges_lehmann_matrix_matches_brute_force():
    rng = np.random.default_rng(5)
    for n in range(1, 13):
        x = np.sort(np.round(rng.gamma(3.0, 4.0, (50, n)), 1), axis=1)  # rounding makes ties
        got = stats.hodges_lehmann(x)
        for row, value in zip(x, got, strict=True):
            if n <= 2:
                want = row.mean()
            else:
                want = np.median([(row[i] + row[j]) / 2 for i in range(n) for j in range(i, n)])
            assert value == pytest.approx(want, rel=1e-12)


def _tiers_reference(points, sd, floor, ceiling, block, block_pos, period, tie_key, baseline, threshold):
    """A plain per-block loop over the documented rules, to check the vectorised version against."""
    res = {k: np.full(points.size, np.nan) for k in ("dropoff", "tier", "pos_rank", "points_vor", "floor_vor",
                                                     "ceiling_vor", "rank", "floor_rank", "ceiling_rank")}
    keep = []
    ok = np.isfinite(points) & (points > 0)
    for b in sorted(set(block[ok].tolist())):
        idx = [i for i in np.flatnonzero(ok & (block == b))]
        desc = sorted(idx, key=lambda i: (-points[i], tie_key[i]))
        pos = block_pos[b]
        for k, i in enumerate(desc):
            lower = next((j for j in desc[k + 1:] if points[j] < points[i]), None)
            first_of_tie = k == 0 or points[desc[k - 1]] != points[i]
            res["dropoff"][i] = points[i] - points[lower] if (first_of_tie and lower is not None) else 0.0
        sds = [sd[i] for i in desc if not np.isnan(sd[i])]
        scale = (np.median(sds) if sds else np.nan) * threshold.get(pos, np.nan)
        if np.isfinite(scale) and scale > 0:
            cum = np.cumsum([res["dropoff"][i] for i in desc])
            raw = 1 + np.trunc((cum - cum[0]) / scale)
            for i, t in zip(desc, raw, strict=True):
                res["tier"][i] = sorted(set(raw.tolist())).index(t) + 1
        for col, vals in (("points", points), ("floor", floor), ("ceiling", ceiling)):
            distinct = sorted({vals[i] for i in desc if not np.isnan(vals[i])}, reverse=True)
            ranks = {i: distinct.index(vals[i]) + 1 for i in desc if not np.isnan(vals[i])}
            if col == "points":
                for i in desc:
                    res["pos_rank"][i] = ranks[i]
            base = baseline.get(pos)
            hit = [i for i in desc if ranks.get(i) == base]
            ranked = [i for i in desc if i in ranks]
            ref = np.nan if base is None else vals[hit[0]] if hit else vals[ranked[0]] if ranked else np.nan
            for i in desc:
                res[f"{col}_vor"][i] = vals[i] - ref
        keep += desc
    for p in set(period[keep].tolist()):
        members = [i for i in keep if period[i] == p]
        for col, src in (("rank", "points_vor"), ("floor_rank", "floor_vor"), ("ceiling_rank", "ceiling_vor")):
            distinct = sorted({res[src][i] for i in members if not np.isnan(res[src][i])}, reverse=True)
            for i in members:
                if not np.isnan(res[src][i]):
                    res[col][i] = distinct.index(res[src][i]) + 1
    return np.array(keep, dtype=np.int64), res


def test_vectorised_tiers_match_a_per_block_loop():
    rng = np.random.default_rng(8)
    n = 600
    points = np.round(rng.gamma(2.0, 5.0, n), 0) - 1.0  # whole points: many ties, some <= 0 (dropped)
    points[rng.random(n) < 0.03] = np.nan
    sd = np.where(rng.random(n) < 0.1, np.nan, rng.gamma(2.0, 1.0, n))
    floor = np.where(rng.random(n) < 0.05, np.nan, np.round(points - rng.gamma(2.0, 1.0, n)))
    ceiling = np.round(points + rng.gamma(2.0, 1.0, n))
    block_pos = ["QB", "RB", "WR", "DST", "XX"] * 2  # XX: no baseline and no tier threshold
    block = rng.integers(0, len(block_pos), n)
    period = block // 5
    tie_key = rng.permutation(n).astype(float)
    baseline = {"QB": 3, "RB": 5, "WR": 40, "DST": 2}  # WR40 is never reached: falls back to the top player
    threshold = {"QB": 1.0, "RB": 0.5, "WR": 1.0, "DST": 0.1}
    args = (points, sd, floor, ceiling, block, block_pos, period, tie_key, baseline, threshold)
    want_keep, want = _tiers_reference(*args)
    for key in (tie_key, lambda idx: tie_key[idx]):  # the tie-break may also be asked for lazily
        got = tiers_and_vor(*args[:7], key, *args[8:])
        np.testing.assert_array_equal(got["keep"], want_keep)
        for col, values in want.items():
            np.testing.assert_allclose(got[col], values, rtol=1e-12, atol=1e-12, equal_nan=True, err_msg=col)
