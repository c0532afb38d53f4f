"""run_dbt on a real DuckDB project through a real Prefect server: blocks and local profiles, failures,
state-based selection, the summary artifact, and parity on the artifacts of real runs."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from ff_analytics.dbt_runner.flow import DbtRunError, run_dbt

pytestmark = pytest.mark.slow


def _build(project: Path, **kw) -> dict:
    return run_dbt(command=kw.pop("command", "build"), project_dir=str(project), **kw)


def _cli(*args: str):
    from ff_analytics.cli.main import app

    return CliRunner().invoke(app, list(args))


def test_build_with_block_profile_runs_every_node_and_publishes_a_summary(duckdb_project, duckdb_target, data_root):
    from prefect.artifacts import Artifact

    summary = _build(duckdb_project)
    assert summary["success"] is True
    assert summary["nodes_by_type_and_status"] == {"model": {"success": 4}, "seed": {"success": 3},
                                                   "test": {"pass": 7}}
    run_dir = Path(summary["artifacts_dir"])
    assert run_dir.is_relative_to(data_root / "ops" / "dbt_runs" / "duckdb_project")
    assert (run_dir / "run_results.json").is_file() and (run_dir / "manifest.json").is_file()
    assert len(summary["slowest"]) == 10 and summary["slowest"][0]["seconds"] >= summary["slowest"][-1]["seconds"]
    with duckdb.connect(str(duckdb_target)) as con:
        assert con.execute("select count(*) from main.mrt_fantasy_projections").fetchone() == (28,)
    artifact = Artifact.get("dbt-run-dev")
    assert artifact is not None
    assert "## Nodes by status" in artifact.data and "| pass | 7 |" in artifact.data
    assert "## Slowest nodes" in artifact.data
    assert all(f"| `{node['unique_id']}` |" in artifact.data for node in summary["slowest"])  # which 10: timing


def test_bad_vars_fail_before_dbt_starts(duckdb_project, duckdb_target, data_root):
    state = run_dbt(command="build", vars="{not: valid", project_dir=str(duckdb_project), return_state=True)
    assert state.is_failed()
    assert "vars is not valid JSON/YAML" in str(state.result(raise_on_failure=False))
    assert not (data_root / "ops").exists()  # no run dir: dbt never started


def test_missing_target_block_is_a_clear_error(duckdb_project, prefect_api):
    state = run_dbt(command="build", target="nosuchtarget", project_dir=str(duckdb_project), return_state=True)
    assert state.is_failed()
    assert "no dbt target block 'ffa-dbt-nosuchtarget'" in str(state.result(raise_on_failure=False))


def test_failing_test_fails_the_flow_naming_the_node(duckdb_project, duckdb_target):
    yml = duckdb_project / "models" / "marts" / "_marts.yml"
    yml.write_text(yml.read_text().replace("values: [QB, RB, WR, TE]", "values: [QB, RB, WR]"))
    with pytest.raises(DbtRunError, match=r"test\.ffa_test_duckdb\.accepted_values_mrt_fantasy_projections.*"
                                          r"\(fail\)"):
        _build(duckdb_project)


def test_local_profiles_and_state_based_selection(duckdb_project, prefect_api, tmp_path, monkeypatch):
    monkeypatch.setenv("FFA_TEST_DUCKDB_PATH", str(tmp_path / "local.duckdb"))
    first = _build(duckdb_project, profiles_strategy="local", vars={"note": "first"})
    assert first["success"]
    model = duckdb_project / "models" / "marts" / "fct_asset_market_values.sql"
    model.write_text(model.read_text() + "\nwhere ktc_value > 0\n")
    second = _build(duckdb_project, profiles_strategy="local", select="state:modified+",
                    state_path=str(Path(first["artifacts_dir"]).parent), defer=True)
    ran = {r["unique_id"] for r in second["slowest"]}
    assert "model.ffa_test_duckdb.fct_asset_market_values" in ran
    assert "model.ffa_test_duckdb.mrt_fantasy_projections" not in ran
    assert second["nodes_by_type_and_status"] == {"model": {"success": 1}, "test": {"pass": 2}}


def test_parity_on_two_real_runs_then_a_removed_model(duckdb_project, duckdb_target):
    baseline = _build(duckdb_project)["artifacts_dir"]
    candidate = _build(duckdb_project)["artifacts_dir"]
    same = _cli("dbt", "parity", baseline, candidate)
    assert same.exit_code == 0, same.output
    assert "parity: IDENTICAL" in same.output

    (duckdb_project / "models" / "marts" / "fct_asset_market_values.sql").unlink()
    seed = duckdb_project / "seeds" / "players.csv"
    seed.write_text(seed.read_text() + "p15,Puka Nacua,WR,LAR\n")
    changed = _build(duckdb_project)["artifacts_dir"]
    text = _cli("dbt", "parity", baseline, changed, "--tolerance", "rows=0.1")
    assert text.exit_code == 1
    assert "model.ffa_test_duckdb.fct_asset_market_values is only in the baseline" in text.output
    as_json = _cli("dbt", "parity", baseline, changed, "--format", "json", "--tolerance", "rows=0.01")
    assert as_json.exit_code == 1
    report = json.loads(as_json.stdout)
    assert report["identical"] is False
    assert "model.ffa_test_duckdb.fct_asset_market_values" in report["only_in_baseline"]
    assert report["counts_by_type"]["model"] == {"baseline": 4, "candidate": 3}
    assert {"unique_id": "seed.ffa_test_duckdb.players", "baseline": 14, "candidate": 15, "relative": 0.071429,
            "within_tolerance": False} in report["row_count_differences"]
