"""The ops history: registry diffs become snapshot events, runs append to ops.* in a real DuckDB warehouse, and a
real `dbt build --full-refresh` on the same file leaves the ops schema alone."""

from __future__ import annotations

import shutil
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import duckdb
import pytest

from ff_analytics.dbt_runner.artifacts import RunArtifacts
from ff_analytics.governance.findings import Finding, Severity
from ff_analytics.governance.gate import govern_pending
from ff_analytics.governance.ops_store import RunRecord, changed, read_history, record_run, registry_events
from ff_analytics.snapshots.registry import RegistryRow
from ff_analytics.snapshots.store import SnapshotStore
from tests.governance.tree import recording

DBT_FIXTURE = Path(__file__).parents[1] / "dbt_runner" / "fixtures" / "demo_build"
DBT_PROJECT = Path(__file__).parents[1] / "dbt_runner" / "projects" / "duckdb_project"
T0 = datetime(2025, 1, 20, 9, 0, tzinfo=UTC)


def row(dataset: str, dt: str, status: str, rows: int = 10) -> RegistryRow:
    return RegistryRow("ktc", dataset, dt, status, row_count=str(rows))


def test_registry_diff_names_written_promoted_rolled_back_archived_unchanged() -> None:
    before = [row("players", "2025-01-12", "historical"), row("players", "2025-01-19", "current"),
              row("picks", "2025-01-19", "current"), row("picks", "2024-06-01", "historical"),
              row("values", "2025-01-19", "current")]
    after = [row("players", "2025-01-12", "historical"), row("players", "2025-01-19", "historical"),
             row("players", "2025-01-20", "current", 12),
             row("picks", "2025-01-19", "historical"), row("picks", "2024-06-01", "current"),
             row("values", "2025-01-19", "current")]
    events = registry_events(before, after, unchanged=[("ktc", "values", "2025-01-19")])
    got = {(e.dataset, e.dt.isoformat(), e.event) for e in events}
    assert got == {("players", "2025-01-20", "written"), ("players", "2025-01-20", "promoted"),
                   ("picks", "2025-01-19", "rolled back"), ("picks", "2024-06-01", "promoted"),
                   ("values", "2025-01-19", "unchanged")}
    assert next(e for e in events if e.event == "rolled back").detail == "back to 2024-06-01"
    archived = registry_events([row("players", "2024-01-01", "historical")], [row("players", "2024-01-01", "archived")])
    assert [e.event for e in archived] == ["archived"]
    assert changed(events) and not changed([e for e in events if e.event == "unchanged"])


def test_two_runs_append_and_stay_queryable(tree: SnapshotStore, tmp_path: Path) -> None:
    wh = tmp_path / "warehouse" / "ff_analytics.duckdb"
    before = tree.registry.read()
    tree.write("ktc", "players", recording("ktc", "players", "players.parquet").head(48), dt="2025-01-20")
    gate = govern_pending(tree, "ktc", "players", "2025-01-20")
    events = registry_events(before, tree.registry.read())
    assert {(e.dataset, e.event) for e in events} == {("players", "written"), ("players", "promoted")}
    nodes = RunArtifacts.load(DBT_FIXTURE).results().values()
    warn = Finding(severity=Severity.warning, check="sheets", code="copy_tabs_present", source="sheets",
                   dataset="raw_tabs", dt=date(2025, 1, 19), message="declared absent: ['McCreary', 'Piper', 'TJ']")
    record_run(wh, RunRecord("run-1", T0, T0 + timedelta(seconds=70), "demo", ok=True, data_root=tree.root.url),
               [*gate.findings, warn], nodes, events, dbt_command="build")
    same = registry_events(tree.registry.read(), tree.registry.read(),
                           unchanged=[(r.source, r.dataset, r.snapshot_date) for r in tree.registry.read()
                                      if r.status == "current"])
    record_run(wh, RunRecord("run-2", T0 + timedelta(hours=1), T0 + timedelta(hours=1, seconds=20), "demo"),
               [warn], nodes, same, dbt_command="build", acknowledged=[])
    record_run(wh, RunRecord("run-2", T0 + timedelta(hours=1), T0 + timedelta(hours=1, seconds=20), "demo"),
               [warn], nodes, same, dbt_command="build")  # recording a run again replaces it

    con = duckdb.connect(str(wh), read_only=True)
    runs = con.execute("select run_id, seconds, tests_pass, tests_warn, findings_warning from ops.runs "
                       "order by started_at").fetchall()
    assert runs == [("run-1", 70.0, 5, 1, 1), ("run-2", 20.0, 5, 1, 1)]
    assert con.execute("select count(*) from ops.findings where message like '%McCreary%'").fetchone() == (2,)
    assert con.execute("select name from ops.dbt_results where outcome = 'warn' and run_id = 'run-2'"
                       ).fetchall() == [("assert_staging_row_counts_match_baseline",)]
    unchanged = con.execute("select count(*) from ops.snapshot_events where run_id = 'run-2' and event = "
                            "'unchanged'").fetchone()[0]
    con.close()
    assert unchanged == len([r for r in tree.registry.read() if r.status == "current"]) > 10

    history = read_history(wh)
    assert [r["run_id"] for r in history.runs] == ["run-1", "run-2"]
    assert changed(history.last_events) == []


def test_a_file_that_is_not_a_warehouse_is_a_clear_error_and_stays_untouched(tmp_path: Path) -> None:
    bad = tmp_path / "not_a_db.duckdb"
    bad.write_text("this is not a database")
    with pytest.raises(Exception, match="cannot open warehouse .*not_a_db.duckdb"):
        record_run(bad, RunRecord("run-x", T0, T0))
    assert bad.read_text() == "this is not a database"


@pytest.mark.slow
def test_dbt_full_refresh_keeps_the_ops_schema(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """dbt in this process (as `ffa demo --no-prefect` and the Prefect flows run it), then the run is recorded on
    the same file: dbt-duckdb's cached connection is released, and the ops schema survived the full refresh."""
    from dbt.cli.main import dbtRunner

    project = tmp_path / "project"
    shutil.copytree(DBT_PROJECT, project, ignore=shutil.ignore_patterns("target", "logs"))
    wh = tmp_path / "warehouse.duckdb"
    monkeypatch.setenv("FFA_TEST_DUCKDB_PATH", str(wh))
    monkeypatch.setenv("DO_NOT_TRACK", "1")
    args = ["build", "--full-refresh", "--project-dir", str(project), "--profiles-dir", str(project),
            "--target-path", str(tmp_path / "target"), "--log-path", str(tmp_path / "logs")]
    record_run(wh, RunRecord("run-1", T0, T0))
    res = dbtRunner().invoke(args)
    assert res.success, res.exception
    record_run(wh, RunRecord("run-2", T0 + timedelta(hours=1), T0 + timedelta(hours=1)))
    assert [r["run_id"] for r in read_history(wh).runs] == ["run-1", "run-2"]
    con = duckdb.connect(str(wh), read_only=True)
    assert con.execute("select count(*) from information_schema.tables where table_schema = 'main'").fetchone()[0]
    con.close()
