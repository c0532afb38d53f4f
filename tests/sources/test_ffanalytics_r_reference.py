"""The consensus against the real R package's output on a realistic raw table (``shared/data/ffanalytics-r-reference``).

R (ffanalytics 3.1.17) ran ``projections_table`` for all three avg_types on ``raw_projections.csv`` with the
package's default scoring (``scoring_r_default.yaml``) and ``weights.csv``. The port must give the same players,
the same numbers (1e-9) and the same tiers and ranks. The one documented exception is the weighted ceiling: R's
weighted Harrell-Davis loses the probability mass above its rounded CDF end point, so its ceiling is lower by
exactly (highest value) x (lost mass), and the ceiling VOR and rank follow from that ceiling.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import polars as pl
import pytest
from scipy.special import betainc

from ff_analytics.settings import get_settings
from ff_analytics.sources.ffanalytics import build_consensus
from ff_analytics.sources.ffanalytics.raw import read_raw
from ff_analytics.sources.ffanalytics.rows import source_points
from ff_analytics.sources.ffanalytics.scoring import load_scoring_rules
from ff_analytics.sources.ffanalytics.tiers import DEFAULT_TIER_THRESHOLD, DEFAULT_VOR_BASELINE, tiers_and_vor
from ff_analytics.sources.ffanalytics.weights import load_weights

REFERENCE = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "ffanalytics-r-reference"
pytestmark = pytest.mark.skipif(not (REFERENCE / "r_projections_table.csv").exists(),
                                reason=f"R reference data not found at {REFERENCE} (shared/ beside the clone)")

KEY = ["avg_type", "pos", "id"]
NUMBERS = ["points", "sd_pts", "dropoff", "floor", "ceiling", "points_vor", "floor_vor", "ceiling_vor"]
RANKS = ["rank", "floor_rank", "ceiling_rank", "pos_rank", "tier"]
# what the weighted ceiling's lost mass may change (everything else must match everywhere)
CEILING_COLUMNS = {"ceiling", "ceiling_vor", "ceiling_rank"}
TOLERANCE = 1e-9


@pytest.fixture(scope="module")
def raw() -> pl.DataFrame:
    return read_raw(REFERENCE / "raw_projections.csv")


@pytest.fixture(scope="module")
def rules():
    return load_scoring_rules(REFERENCE / "scoring_r_default.yaml")


@pytest.fixture(scope="module")
def compared(raw, rules) -> pl.DataFrame:
    """R's table joined to the port's on (avg_type, pos, id); the port's columns end in ``_py``."""
    port = build_consensus(raw, rules, load_weights(REFERENCE / "weights.csv")).frame
    r = pl.read_csv(REFERENCE / "r_projections_table.csv", schema_overrides={"id": pl.String})
    assert r.height == 1259
    return r.join(port.select(KEY + NUMBERS + RANKS), on=KEY, how="full", suffix="_py", coalesce=True)


@pytest.fixture(scope="module")
def points_by_player(raw, rules) -> pl.DataFrame:
    """The port's per-source points with the sources' weights, one list per player."""
    weights = pl.read_csv(REFERENCE / "weights.csv").select(pl.col("site_name").alias("data_src"), "weight")
    return (source_points(raw, rules).join(weights, on="data_src", how="left")
            .group_by("pos", "id").agg("raw_points", "weight"))


def test_same_players_in_every_avg_type(compared: pl.DataFrame):
    only_r = compared.filter(pl.col("points_py").is_null())
    only_port = compared.filter(pl.col("points").is_null())
    assert only_r.height == 0, f"players only R has: {only_r.select(KEY).rows()[:10]}"
    assert only_port.height == 0, f"players only the port has: {only_port.select(KEY).rows()[:10]}"
    assert compared.group_by("avg_type").len().sort("avg_type")["len"].to_list() == [421, 421, 417]


@pytest.mark.parametrize("column", NUMBERS)
def test_numbers_match_r(compared: pl.DataFrame, column: str):
    rows = compared.filter(pl.col("avg_type") != "weighted") if column in CEILING_COLUMNS else compared
    theirs, ours = rows[column].to_numpy().astype(float), rows[f"{column}_py"].to_numpy().astype(float)
    np.testing.assert_array_equal(np.isnan(ours), np.isnan(theirs), err_msg=f"{column}: NA pattern differs")
    np.testing.assert_allclose(ours, theirs, rtol=0, atol=TOLERANCE, equal_nan=True, err_msg=column)


@pytest.mark.parametrize("column", RANKS)
def test_tiers_and_ranks_match_r_exactly(compared: pl.DataFrame, column: str):
    rows = compared.filter(pl.col("avg_type") != "weighted") if column in CEILING_COLUMNS else compared
    differ = rows.filter(~pl.col(column).eq_missing(pl.col(f"{column}_py")))
    assert differ.height == 0, f"{column}: {differ.select(*KEY, column, f'{column}_py').rows()[:10]}"


def _r_lost_mass(x: list[float], w: list[float], p: float = 0.95) -> float:
    """(highest value) x the mass R's ``whdquantile`` loses: its CDF ends at ``cumsum(w / sum(w))``'s last value
    (R sums in long double and rounds each partial sum to double), where ``pbeta`` is < 1 for a small second
    shape parameter, instead of at 1."""
    xs, ws = np.asarray(x), np.asarray(w)
    keep = ws > 0
    xs, ws = xs[keep], ws[keep]
    if xs.size < 2:
        return float("nan")
    order = np.argsort(xs, kind="stable")
    xs, ws = xs[order], ws[order]
    total, total_sq = float(ws.astype(np.longdouble).sum()), float((ws * ws).astype(np.longdouble).sum())
    n_eff = total * total / total_sq
    end = float(np.cumsum((ws / total).astype(np.longdouble))[-1])
    return float(xs[-1] * (1.0 - betainc((n_eff + 1) * p, (n_eff + 1) * (1 - p), end)))


def test_weighted_ceiling_differs_only_by_the_mass_r_loses(compared: pl.DataFrame, points_by_player: pl.DataFrame):
    weighted = compared.filter(pl.col("avg_type") == "weighted").join(points_by_player, on=["pos", "id"])
    lost = np.array([_r_lost_mass(x, w) for x, w in weighted.select("raw_points", "weight").iter_rows()])
    ours, theirs = weighted["ceiling_py"].to_numpy().astype(float), weighted["ceiling"].to_numpy().astype(float)
    np.testing.assert_array_equal(np.isnan(ours), np.isnan(theirs))
    differs = np.abs(ours - theirs) > TOLERANCE
    assert 0 < differs.sum() < 100  # the case is present, and rare (players with few sources)
    # R's ceiling is the port's minus the lost mass's share, for every player (0 where nothing is lost)
    np.testing.assert_allclose(theirs, ours - np.nan_to_num(lost), rtol=0, atol=TOLERANCE, equal_nan=True)
    assert np.nanmax(ours - theirs) < 0.04 and np.nanmin(ours - theirs) > -TOLERANCE


def test_weighted_ceiling_vor_and_rank_follow_from_rs_ceiling(compared: pl.DataFrame):
    """Fed R's weighted ceilings, the port's VOR and ranking give R's ceiling VOR and ceiling rank exactly."""
    weighted = compared.filter(pl.col("avg_type") == "weighted").sort("pos", "id")
    pos_names = weighted["pos"].unique(maintain_order=True).to_list()
    block = np.array([pos_names.index(p) for p in weighted["pos"]])
    got = tiers_and_vor(*(weighted[c].to_numpy().astype(float) for c in ("points", "sd_pts", "floor", "ceiling")),
                        block, pos_names, np.zeros(block.size, dtype=np.int64), weighted["id"].to_numpy(),
                        DEFAULT_VOR_BASELINE, DEFAULT_TIER_THRESHOLD)
    np.testing.assert_allclose(got["ceiling_vor"], weighted["ceiling_vor"].to_numpy(), rtol=0, atol=TOLERANCE)
    np.testing.assert_array_equal(got["ceiling_rank"], weighted["ceiling_rank"].to_numpy().astype(float))
    assert (weighted["ceiling_rank"] != weighted["ceiling_rank_py"]).sum() > 0  # the port's own ranks do move


def test_source_points_match_r(raw, rules):
    r = pl.read_csv(REFERENCE / "r_source_points.csv", schema_overrides={"id": pl.String})
    ours = source_points(raw, rules)
    assert ours.height == r.height == raw.height - 2  # the two rows without a player id are dropped, as in R
    joined = r.join(ours, on=["data_src", "pos", "id"], how="full", suffix="_py", coalesce=True)
    assert joined["raw_points"].null_count() == 0 and joined["raw_points_py"].null_count() == 0
    np.testing.assert_allclose(joined["raw_points_py"].to_numpy(), joined["raw_points"].to_numpy(), rtol=0,
                               atol=TOLERANCE)


def test_kickers_without_fg_totals_are_rebuilt_from_buckets(raw, rules):
    """RTSports publishes FG distance buckets only; R sums them into the total before imputing."""
    res = build_consensus(raw, rules, load_weights(REFERENCE / "weights.csv"), avg_types=("average",))
    rts_kickers = raw.filter((pl.col("pos") == "K") & (pl.col("data_src") == "RTSports"))
    assert rts_kickers["fg"].null_count() == rts_kickers.height > 0
    assert res.imputed_values["fg"] == rts_kickers.height


def test_the_projects_copy_of_rs_default_scoring_is_the_reference_one(rules):
    copy = load_scoring_rules(get_settings().config_dir / "league" / "ffanalytics_r_default_scoring.yaml")
    assert copy.values == rules.values and len(copy.values) == 31
