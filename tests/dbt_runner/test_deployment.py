"""prefect.yaml's dbt deployment on a real local server: deploy, process worker, ad-hoc run with overrides."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from ff_analytics.settings import PROJECT_ROOT
from tests.prefect_server import prefect_env, running_worker

pytestmark = pytest.mark.slow
POOL = "ff-analytics-process"


def test_prefect_yaml_declares_one_dbt_deployment_with_dev_and_prod_schedules():
    doc = yaml.safe_load((PROJECT_ROOT / "prefect.yaml").read_text())
    dbt = [d for d in doc["deployments"] if d["name"] == "dbt"]
    assert len(dbt) == 1 and dbt[0]["entrypoint"] == "src/ff_analytics/dbt_runner/flow.py:run_dbt"
    targets = {s["slug"]: s["parameters"]["target"] for s in dbt[0]["schedules"]}
    assert targets == {"prod-daily": "prod", "dev-weekdays": "dev"}


def test_deploy_worker_and_adhoc_run_with_overrides(prefect_api, duckdb_project, data_root, tmp_path):
    from prefect.client.orchestration import get_client
    from prefect.deployments import run_deployment

    from ff_analytics.dbt_runner.targets import DbtDuckDBTarget

    warehouse = tmp_path / "ci.duckdb"
    DbtDuckDBTarget(path=str(warehouse), schema="main", threads=2).save("ffa-dbt-ci", overwrite=True)
    env = prefect_env(Path(os.environ["PREFECT_HOME"]), prefect_api)
    env.update({"FFA_DATA_ROOT": str(data_root), "DO_NOT_TRACK": "1", "PREFECT_LOGGING_LEVEL": "INFO"})
    prefect = [sys.executable, "-m", "prefect"]

    def cli(*args: str) -> subprocess.CompletedProcess:
        done = subprocess.run([*prefect, *args], cwd=PROJECT_ROOT, env=env, capture_output=True, text=True,
                              timeout=240)
        assert done.returncode == 0, done.stdout + done.stderr
        return done

    cli("work-pool", "create", POOL, "--type", "process", "--overwrite")
    cli("--no-prompt", "deploy", "--name", "dbt")
    with get_client(sync_client=True) as client:
        deployment = client.read_deployment_by_name("run-dbt/dbt")
        by_slug = {s.slug: s for s in deployment.schedules}
    assert by_slug["prod-daily"].parameters["target"] == "prod"
    assert by_slug["dev-weekdays"].parameters["target"] == "dev"
    assert deployment.parameters["target"] == "dev"

    with running_worker(POOL, env, tmp_path / "worker.log"):
        run = run_deployment("run-dbt/dbt", timeout=420, parameters={
            "target": "ci", "project_dir": str(duckdb_project), "command": "build",
            "exclude": "fct_asset_market_values", "vars": '{"note": "ad-hoc"}'})
        assert run.state is not None and run.state.is_completed(), \
            f"{run.state}\n{(tmp_path / 'worker.log').read_text()[-3000:]}"
        assert run.parameters["target"] == "ci"
    runs = sorted((data_root / "ops" / "dbt_runs" / "duckdb_project").glob("*-ci-*"))
    assert len(runs) == 1
    results = yaml.safe_load((runs[0] / "target" / "run_results.json").read_text())
    ran = {r["unique_id"] for r in results["results"]}
    assert "model.ffa_test_duckdb.mrt_fantasy_projections" in ran
    assert "model.ffa_test_duckdb.fct_asset_market_values" not in ran
    assert results["args"]["vars"] == {"note": "ad-hoc"}
