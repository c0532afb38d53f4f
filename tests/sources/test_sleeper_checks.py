"""Sleeper governance checks on written snapshots: the demo recordings pass, broken data is reported."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from ff_analytics.snapshots.store import SnapshotStore
from ff_analytics.sources.catalog import source_named
from ff_analytics.sources.sleeper import ingest_sleeper
from ff_analytics.sources.sleeper.checks import sleeper_checks, status_counts
from tests.sources.test_sleeper_ingest import sleeper_replay

DT = "2025-10-01"


@pytest.fixture
def written(monkeypatch: pytest.MonkeyPatch, data_root: Path):
    with sleeper_replay(monkeypatch):
        return {r.dataset: r for r in ingest_sleeper(["rosters", "transactions", "matchups"], seasons="2023-2025",
                                                     dt=DT)}


def _codes(findings) -> dict[str, str]:
    return {f.code: f.severity.value for f in findings}


def _rewrite(store: SnapshotStore, dataset: str, df: pl.DataFrame, dt: str = "2025-10-02"):
    return store.write("sleeper", dataset, df, dt=dt)


def test_recorded_league_passes_and_reports_counts(written) -> None:
    assert source_named("sleeper").checks is sleeper_checks
    findings = sleeper_checks(list(written.values()), SnapshotStore())
    assert not [f for f in findings if f.is_error], [f.message for f in findings if f.is_error]
    codes = _codes(findings)
    assert codes["transaction_status_counts"] == "info" and codes["matchup_byes"] == "info"
    counts = status_counts(SnapshotStore().read("sleeper", "transactions", dt=DT))
    assert counts["failed"].sum() > 0 and counts["complete"].sum() > counts["failed"].sum()
    assert counts["failed_without_reason"].sum() == 0


def test_matchup_with_one_side_and_wrong_points_are_errors(written) -> None:
    store = SnapshotStore()
    df = store.read("sleeper", "matchups", dt=DT)
    first = df.filter(pl.col("matchup_id").is_not_null()).row(0, named=True)
    broken = df.filter(~((pl.col("week") == first["week"]) & (pl.col("league_id") == first["league_id"])
                         & (pl.col("matchup_id") == first["matchup_id"]) & (pl.col("roster_id") != first["roster_id"])))
    broken = broken.with_columns(pl.when(pl.col("roster_id") == 1).then(pl.col("points") + 5)
                                 .otherwise(pl.col("points")).alias("points"))
    codes = _codes(sleeper_checks([_rewrite(store, "matchups", broken)], store))
    assert codes["matchup_sides"] == "error" and codes["matchup_points_sum"] == "error"


def test_points_check_is_skipped_without_starters_points(written) -> None:
    store = SnapshotStore()
    df = store.read("sleeper", "matchups", dt=DT).with_columns(pl.lit(None, dtype=pl.List(pl.Float64))
                                                               .alias("starters_points"))
    codes = _codes(sleeper_checks([_rewrite(store, "matchups", df)], store))
    assert codes["matchup_points_skipped"] == "info" and "matchup_points_sum" not in codes


def test_transaction_status_and_order_problems(written) -> None:
    store = SnapshotStore()
    df = store.read("sleeper", "transactions", dt=DT)
    season = df.filter(pl.col("season") == 2024)
    last_leg = season["leg"].max()
    late = season["status_updated"].max() + 1
    broken = df.with_columns(
        # a week-1 move processed after the season's last week: four legs back
        pl.when(pl.col("transaction_id") == season.filter(pl.col("leg") == 1)["transaction_id"][0])
        .then(pl.lit(late)).otherwise(pl.col("status_updated")).alias("status_updated"),
        pl.when(pl.col("status") == "failed").then(pl.lit(None)).otherwise(pl.col("notes")).alias("notes"),
    ).with_columns(pl.when(pl.col("week") == last_leg).then(pl.lit("failed")).otherwise(pl.col("status"))
                   .alias("status"))
    odd = broken.head(1).with_columns(pl.lit("vetoed").alias("status"), pl.lit("x-1").alias("transaction_id"))
    codes = _codes(sleeper_checks([_rewrite(store, "transactions", pl.concat([broken, odd]))], store))
    assert codes["transaction_leg_order"] == "warning"
    assert codes["transaction_failed_without_reason"] == "warning"
    assert codes["transaction_week_all_failed"] == "warning"
    assert codes["transaction_status_unknown"] == "error"
