"""The player-value analytics template end to end on a real DuckDB project and Prefect server: marts → Polars →
validated rows → snapshot store → dbt analytics mart; bad rows and missing settings fail with an alert."""

from __future__ import annotations

import json

import duckdb
import polars as pl
import pytest

from ff_analytics.analytics.player_value import PlayerValueRow, compute_player_value, player_value_flow
from ff_analytics.analytics.tasks import AnalyticsError, validate_rows
from ff_analytics.dbt_runner.flow import run_dbt
from ff_analytics.replay.server import ReplayServer, Response
from ff_analytics.settings import get_settings
from ff_analytics.snapshots.store import SnapshotStore


def test_vor_uses_the_replacement_player_and_joins_ktc_by_id_then_name():
    proj = pl.DataFrame({"player_id": ["a", "b", "c", None], "player_name": ["A One", "B Two", "C Three", "D Four"],
                         "position": ["RB", "RB", "RB", "WR"], "projected_points": [200.0, 150.0, 100.0, 120.0]})
    ktc = pl.DataFrame({"player_id": ["a", None, "x"], "player_name": ["A One", "d four", "C Three"],
                        "position": ["RB", "WR", "RB"], "ktc_value": [9000, 5000, 7000]})
    out = compute_player_value(proj, ktc, {"RB": 2, "WR": 1}).to_dicts()
    by = {r["player_name"]: r for r in out}
    assert by["A One"]["replacement_points"] == 150.0 and by["A One"]["vor"] == 50.0
    assert by["C Three"]["vor"] == -50.0
    assert by["A One"]["ktc_value"] == 9000 and by["D Four"]["ktc_value"] == 5000   # by name + position
    assert by["C Three"]["ktc_value"] == 7000 and by["B Two"]["ktc_value"] is None
    assert [r["vor_rank"] for r in out] == [1, 2, 3, 4]
    validate_rows(pl.DataFrame(out), PlayerValueRow, "player_value")


def test_validation_names_the_bad_row_and_field():
    bad = pl.DataFrame({"player_id": ["p1"], "player_name": ["X"], "position": ["K"], "projected_points": [-3.0],
                        "replacement_points": [1.0], "vor": [-4.0], "vor_rank": [1], "ktc_value": [None],
                        "ktc_rank": [None], "rank_gap": [None]})
    with pytest.raises(AnalyticsError, match=r"row 0 \(p1\): position String should match pattern.*"
                                             r"row 0 \(p1\): projected_points Input should be greater than or "
                                             r"equal to 0 \(got -3.0\)"):
        validate_rows(bad, PlayerValueRow, "player_value")


@pytest.mark.slow
def test_player_value_flow_end_to_end_and_failures_alert(duckdb_project, duckdb_target, data_root, monkeypatch):
    from ff_analytics.alerts import save_alert_block

    monkeypatch.setenv("FFA_ANALYTICS_RETRY_DELAY_SECONDS", "0")
    monkeypatch.setenv("FFA_ANALYTICS_RETRIES", "1")
    get_settings.cache_clear()
    assert run_dbt(command="build", project_dir=str(duckdb_project))["success"]

    summary = player_value_flow(target="dev", project_dir=str(duckdb_project))
    assert summary["rows"] == 14
    store = SnapshotStore()
    current = store.registry.current("analytics", "player_value")
    assert current is not None and current.status == "current"
    written = pl.read_parquet(store.files("analytics", "player_value")[0])
    allen = written.filter(pl.col("player_name") == "Josh Allen").to_dicts()[0]
    # QB pool (3 QBs) is shallower than the replacement rank: the last QB (Hurts, 2 × 22.8) is replacement level.
    assert allen["projected_points"] == pytest.approx(48.2) and allen["replacement_points"] == pytest.approx(45.6)
    assert allen["vor"] == pytest.approx(2.6) and allen["ktc_value"] == 6100
    assert summary["dbt"]["nodes_by_type_and_status"] == {"model": {"success": 1}, "test": {"pass": 3}}
    with duckdb.connect(str(duckdb_target)) as con:
        rows = con.execute("select count(*), max(snapshot_dt) from main.mrt_player_value").fetchone()
        assert rows[0] == 14 and rows[1] == current.dt
        # A mart with a bad row (negative projection) for the validation-failure run below.
        con.execute("create or replace table main.bad_projections as select * from main.mrt_fantasy_projections")
        con.execute("update main.bad_projections set projected_points = -40 where player_id = 'p05'")

    with ReplayServer() as hook:
        hook.add("/alerts", lambda req: Response(204, b""), method="POST")
        save_alert_block(f"{hook.url}/alerts", kind="webhook")
        state = player_value_flow(target="dev", project_dir=str(duckdb_project), projections_relation="bad_projections",
                                  run_models=False, return_state=True)
        assert state.is_failed()
        message = str(state.result(raise_on_failure=False))
        assert "[analytics/player_value]" in message and "projected_points Input should be greater than or equal " \
            "to 0 (got -80.0)" in message and "(p05)" in message
        assert store.registry.current("analytics", "player_value").dt == current.dt  # nothing new published

        monkeypatch.setenv("FFA_DATA_ROOT", "")
        get_settings.cache_clear()
        state = player_value_flow(target="dev", run_models=False, return_state=True)
        assert state.is_failed()
        assert "missing environment variable(s): FFA_DATA_ROOT" in str(state.result(raise_on_failure=False))
        alerts = [json.loads(r.body) for r in hook.calls("/alerts")]
    texts = [a["content"] for a in alerts]
    assert any("analytics/player_value" in t and "projected_points" in t for t in texts), texts
    assert any("FFA_DATA_ROOT" in t for t in texts), texts
