"""Ingest of raw projections into snapshots: the real FantasyPros sample, bad input, crosswalk, CLI and R runner."""

from __future__ import annotations

import shutil
from pathlib import Path

import polars as pl
import pytest
import typer
from typer.testing import CliRunner

from ff_analytics.errors import ConfigError, SourceError
from ff_analytics.settings import get_settings
from ff_analytics.snapshots.store import SnapshotStore
from ff_analytics.sources.ffanalytics import cli as ffa_cli
from ff_analytics.sources.ffanalytics import ingest_ffanalytics, sanity_check
from ff_analytics.sources.ffanalytics.r_runner import RRunOptions, ffanalytics_version, find_rscript
from ff_analytics.sources.ffanalytics.scoring import build_scoring_table, load_scoring_rules, points_expr

SAMPLE = get_settings().recordings_dir / "ffanalytics" / "projections" / "dt=2025-10-25"
RAW = SAMPLE / "projections_raw_2025-10-25.parquet"
R_CONSENSUS = SAMPLE / "projections_consensus_2025-10-25.parquet"
XWALK = get_settings().recordings_dir / "nflverse" / "ff_playerids" / "db_playerids.csv"


def ingest_cli() -> typer.Typer:
    """``ffa ingest`` with just this source's command (other sources' CLIs are not needed here)."""
    root, ingest_app = typer.Typer(), typer.Typer()
    ffa_cli.register(ingest_app)
    root.add_typer(ingest_app, name="ingest")
    return root


def nothing_written(store: SnapshotStore) -> bool:
    return store.registry.read() == [] and not store.partition_dates("ffanalytics", "projections_raw") \
        and not store.partition_dates("ffanalytics", "projections_consensus")


def test_real_sample_gives_a_consensus_for_every_player():
    store = SnapshotStore()
    raw_res, cons_res = ingest_ffanalytics(RAW, store=store, dt="2025-10-25", run_id="t1")
    assert (raw_res.dataset, raw_res.status, raw_res.row_count) == ("projections_raw", "new", 60)
    cons = store.read("ffanalytics", "projections_consensus", "2025-10-25")
    assert cons.height == 180
    for avg_type in ("average", "robust", "weighted"):
        part = cons.filter(pl.col("avg_type") == avg_type)
        assert part["id"].n_unique() == 60 and part["points"].null_count() == 0
    manifest = cons_res.manifest
    assert manifest.run_id == "t1" and manifest.params["sources"] == ["FantasyPros"]
    assert manifest.params["player_mapping"]["mapping_rate"] is None  # no crosswalk snapshot in this store


def test_sample_points_equal_league_scoring_of_the_r_consensus_stats():
    """The R pipeline's consensus file holds weighted-average stats; with one source those are the raw stats,
    so scoring them with the league rules must reproduce our points for every player it has."""
    store = SnapshotStore()
    ingest_ffanalytics(RAW, store=store, dt="2025-10-25")
    ours = store.read("ffanalytics", "projections_consensus", "2025-10-25").filter(pl.col("avg_type") == "average")
    r_cons = pl.read_parquet(R_CONSENSUS)
    table = build_scoring_table(load_scoring_rules())
    stat_cols = [c for c in r_cons.columns if c in table.columns()]
    r_points = r_cons.with_columns(points_expr(table, stat_cols, ["QB"]).alias("r_points"))
    joined = r_points.join(ours.select("player", "points"), on="player", how="inner").unique("player")
    assert joined.height == 60  # R's file has 61 rows: Lamar Jackson twice (two xref ids), same stats
    diff = (joined["r_points"] - joined["points"]).abs().max()
    assert diff < 1e-9


def test_crosswalk_mapping_rate_is_reported(tmp_path: Path):
    store = SnapshotStore()
    xw = pl.read_csv(XWALK, infer_schema_length=0, null_values=["NA"])
    # The recorded crosswalk carries the real MFL ids of all 60 projected QBs. Take Jalen Hurts' MFL id away
    # (unmapped) and give Josh Allen only his FantasyPros id (mapped by the fallback).
    allen = pl.col("mfl_id") == "13589"
    xw = xw.with_columns(
        fantasypros_id=pl.when(allen).then(pl.lit("17298")).otherwise("fantasypros_id"),
        mfl_id=pl.when(allen | (pl.col("mfl_id") == "14783")).then(None).otherwise("mfl_id"),
    )
    store.write("nflverse", "ff_playerids", xw, dt="2025-10-24")
    store.registry.promote("nflverse", "ff_playerids", "2025-10-24")
    _, cons_res = ingest_ffanalytics(RAW, store=store, dt="2025-10-25")
    mapping = cons_res.manifest.params["player_mapping"]
    assert mapping["total_players"] == 60 and mapping["mapped_players"] == 59
    assert mapping["mapping_rate"] == pytest.approx(59 / 60, abs=1e-4)
    assert mapping["mapped_by"] == {"mfl_id": 58, "fantasypros_id": 1}
    cons = store.read("ffanalytics", "projections_consensus", "2025-10-25")
    average = cons.filter(pl.col("avg_type") == "average")
    assert average.filter(pl.col("id") == "14783")["player_id"].to_list() == [None]
    allen_sleeper = xw.filter(pl.col("fantasypros_id") == "17298")["sleeper_id"].to_list()
    assert average.filter(pl.col("player") == "Josh Allen")["sleeper_id"].to_list() == allen_sleeper


@pytest.mark.parametrize("content", ["", "data_src,id,pos,season,week,pass_yds\n"])
def test_empty_file_is_rejected_and_nothing_written(tmp_path: Path, content: str):
    path = tmp_path / "raw.csv"
    path.write_text(content)
    store = SnapshotStore()
    with pytest.raises(SourceError, match="empty|no rows"):
        ingest_ffanalytics(path, store=store)
    assert nothing_written(store)


def test_weights_file_missing_a_source_writes_nothing(tmp_path: Path):
    weights = tmp_path / "weights.csv"
    weights.write_text("site_id,site_name,weight\ncbs,CBS,0.11\n")
    store = SnapshotStore()
    with pytest.raises(ConfigError, match=r"no weight for source\(s\) \['FantasyPros'\]"):
        ingest_ffanalytics(RAW, store=store, weights_path=weights)
    assert nothing_written(store)


def test_bad_csv_export_lists_what_was_ignored_and_dropped(tmp_path: Path):
    df = pl.read_parquet(RAW).with_columns(pl.lit(1.0).alias("vibes"))
    df = df.with_columns(pl.when(pl.col("player") == "Josh Allen").then(None).otherwise(pl.col("id")).alias("id"),
                         pl.when(pl.col("player") == "Jalen Hurts").then(-3.0).otherwise(pl.col("rush_yds"))
                         .alias("rush_yds"))
    path = tmp_path / "export.csv"
    df.write_csv(path)
    store = SnapshotStore()
    raw_res, cons_res = ingest_ffanalytics(path, store=store, dt="2025-10-25")
    params = raw_res.manifest.params
    assert params["ignored_columns"] == ["vibes"]
    assert params["players_dropped_missing_id"] == ["Josh Allen"]
    assert params["negative_values_kept"] == {"rush_yds": 1}
    assert cons_res.row_count == 59 * 3


def test_unknown_avg_type_writes_nothing():
    store = SnapshotStore()
    with pytest.raises(ConfigError):
        ingest_ffanalytics(RAW, store=store, avg_types=("median",))
    assert nothing_written(store)


def test_sanity_check_findings():
    cons = pl.DataFrame({"avg_type": ["average", "average"], "season": [2024, 2024], "week": [1, 1],
                         "pos": ["QB", "QB"], "id": ["a", "a"], "player": ["A", "A"], "points": [90.0, 10.0],
                         "floor": [95.0, 9.0], "ceiling": [80.0, 11.0], "total_weight": [1.0, 1.0],
                         "source_count": [1, 1]})
    checks = {f.check: f.level for f in sanity_check(cons)}
    assert checks == {"unique_key": "error", "points_max": "warn", "floor_le_ceiling": "error"}
    assert sanity_check(cons.clear())[0].check == "non_empty"


def test_cli_ingests_a_raw_file():
    result = CliRunner().invoke(ingest_cli(), ["ingest", "ffanalytics", "--raw", str(RAW), "--dt", "2025-10-25",
                                      "--vor-baseline", "QB=12"])
    assert result.exit_code == 0, result.output
    assert "projections_consensus 2025-10-25: new, 180 rows" in result.output
    cons = SnapshotStore().read("ffanalytics", "projections_consensus", "2025-10-25")
    top = cons.filter((pl.col("avg_type") == "average") & (pl.col("pos_rank") == 12))
    assert top["points_vor"].to_list() == [0.0]


def test_cli_requires_exactly_one_input():
    result = CliRunner().invoke(ingest_cli(), ["ingest", "ffanalytics"])
    assert result.exit_code != 0
    assert "exactly one of --raw FILE or --run-r" in str(result.exception)


def test_run_r_without_r_is_a_clear_error(tmp_path: Path):
    with pytest.raises(SourceError, match="R is not installed"):
        ingest_ffanalytics(run_r=True, r_options=RRunOptions(2024, 1, rscript=str(tmp_path / "no-Rscript")))
    assert nothing_written(SnapshotStore())


@pytest.mark.skipif(shutil.which("Rscript") is None, reason="Rscript not installed")
def test_run_r_without_the_package_is_a_clear_error():
    rscript = find_rscript()
    try:
        version = ffanalytics_version(rscript)
    except SourceError as exc:
        assert "R package ffanalytics is not" in str(exc) and "remotes::install_github" in str(exc)
        with pytest.raises(SourceError, match="ffanalytics is not"):
            ingest_ffanalytics(run_r=True, r_options=RRunOptions(2024, 1))
        assert nothing_written(SnapshotStore())
    else:
        pytest.skip(f"ffanalytics {version} is installed; the missing-package message cannot be exercised")
