"""Freshness, row-count anomalies, schema drift and the promotion gate."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import polars as pl
from typer.testing import CliRunner

from ff_analytics.governance import (
    check_freshness,
    check_row_count_anomaly,
    check_schema_drift,
    govern_all_pending,
    govern_pending,
)
from ff_analytics.governance.findings import error
from ff_analytics.governance.freshness import freshness_table
from ff_analytics.snapshots.store import SnapshotStore
from tests.governance.cli_app import governance_app
from tests.governance.tree import AS_OF, TODAY, partition, recording

NEXT = "2025-01-20"


def test_freshness_thresholds_per_source_from_config(tree: SnapshotStore) -> None:
    assert check_freshness(tree, as_of=AS_OF) == []
    limits = {s.source: (s.warn_after_days, s.error_after_days) for s in freshness_table(tree, as_of=AS_OF)}
    assert limits == {"sheets": (1, 7), "nflverse": (2, 7), "ffanalytics": (2, 7), "ktc": (5, 14), "sleeper": (1, 7),
                      "identity": (7, 30)}
    # 3 days after TODAY: sheets and sleeper (warn > 1), nflverse and ffanalytics (warn > 2) warn, ktc is fine
    later = check_freshness(tree, as_of=date(2025, 1, 22))
    assert {(f.source, f.severity) for f in later} == {("sheets", "warning"), ("sleeper", "warning"),
                                                        ("nflverse", "warning"), ("ffanalytics", "warning")}
    stale = check_freshness(tree, as_of=date(2025, 1, 30))  # 11 days: all but ktc and identity past 7
    assert {(f.source, f.severity) for f in stale} == {("sheets", "error"), ("sleeper", "error"),
                                                        ("nflverse", "error"), ("ffanalytics", "error"),
                                                        ("ktc", "warning"), ("identity", "warning")}
    msg = next(f.message for f in stale if f.source == "ktc")
    assert "2025-01-19 is 11 days old" in msg and "warn after 5 d, error after 14 d" in msg
    assert msg.startswith("warning: ")
    assert {f.dataset for f in stale if f.source == "ktc"} == {"players", "picks"}  # one finding per dataset
    assert next(f.message for f in stale if f.source == "sheets").startswith("ERROR: current snapshot")


def test_freshness_never_loaded_and_cli_exit_codes(tree: SnapshotStore) -> None:
    runner, app = CliRunner(), governance_app()
    ok = runner.invoke(app, ["freshness", "--as-of", "2025-01-20"])
    assert ok.exit_code == 0, ok.output
    warn = runner.invoke(app, ["freshness", "--as-of", "2025-01-22"])
    assert warn.exit_code == 0 and "WARNING" in warn.output
    err = runner.invoke(app, ["freshness", "--as-of", "2025-02-10", "--format", "json"])
    assert err.exit_code == 1
    doc = json.loads(err.stdout)
    assert {s["source"]: s["status"] for s in doc["sources"]}["ktc"] == "error"
    assert check_freshness(SnapshotStore(root=tree.root.__class__(str(Path(tree.root.base) / "empty"))),
                           ["ktc"], AS_OF)[0].code == "never_loaded"


def test_row_count_drop_is_error_growth_is_warning(tree: SnapshotStore) -> None:
    players = recording("ktc", "players", "players.parquet")
    tree.write("ktc", "players", players.head(30), dt=NEXT)  # 50 -> 30: -40% beyond 20%
    drop = check_row_count_anomaly(tree, "ktc", "players", NEXT)
    assert [(f.severity, f.code) for f in drop] == [("error", "row_count_drop")]
    assert "30 rows vs 50 in 2025-01-19 (-40.0%)" in drop[0].message
    tree.write("ktc", "players", pl.concat([players, players.with_columns(pl.col("rank") + 100)]), dt=NEXT)
    grow = check_row_count_anomaly(tree, "ktc", "players", NEXT)  # +100%: beyond 50%
    assert [(f.severity, f.code) for f in grow] == [("warning", "row_count_growth")]
    tree.write("ktc", "players", players.head(45), dt=NEXT)  # -10%: fine
    assert check_row_count_anomaly(tree, "ktc", "players", NEXT) == []
    # the current snapshot is compared with the previous current one (46 -> 50: +8.7%)
    assert check_row_count_anomaly(tree, "ktc", "players", TODAY) == []


def test_schema_drift_names_columns(tree: SnapshotStore) -> None:
    teams = recording("nflverse", "teams", "teams.parquet")
    changed = teams.drop("sbr_name", "fo").with_columns(pl.col("season").cast(pl.Float64),
                                                        pl.lit(1).alias("new_col"))
    tree.write("nflverse", "teams", changed, dt=NEXT)
    found = {f.code: f for f in check_schema_drift(tree, "nflverse", "teams", NEXT)}
    assert set(found) == {"columns_removed", "columns_retyped", "columns_added"}
    assert found["columns_removed"].severity == "error"
    assert found["columns_removed"].message == "columns removed vs 2025-01-19: fo, sbr_name"
    assert "season (int64 -> double)" in found["columns_retyped"].message
    assert found["columns_added"].message.endswith("new_col")
    assert check_schema_drift(tree, "nflverse", "teams", TODAY) == []  # nothing before it to compare


def test_gate_promotes_clean_pending_and_blocks_errors(tree: SnapshotStore, data_root: Path) -> None:
    picks = recording("ktc", "picks", "picks.parquet")
    tree.write("ktc", "picks", picks.with_columns(pl.col("value") + 1), dt=NEXT)
    passed = govern_pending(tree, "ktc", "picks", NEXT, as_of=date.fromisoformat(NEXT))
    assert passed.promoted and passed.findings == []
    assert tree.registry.current("ktc", "picks").snapshot_date == NEXT
    assert tree.registry.current("ktc", "picks").notes == "promoted by governance gate"

    tree.write("ktc", "players", recording("ktc", "players", "players.parquet").head(10), dt=NEXT)
    blocked = govern_pending(tree, "ktc", "players", NEXT)
    assert not blocked.promoted and [f.code for f in blocked.findings] == ["row_count_drop"]
    row = next(r for r in tree.registry.rows_for("ktc", "players") if r.snapshot_date == NEXT)
    assert row.status == "pending" and row.notes.startswith("blocked by governance: 10 rows vs 50")
    assert tree.registry.current("ktc", "players").snapshot_date == TODAY  # readers unaffected


def test_gate_extra_findings_and_integrity(tree: SnapshotStore, data_root: Path) -> None:
    sheets = recording("sheets", "TRANSACTIONS", "TRANSACTIONS.parquet")
    tree.write("sheets", "transactions", sheets.head(3900), dt=NEXT)
    qa = error("parse_qa", "unparsed_rows", "12 rows did not parse", source="sheets", dataset="transactions")
    res = govern_pending(tree, "sheets", "transactions", NEXT, extra_findings=[qa])
    assert not res.promoted and res.reason == "12 rows did not parse"
    f = partition(data_root, "sheets", "transactions", NEXT) / "transactions.parquet"
    f.write_bytes(f.read_bytes()[:-100])
    res = govern_pending(tree, "sheets", "transactions", NEXT)
    assert not res.promoted and [x.code for x in res.findings] == ["parquet_unreadable"]
    not_pending = govern_pending(tree, "sheets", "transactions", TODAY)
    assert not not_pending.promoted and not_pending.findings[0].code == "not_pending"


def test_govern_all_pending_and_cli(tree: SnapshotStore) -> None:
    tree.write("ktc", "players", recording("ktc", "players", "players.parquet").head(10), dt=NEXT)
    tree.write("ktc", "picks", recording("ktc", "picks", "picks.parquet").head(35), dt=NEXT)
    dry = govern_all_pending(tree, promote=False)
    assert [(r.dataset, r.promoted) for r in dry] == [("picks", False), ("players", False)]
    assert tree.registry.current("ktc", "picks").snapshot_date == TODAY
    runner, app = CliRunner(), governance_app()
    res = runner.invoke(app, ["govern", "--promote", "--as-of", NEXT])
    assert res.exit_code == 1
    assert "ktc/picks 2025-01-20: promoted" in res.output
    assert "ktc/players 2025-01-20: kept pending — 10 rows vs 50" in res.output
    assert tree.registry.current("ktc", "picks").snapshot_date == NEXT
    assert runner.invoke(app, ["govern"]).stdout.strip().startswith("ktc/players 2025-01-20: kept pending")


def test_week_gap_is_a_gate_warning_not_a_block(tree: SnapshotStore, data_root: Path) -> None:
    weekly = pl.read_parquet(partition(data_root, "nflverse", "weekly") / "weekly.parquet")
    tree.write("nflverse", "weekly", weekly.filter(pl.col("week") != 10), dt=NEXT)
    res = govern_pending(tree, "nflverse", "weekly", NEXT, as_of=AS_OF + timedelta(days=1))
    # the missing week also shows as growth short of the games played since the current snapshot (season-aware)
    assert res.promoted and [(f.severity, f.code) for f in res.findings] == [("warning", "row_count_stalled"),
                                                                             ("warning", "week_gap")]
