"""``consensus()`` on small tables with values worked out by hand, one test per avg_type and edge case."""

from __future__ import annotations

import math

import numpy as np
import polars as pl
import pytest
from scipy.special import betainc

from ff_analytics.errors import ConfigError, SourceError
from ff_analytics.settings import get_settings
from ff_analytics.sources.ffanalytics import build_consensus, consensus
from ff_analytics.sources.ffanalytics.rows import source_points
from ff_analytics.sources.ffanalytics.scoring import (
    ScoringRules,
    build_scoring_table,
    load_scoring_rules,
    points_expr,
    score_rows,
)
from ff_analytics.sources.ffanalytics.weights import SourceWeights

# 0.04 per passing yard only, so a row's points are pass_yds / 25
RULES = ScoringRules({"pass_yd": 0.04, "pass_td": 4.0, "rush_yd": 0.1, "rush_td": 6.0}, "sleeper", "test")
WEIGHTS = SourceWeights({"a": 1.0, "b": 1.0, "c": 2.0, "z": 0.0}, {}, "test")


def raw(rows: list[tuple]) -> pl.DataFrame:
    """rows of (data_src, id, pos, pass_yds[, pass_tds, pass_comp])."""
    cols = ["data_src", "id", "pos", "pass_yds", "pass_tds", "pass_comp"]
    padded = [tuple(r) + (0.0,) * (len(cols) - len(r)) for r in rows]
    df = pl.DataFrame(padded, schema=cols, orient="row")
    return df.with_columns(pl.lit(2024).alias("season"), pl.lit(1).alias("week"),
                           pl.col("id").alias("player"))


def row(df: pl.DataFrame, avg_type: str, pid: str) -> dict:
    hit = df.filter((pl.col("avg_type") == avg_type) & (pl.col("id") == pid))
    assert hit.height == 1, f"{avg_type}/{pid}: {hit.height} rows"
    return hit.row(0, named=True)


THREE = raw([("A", "p1", "QB", 250.0), ("B", "p1", "QB", 300.0), ("C", "p1", "QB", 500.0)])  # 10, 12, 20 pts


def test_average_by_hand():
    r = row(consensus(THREE, RULES, WEIGHTS), "average", "p1")
    assert r["points"] == pytest.approx(14.0)
    assert r["sd_pts"] == pytest.approx(math.sqrt(28.0))  # (16 + 4 + 36) / 2
    assert r["floor"] == pytest.approx(10.2)  # index 0.1 between 10 and 12
    assert r["ceiling"] == pytest.approx(19.2)  # index 1.9 between 12 and 20
    assert (r["source_count"], r["total_weight"]) == (3, pytest.approx(4.0))


def test_robust_by_hand():
    r = row(consensus(THREE, RULES, WEIGHTS), "robust", "p1")
    assert r["points"] == pytest.approx(13.5)  # 10, 11, 12, 15, 16, 20 -> (12 + 15) / 2
    assert r["sd_pts"] == pytest.approx(2 * 1.4826)  # |x - 12| = 2, 0, 8 -> median 2
    assert (r["floor"], r["ceiling"]) == (pytest.approx(10.2), pytest.approx(19.2))


def test_weighted_by_hand():
    r = row(consensus(THREE, RULES, WEIGHTS), "weighted", "p1")
    assert r["points"] == pytest.approx(15.5)  # (10 + 12 + 2 * 20) / 4
    assert r["sd_pts"] == pytest.approx(math.sqrt(0.4 * 83.0))  # 4 / (16 - 6) * (30.25 + 12.25 + 40.5)
    # Harrell-Davis: n* = 16 / 6, CDF slices at 1/4, 1/2 (sorted 10, 12, 20 with weights 1, 1, 2)
    n_eff = 16 / 6
    for p, key in ((0.05, "floor"), (0.95, "ceiling")):
        a, b = (n_eff + 1) * p, (n_eff + 1) * (1 - p)
        i1, i2 = betainc(a, b, 0.25), betainc(a, b, 0.5)
        assert r[key] == pytest.approx(10 * i1 + 12 * (i2 - i1) + 20 * (1 - i2), rel=1e-12)


def test_single_source_player():
    df = consensus(raw([("A", "solo", "QB", 375.0)]), RULES, WEIGHTS)
    avg, rob, wtd = (row(df, t, "solo") for t in ("average", "robust", "weighted"))
    assert avg["points"] == rob["points"] == wtd["points"] == pytest.approx(15.0)
    assert avg["sd_pts"] is None and rob["sd_pts"] is None and wtd["sd_pts"] is None
    assert avg["floor"] == avg["ceiling"] == pytest.approx(15.0)  # quantiles of one value
    assert wtd["floor"] is None and wtd["ceiling"] is None  # weighted quantiles need 2+ weighted values
    assert avg["tier"] is None  # no spread anywhere -> no tiers (R gives NA too)
    # R errors here for "weighted" (no floor to take the VOR reference from); the port keeps what is defined
    assert wtd["points_vor"] == pytest.approx(0.0) and wtd["rank"] == 1
    assert wtd["floor_vor"] is None and wtd["ceiling_vor"] is None and wtd["tier"] is None


def test_zero_weights():
    df = consensus(raw([("A", "p1", "QB", 250.0), ("Z", "p1", "QB", 1000.0),
                        ("Z", "p2", "QB", 250.0)]), RULES, WEIGHTS)
    # a zero-weight source does not move the weighted mean ...
    assert row(df, "weighted", "p1")["points"] == pytest.approx(10.0)
    # ... but counts for the unweighted types
    assert row(df, "average", "p1")["points"] == pytest.approx(25.0)
    # only zero weights: the weighted mean is undefined, so the player has no weighted row
    assert df.filter((pl.col("avg_type") == "weighted") & (pl.col("id") == "p2")).height == 0
    assert row(df, "average", "p2")["points"] == pytest.approx(10.0)


def test_ties_share_ranks():
    df = consensus(raw([("A", "x", "QB", 250.0), ("A", "y", "QB", 250.0), ("A", "z", "QB", 500.0)]),
                   RULES, WEIGHTS)
    avg = df.filter(pl.col("avg_type") == "average")
    assert avg["id"].to_list() == ["z", "x", "y"]  # points desc, ties by id
    assert avg["pos_rank"].to_list() == [1, 2, 2]
    assert avg["dropoff"].to_list() == pytest.approx([10.0, 0.0, 0.0])


def test_nan_stat_is_imputed_from_other_sources_rate():
    # pass_tds per completion: A 2/20, B 3/20 -> mean rate 0.125; C has 24 completions -> 3 TDs imputed
    df = raw([("A", "p1", "QB", 250.0, 2.0, 20.0), ("B", "p1", "QB", 250.0, 3.0, 20.0),
              ("C", "p1", "QB", 250.0, None, 24.0)]).with_columns(
        pl.col("pass_tds").fill_null(float("nan")))
    res = build_consensus(df, RULES, WEIGHTS)
    assert res.imputed_values == {"pass_tds": 1}
    # points: A 10 + 8, B 10 + 12, C 10 + 12 -> mean 62 / 3
    assert row(res.frame, "average", "p1")["points"] == pytest.approx(62 / 3)


def test_imputation_falls_back_to_mean_when_a_rate_partner_is_zero():
    df = raw([("A", "p1", "QB", 250.0, 2.0, 0.0), ("B", "p1", "QB", 250.0, 4.0, 20.0),
              ("C", "p1", "QB", 250.0, None, 24.0)])
    res = build_consensus(df, RULES, WEIGHTS)
    # A has a value but zero completions -> the mean of the others (3) is used: 8, 16, 12 TD points
    assert row(res.frame, "average", "p1")["points"] == pytest.approx(10 + 12)


def test_negative_yardage_is_kept():
    df = raw([("A", "p1", "QB", 100.0)]).with_columns(pl.lit(-20.0).alias("rush_yds"))
    res = build_consensus(df, RULES, WEIGHTS)
    assert row(res.frame, "average", "p1")["points"] == pytest.approx(4.0 - 2.0)
    assert res.raw.negative_values == {"rush_yds": 1}


def test_unknown_columns_are_ignored_and_listed():
    df = raw([("A", "p1", "QB", 250.0)]).with_columns(pl.lit(99.0).alias("mystery_stat"))
    res = build_consensus(df, RULES, WEIGHTS)
    assert res.raw.ignored_columns == ["mystery_stat"]
    assert row(res.frame, "average", "p1")["points"] == pytest.approx(10.0)


def test_rows_without_player_id_are_dropped_and_listed():
    df = raw([("A", "p1", "QB", 250.0), ("A", None, "QB", 300.0), ("B", "NA", "QB", 300.0)])
    res = build_consensus(df, RULES, WEIGHTS)
    assert len(res.raw.dropped_missing_id) == 2
    assert res.frame["id"].unique().to_list() == ["p1"]
    with pytest.raises(SourceError, match="no row has a player id"):
        consensus(raw([("A", None, "QB", 250.0)]), RULES, WEIGHTS)


def test_weights_missing_a_source_is_a_clear_error():
    with pytest.raises(ConfigError, match=r"no weight for source\(s\) \['Mystery'\]"):
        consensus(raw([("A", "p1", "QB", 250.0), ("Mystery", "p1", "QB", 250.0)]), RULES, WEIGHTS)


def test_duplicate_source_rows_are_rejected():
    with pytest.raises(SourceError, match="more than one row from the same source"):
        consensus(raw([("A", "p1", "QB", 250.0), ("A", "p1", "QB", 260.0)]), RULES, WEIGHTS)


def test_empty_and_keyless_frames_are_rejected():
    with pytest.raises(SourceError, match="no rows"):
        consensus(raw([("A", "p1", "QB", 250.0)]).clear(), RULES, WEIGHTS)
    with pytest.raises(SourceError, match="lacks required columns"):
        consensus(raw([("A", "p1", "QB", 250.0)]).drop("pos"), RULES, WEIGHTS)
    with pytest.raises(SourceError, match="non-numeric"):
        consensus(raw([("A", "p1", "QB", 250.0)]).with_columns(pl.lit("lots").alias("pass_tds")), RULES, WEIGHTS)


def test_league_rules_from_yaml_and_csv_score_alike():
    # Jalen Hurts' FantasyPros row, scored by hand with the league's 0.5 PPR / 4-pt pass TD rules:
    # 218.4 * .04 + 1.6 * 4 - .5 * 2 + 40.9 * .1 + .8 * 6 - .3 * 2 = 22.426
    df = pl.DataFrame({"data_src": ["FantasyPros"], "id": ["14783"], "pos": ["QB"], "season": [2024], "week": [1],
                       "pass_yds": [218.4], "pass_tds": [1.6], "pass_int": [0.5], "rush_yds": [40.9],
                       "rush_tds": [0.8], "fumbles_lost": [0.3]})
    weights = SourceWeights({"fantasypros": 0.1305}, {}, "t")
    league = get_settings().config_dir / "league"
    for path in (league / "sleeper_scoring_rules.yaml", league / "dim_scoring_rule.csv"):
        table = build_scoring_table(load_scoring_rules(path))
        got = row(consensus(df, table, weights), "average", "14783")["points"]
        assert got == pytest.approx(22.426)


def test_every_rule_scores_for_every_position():
    # ffanalytics' projections_table (and Sleeper) score a QB's receptions and a WR's passing like anyone's
    df = pl.DataFrame({"data_src": ["A", "A"], "id": ["wr", "qb"], "pos": ["WR", "QB"], "season": [2024] * 2,
                       "week": [1] * 2, "rec": [4.0, 4.0], "rec_yds": [50.0, 50.0], "pass_yds": [25.0, 250.0],
                       "pass_tds": [1.0, 0.0]})
    out = consensus(df, load_scoring_rules(), SourceWeights({"a": 1.0}, {}, "t"), avg_types=("average",))
    assert row(out, "average", "wr")["points"] == pytest.approx(4 * 0.5 + 5.0 + 1.0 + 4.0)
    assert row(out, "average", "qb")["points"] == pytest.approx(4 * 0.5 + 5.0 + 10.0)


def test_dst_points_allowed_bracket():
    df = pl.DataFrame({"data_src": ["A"] * 3, "id": ["d1", "d2", "d3"], "pos": ["DST"] * 3, "season": [2024] * 3,
                       "week": [1] * 3, "dst_sacks": [2.0, 2.0, 2.0], "dst_pts_allowed": [6.0, 17.5, 40.0]})
    out = consensus(df, load_scoring_rules(), SourceWeights({"a": 1.0}, {}, "t"), avg_types=("average",))
    # sacks 2 x .5 = 1; brackets 1-6 -> 9, 14-20 -> 2.25, 35+ -> -4.5 (d3 totals -3.5: no consensus row)
    assert row(out, "average", "d1")["points"] == pytest.approx(10.0)
    assert row(out, "average", "d2")["points"] == pytest.approx(3.25)
    assert out.filter(pl.col("id") == "d3").height == 0


def test_score_rows_matches_the_polars_scoring_expression():
    rng = np.random.default_rng(4)
    n = 400
    pos = rng.choice(["QB", "RB", "WR", "TE", "K", "DST", "LB"], n)
    cols = ["pass_yds", "pass_tds", "pass_int", "rush_yds", "rush_tds", "rec", "rec_yds", "rec_tds", "fumbles_lost",
            "xp", "fg_0019", "fg_2029", "fg_3039", "fg_4049", "fg_50", "fg_miss", "dst_sacks", "dst_int", "dst_td",
            "dst_pts_allowed", "idp_solo"]
    values = {c: np.where(rng.random(n) < 0.1, np.nan, np.round(rng.gamma(2.0, 10.0, n), 1)) for c in cols}
    df = pl.DataFrame({"pos": pos, "week": rng.choice([0, 1, 2], n), **values})
    table = build_scoring_table(ScoringRules({**load_scoring_rules().values, "fgmiss": -1.0}, "sleeper", "t"))
    positions = ["QB", "RB", "WR", "TE", "K", "DST", "LB"]
    want = df.select(points_expr(table, cols, positions)).to_series().to_numpy()
    row_pos = np.array([positions.index(p) for p in pos])
    got = score_rows(table, {c: df[c].to_numpy() for c in cols}, positions, row_pos, df["week"].to_numpy())
    np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-12)  # same terms; only the summation order differs


def test_keys_are_normalised_before_players_are_grouped():
    # "p1", " p1" and "p1.0" are one player; " def" is DST; " A " is source A
    df = pl.DataFrame({"data_src": ["A", "B", " C "], "id": ["p1", " p1", "p1.0"], "pos": ["DST", " def", "DST"],
                       "season": [2024] * 3, "week": [1] * 3, "dst_sacks": [2.0, 4.0, 6.0]})
    res = build_consensus(df, load_scoring_rules(), SourceWeights({"a": 1.0, "b": 1.0, "c": 1.0}, {}, "t"),
                          avg_types=("average",))
    r = row(res.frame, "average", "p1")
    assert (r["pos"], r["source_count"]) == ("DST", 3)
    assert res.raw.frame["data_src"].to_list() == ["A", "B", "C"]
    assert r["points"] == pytest.approx(2.0 + 0.0)  # 4 sacks x 0.5 on average, no points allowed given


def test_kicker_fg_total_is_rebuilt_from_buckets_before_rate_imputation():
    # B publishes only distance buckets: its total becomes 0 + 0 + 1 + 1 + 1 = 3, as ffanalytics rebuilds it.
    # C's missing 50+ bucket is then C's total x the mean rate over the rows that carry the bucket:
    # (0 / 2 + 1 / 3) / 2 = 1 / 6 -> 2 / 6. Without B's total, B's rate would count as 0 (C's fill 0).
    buckets = ["fg", "fg_0019", "fg_2029", "fg_3039", "fg_4049", "fg_50"]
    rows = [("A", 2.0, 0.0, 1.0, 1.0, 0.0, 0.0), ("B", None, 0.0, 0.0, 1.0, 1.0, 1.0),
            ("C", 2.0, None, None, None, None, None)]
    df = pl.DataFrame(rows, schema=["data_src", *buckets], orient="row").with_columns(
        pl.lit("k1").alias("id"), pl.lit("K").alias("pos"), pl.lit(2024).alias("season"), pl.lit(5).alias("week"))
    rules = ScoringRules({"fgm_50p": 5.0}, "sleeper", "test")
    res = build_consensus(df, rules, SourceWeights({"a": 1.0, "b": 1.0, "c": 1.0}, {}, "t"), avg_types=("average",))
    assert res.imputed_values == {"fg": 1, "fg_50": 1}
    points = source_points(df, rules).sort("data_src")["raw_points"].to_list()
    assert points == pytest.approx([0.0, 5.0, 5.0 * 2 / 6])
    assert row(res.frame, "average", "k1")["points"] == pytest.approx((5.0 + 5.0 / 3) / 3)


def test_a_kicker_row_without_total_or_buckets_gets_a_zero_total():
    # R's rowSums(na.rm = TRUE) over no values is 0, so such a row's buckets are filled as rate x 0 = 0
    df = pl.DataFrame({"data_src": ["A", "B"], "id": ["k1", "k1"], "pos": ["K", "K"], "season": [2024] * 2,
                       "week": [5] * 2, "fg": [2.0, None], "fg_50": [1.0, None]})
    rules = ScoringRules({"fgm_50p": 5.0}, "sleeper", "test")
    assert source_points(df, rules).sort("data_src")["raw_points"].to_list() == pytest.approx([5.0, 0.0])


def test_rate_imputation_counts_rows_whose_partner_is_missing():
    # ffanalytics' derive_from_rate: sum(pass_tds / pass_comp, na.rm) / (rows with pass_tds). A has a rate of
    # 2 / 20, B has TDs but no completions (adds nothing, still counts): rate 0.1 / 2 -> C's 24 completions 1.2
    df = raw([("A", "p1", "QB", 250.0, 2.0, 20.0), ("B", "p1", "QB", 250.0, 3.0, None),
              ("C", "p1", "QB", 250.0, None, 24.0)])
    points = source_points(df, RULES).sort("data_src")["raw_points"].to_list()
    assert points == pytest.approx([10 + 8, 10 + 12, 10 + 4 * 1.2])


def test_points_allowed_brackets_score_dst_rows_only():
    # a zero in another position's points-allowed column must not earn the shutout bracket
    df = pl.DataFrame({"data_src": ["A", "A"], "id": ["d1", "wr"], "pos": ["DST", "WR"], "season": [2024] * 2,
                       "week": [1] * 2, "dst_pts_allowed": [0.0, 0.0], "rec_yds": [0.0, 50.0]})
    points = source_points(df, load_scoring_rules()).sort("id")["raw_points"].to_list()
    assert points == pytest.approx([15.0, 5.0])
