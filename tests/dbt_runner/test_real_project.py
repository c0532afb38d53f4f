"""Parity on real artifacts of our own dbt project (dbt/ff_analytics on the connectors' sample data root):
two identical runs → exit 0; a run without one mart → exit 1 naming it."""

from __future__ import annotations

import json
import shutil

import pytest
from typer.testing import CliRunner

from ff_analytics.dbt_runner.flow import run_dbt
from ff_analytics.settings import PROJECT_ROOT, get_settings
from ff_analytics.snapshots.store import SnapshotStore

pytestmark = pytest.mark.slow
REMOVED = "model.ff_analytics.mrt_projection_variance"


def test_parity_on_two_runs_of_ff_analytics_then_a_removed_mart(prefect_api, tmp_path, monkeypatch):
    from ff_analytics.cli.main import app
    from ff_analytics.dbt_runner.targets import DbtDuckDBTarget
    from tests.dbt.sample_root import build_sample_root

    build_sample_root(SnapshotStore())
    DbtDuckDBTarget(path=str(tmp_path / "ff.duckdb"), schema="main", threads=2,
                    plugins=[{"module": "ff_analytics.transform.duckdb_plugin", "alias": "ffa"}]
                    ).save("ffa-dbt-dev", overwrite=True)
    first = run_dbt(command="build")
    second = run_dbt(command="build")
    assert first["success"] and first["nodes_by_type_and_status"] == second["nodes_by_type_and_status"]
    same = CliRunner().invoke(app, ["dbt", "parity", first["artifacts_dir"], second["artifacts_dir"]])
    assert same.exit_code == 0, same.output

    # The same project minus one mart (a copy: seeds are read from ../../config/league, so link config/ in).
    repo = tmp_path / "repo"
    shutil.copytree(PROJECT_ROOT / "dbt" / "ff_analytics", repo / "dbt" / "ff_analytics",
                    ignore=shutil.ignore_patterns("target", "logs", "*.duckdb"))
    (repo / "config").symlink_to(PROJECT_ROOT / "config")
    (repo / "dbt" / "ff_analytics" / "models" / "marts" / "mrt_projection_variance.sql").unlink()
    monkeypatch.setenv("FFA_DBT_PROJECT_DIR", str(repo / "dbt" / "ff_analytics"))
    get_settings.cache_clear()
    third = run_dbt(command="build")
    result = CliRunner().invoke(app, ["dbt", "parity", first["artifacts_dir"], third["artifacts_dir"],
                                      "--format", "json"])
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["only_in_baseline"][:1] == [REMOVED] or REMOVED in report["only_in_baseline"]
    assert f"model {REMOVED} is only in the baseline" in report["differences"]
    assert report["counts_by_type"]["model"]["baseline"] == report["counts_by_type"]["model"]["candidate"] + 1


def test_ffa_dbt_run_builds_the_warehouse_of_the_data_root(prefect_api):
    """`ffa dbt run` on this project builds the very DuckDB file `ffa run` / `ffa demo` build for the data root."""
    import duckdb
    import polars as pl

    from ff_analytics.cli.main import app
    from ff_analytics.transform import prepare_dbt

    store = SnapshotStore()
    store.write("ktc", "players", pl.DataFrame({"ktc_id": [1], "value": [5000]}), dt="2025-10-01")
    store.registry.promote("ktc", "players")
    warehouse = store.root.warehouse_path
    assert not warehouse.exists()
    result = CliRunner().invoke(app, ["dbt", "run", "run", "--select", "snapshot_registry"])
    assert result.exit_code == 0, result.output
    assert prepare_dbt(store).warehouse_path == warehouse.resolve()  # what the pipeline's dbt steps build
    with duckdb.connect(str(warehouse)) as con:  # dbt-duckdb may still hold this file open in this process
        rows = con.execute("select source, dataset, status from main_registry.snapshot_registry").fetchall()
    assert rows == [("ktc", "players", "current")]
    assert store.root.dbt_runs_dir.is_dir()  # the run's artifacts are the root's too
