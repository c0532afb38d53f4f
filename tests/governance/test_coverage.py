"""`coverage`: row deltas, season/week gaps (the seed's 'Week 10 missing for 2025 season'), mapping rates."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import polars as pl
from typer.testing import CliRunner

from ff_analytics.governance.coverage import analyze_coverage, normalize_name, render_text
from ff_analytics.snapshots.store import SnapshotStore
from tests.governance.cli_app import governance_app
from tests.governance.tree import AS_OF, partition, recording

REPO = Path(__file__).resolve().parents[2]


def season_2025_without_week_10() -> pl.DataFrame:
    weekly = recording("nflverse", "weekly", "weekly.parquet")
    regular = weekly.filter(pl.col("week") <= 12)
    return pl.concat([regular, regular.with_columns(pl.lit(2025, pl.Int32).alias("season"))]) \
        .filter(~((pl.col("season") == 2025) & (pl.col("week") == 10)))


def test_week_10_missing_for_2025_season_is_detected(tree: SnapshotStore) -> None:
    tree.write("nflverse", "weekly", season_2025_without_week_10(), dt="2025-01-20")
    tree.registry.promote("nflverse", "weekly")
    report = analyze_coverage(tree, as_of=AS_OF)
    weekly = next(c for c in report.datasets if c.dataset == "weekly")
    # 2024 is checked against the recorded schedule (weeks 13-18 were played), 2025 by its own range
    assert weekly.gaps == ["Weeks 13, 14, 15, 16, 17, 18 missing for 2024 season",
                           "Week 10 missing for 2025 season"]
    assert [f.message for f in report.findings if f.check == "gaps"][1] == \
        "Week 10 missing for 2025 season (between the first and last week present)"
    assert weekly.weeks["2025"] == [w for w in range(1, 13) if w != 10]


def test_row_deltas_and_history(tree: SnapshotStore) -> None:
    report = analyze_coverage(tree, as_of=AS_OF, with_mapping=False)
    by = {(c.source, c.dataset): c for c in report.datasets}
    weekly = by[("nflverse", "weekly")]
    assert (weekly.previous_dt, weekly.previous_rows, weekly.current_rows) == ("2025-01-12", 896, 1000)
    assert (weekly.delta_rows, weekly.delta_pct) == (104, 11.61)
    assert [(h.dt, h.status) for h in weekly.history] == [("2025-01-12", "historical"), ("2025-01-19", "current")]
    assert by[("sheets", "transactions")].previous_dt is None
    # weeks 18-22 dated 2025-01-19 are more than the 6 games played since 2025-01-12 explain (season-aware bounds)
    assert [(f.code, f.dataset) for f in report.findings] == [("row_count_growth", "weekly")]
    assert "6 games in 2 NFL week(s) since 2025-01-12" in report.findings[0].message


def test_mapping_rates_per_dataset_and_week(tree: SnapshotStore) -> None:
    report = analyze_coverage(tree, as_of=AS_OF)
    by = {(c.source, c.dataset): c for c in report.datasets}
    weekly = by[("nflverse", "weekly")].mapping
    assert len(weekly) == 22 and {m.week for m in weekly} == set(range(1, 23))
    assert all(m.column == "player_id" and m.xref_column == "gsis_id" for m in weekly)
    assert sum(m.rows for m in weekly) == 1000
    # the tree's crosswalk holds every recorded player id; one recorded week-21 row has no player_id at all
    assert {m.week: (m.rows, m.mapped) for m in weekly if m.rate < 1} == {21: (11, 10)}
    consensus = by[("ffanalytics", "projections_consensus")].mapping
    assert [(m.season, m.week, m.rows, m.mapped) for m in consensus] == [(2024, 1, 61, 61)]
    ktc = by[("ktc", "players")].mapping[0]
    assert ktc.column == "player_name" and 0 < ktc.mapped < ktc.rows  # KTC names vs nflverse names
    assert by[("sheets", "transactions")].mapping == []
    assert normalize_name("Marvin Harrison Jr.") == normalize_name("marvin harrison") == "marvinharrison"


def test_mapping_drops_when_crosswalk_misses_players(tree: SnapshotStore, data_root: Path, tmp_path: Path) -> None:
    xref = pl.read_parquet(partition(data_root, "nflverse", "ff_playerids") / "ff_playerids.parquet")
    weekly = pl.read_parquet(partition(data_root, "nflverse", "weekly") / "weekly.parquet")
    week3 = set(weekly.filter(pl.col("week") == 3)["player_id"].to_list())
    path = tmp_path / "dim_player_id_xref.csv"
    xref.filter(~pl.col("gsis_id").is_in(list(week3))).write_csv(path)
    report = analyze_coverage(tree, ["nflverse"], AS_OF, xref_path=path)
    rates = {m.week: m.rate for m in next(c for c in report.datasets if c.dataset == "weekly").mapping}
    assert rates[3] == 0.0 and 0.0 < rates[4] < 1.0  # players of week 3 who also played week 4 are unmapped
    assert "lowest 0.0% in 2024 week 3" in render_text(report)


def test_no_crosswalk_is_noted(data_root: Path) -> None:
    store = SnapshotStore()
    store.write("ktc", "players", recording("ktc", "players", "players.parquet"), dt="2025-01-19")
    report = analyze_coverage(store, as_of=AS_OF)
    assert [(f.severity, f.code) for f in report.findings] == [("info", "no_crosswalk")]


def test_cli_and_tool_script_json(tree: SnapshotStore) -> None:
    tree.write("nflverse", "weekly", season_2025_without_week_10(), dt="2025-01-20")
    tree.registry.promote("nflverse", "weekly")
    res = CliRunner().invoke(governance_app(), ["coverage", "nflverse", "--as-of", "2025-01-20"])
    assert res.exit_code == 0 and "GAP: Week 10 missing for 2025 season" in res.output
    assert "player ids mapped:" in res.output
    out = subprocess.run([sys.executable, str(REPO / "tools/analyze_snapshot_coverage.py"), "--format", "json",
                          "--fail-on-gaps", "--as-of", "2025-01-20"], capture_output=True, text=True, cwd=REPO)
    assert out.returncode == 1, out.stderr
    doc = json.loads(out.stdout)
    weekly = next(c for c in doc["coverage"] if c["dataset"] == "weekly")
    assert "Week 10 missing for 2025 season" in weekly["gaps"] and weekly["delta_rows"] is not None
    assert {f["severity"] for f in doc["findings"] if f["check"] == "gaps"} == {"error"}
