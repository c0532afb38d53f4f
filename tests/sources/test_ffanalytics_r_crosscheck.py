"""Cross-check the port's statistics against R itself (runs only where Rscript is installed; CI installs it).

Random groups of 1-12 values (with ties and zero weights) go through the production consensus path, with a
scoring rule that makes a row's points equal its value, and through R's own functions.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import polars as pl
import pytest

from ff_analytics.sources.ffanalytics import stats
from ff_analytics.sources.ffanalytics.aggregate import build_consensus
from ff_analytics.sources.ffanalytics.scoring import ScoringRules
from ff_analytics.sources.ffanalytics.weights import SourceWeights
from tests.sources.r_crosscheck import r_statistics, rscript

pytestmark = pytest.mark.skipif(rscript() is None, reason="Rscript not installed (apt-get install r-base-core)")

SOURCE_WEIGHTS = {f"s{j}": w for j, w in enumerate([0.1305, 0.12, 0.1176, 0.0, 0.112, 0.1103, 0.1097, 0.0997,
                                                   0.0846, 0.3, 0.05, 0.0])}


def random_groups(seed: int = 11, n_groups: int = 300) -> pl.DataFrame:
    rng = np.random.default_rng(seed)
    rows = []
    for g in range(n_groups):
        n = int(rng.integers(1, 13))
        x = np.round(rng.gamma(4.0, 4.0, n), 2 if g % 3 else 0)  # rounding to whole points makes ties
        if g % 10 == 0 and n > 1:
            x[: n // 2] = x[0]  # heavy ties
        srcs = rng.choice(len(SOURCE_WEIGHTS), size=n, replace=False)
        for v, s in zip(x, srcs, strict=True):
            rows.append((f"g{g:04d}", float(v) + 0.01, f"s{s}", SOURCE_WEIGHTS[f"s{s}"]))
    return pl.DataFrame(rows, schema=["grp", "x", "src", "w"], orient="row")


@pytest.fixture(scope="module")
def compared(tmp_path_factory) -> pl.DataFrame:
    groups = random_groups()
    r = r_statistics(groups, Path(tmp_path_factory.mktemp("r")))
    raw = groups.select(pl.col("src").alias("data_src"), pl.col("grp").alias("id"), pl.lit("QB").alias("pos"),
                        pl.lit(2024).alias("season"), pl.lit(1).alias("week"),
                        (pl.col("x") * 25).alias("pass_yds"))
    res = build_consensus(raw, ScoringRules({"pass_yd": 0.04}, "sleeper", "t"),
                          SourceWeights(SOURCE_WEIGHTS, {}, "t"))
    wide = {t: res.frame.filter(pl.col("avg_type") == t).select(
        pl.col("id").alias("grp"), *[pl.col(c).alias(f"{t}_{c}") for c in ("points", "sd_pts", "floor", "ceiling")])
        for t in ("average", "robust", "weighted")}
    out = r
    for frame in wide.values():
        out = out.join(frame, on="grp", how="left")
    return out


def assert_close(df: pl.DataFrame, ours: str, theirs: str) -> None:
    a, b = df[ours].to_numpy().astype(float), df[theirs].to_numpy().astype(float)
    np.testing.assert_array_equal(np.isnan(a), np.isnan(b), err_msg=f"{ours} vs R {theirs}: NA pattern differs")
    np.testing.assert_allclose(a, b, rtol=1e-9, atol=1e-9, equal_nan=True, err_msg=f"{ours} vs R {theirs}")


@pytest.mark.parametrize(("ours", "theirs"), [
    ("average_points", "mean"), ("average_sd_pts", "sd"), ("average_floor", "q05"), ("average_ceiling", "q95"),
    ("robust_points", "hl"), ("robust_sd_pts", "mad"), ("robust_floor", "q05"), ("robust_ceiling", "q95"),
    ("weighted_sd_pts", "wsd"), ("weighted_floor", "whd05"), ("weighted_ceiling", "whd95"),
])
def test_consensus_statistics_match_r(compared: pl.DataFrame, ours: str, theirs: str):
    assert compared.height == 300
    assert_close(compared, ours, theirs)


def test_weighted_mean_matches_r_where_defined(compared: pl.DataFrame):
    # R's weighted.mean is NaN when all weights are 0; the port then drops the player (R's projections_table
    # filters non-finite points the same way)
    defined = compared.filter(pl.col("wmean").is_not_null() & pl.col("wmean").is_not_nan())
    assert defined.height > 250
    assert_close(defined, "weighted_points", "wmean")
    assert compared.filter(pl.col("wmean").is_nan() | pl.col("wmean").is_null())["weighted_points"].null_count() \
        == compared.height - defined.height


def test_ceiling_differs_from_ffanalytics_only_by_its_rounding_loss(compared: pl.DataFrame):
    """Documented difference: ffanalytics' whdquantile can lose probability mass at the top of the CDF."""
    diff = (compared["weighted_ceiling"] - compared["whd95_ffa"]).abs()
    assert diff.max() < 0.5
    assert (compared["weighted_ceiling"] >= compared["whd95_ffa"] - 1e-9).all()  # the loss only lowers R's value


def test_one_row_helpers_match_r(tmp_path: Path):
    groups = pl.DataFrame({"grp": ["a"] * 5 + ["b"] * 4, "x": [3.0, 1.0, 4.0, 1.0, 5.0, 2.0, 7.0, 1.0, 8.0],
                           "w": [0.2, 0.1, 0.0, 0.3, 0.4, 1.0, 1.0, 2.0, 0.5]})
    r = r_statistics(groups, tmp_path).sort("grp")
    for i, g in enumerate(["a", "b"]):
        sub = groups.filter(pl.col("grp") == g)
        x, w = sub["x"].to_list(), sub["w"].to_list()
        got = [stats.quantile7_1d(x, 0.05), stats.quantile7_1d(x, 0.95), stats.mad_1d(x),
               stats.hodges_lehmann_1d(x), stats.weighted_mean_1d(x, w), stats.weighted_sd_1d(x, w),
               *stats.harrell_davis_1d(x, w, (0.05, 0.95))]
        want = [r[c][i] for c in ("q05", "q95", "mad", "hl", "wmean", "wsd", "whd05", "whd95")]
        np.testing.assert_allclose(got, want, rtol=1e-12)
