"""prefect.yaml: schedules match config/platform.yaml, and a deployment runs to Completed on a real server + worker."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from ff_analytics.orchestration.deployments import (
    WORK_POOL,
    check_prefect_yaml,
    deployment_specs,
    render_deployments,
    shift_minutes,
)
from ff_analytics.platform_config import platform_config
from ff_analytics.settings import PROJECT_ROOT
from ff_analytics.sources.catalog import SOURCES
from tests.prefect_server import prefect_env, running_worker

PREFECT_YAML = PROJECT_ROOT / "prefect.yaml"


def test_prefect_yaml_schedules_match_platform_config():
    assert check_prefect_yaml(PREFECT_YAML) == []


def test_drifted_schedule_is_reported(tmp_path: Path):
    doc = yaml.safe_load(PREFECT_YAML.read_text())
    for d in doc["deployments"]:
        if d["name"] == "ktc":
            d["schedules"] = [{"cron": "0 0 1 1 *"}]
    drifted = tmp_path / "prefect.yaml"
    drifted.write_text(yaml.safe_dump(doc))
    problems = check_prefect_yaml(drifted)
    assert problems == ["ktc: schedules ['0 0 1 1 *'] != ['0 7 * * *'] from config/platform.yaml"]


def test_every_source_has_a_deployment_and_sheet_parse_follows_copy():
    specs = {s.name: s for s in deployment_specs()}
    assert set(specs) == {*(s.name for s in SOURCES if len(s.stages) == 1), "sheets-copy", "sheets-parse",
                          "all-sources"}
    assert {s.flow for s in specs.values()} == {"source_pipeline", "ff_analytics_pipeline"}
    assert specs["sheets-parse"].parameters == {"source": "sheets", "stages": ["parse"]}
    copy_cron = platform_config().sources["sheets"].cadence.cron
    assert specs["sheets-parse"].cron == shift_minutes(copy_cron, 20)
    assert all(d["work_pool"]["name"] == WORK_POOL for d in render_deployments())
    with pytest.raises(Exception, match="plain number"):
        shift_minutes("*/5 * * * *", 20)


def _prefect(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "prefect", *args], env=env, cwd=PROJECT_ROOT, capture_output=True,
                          text=True, timeout=300)


@pytest.mark.slow
def test_deployment_runs_on_a_worker_against_the_local_server(prefect_api, prefect_home, tmp_path):
    from prefect.client.orchestration import get_client

    from ff_analytics.replay.ktc import build_ktc_server

    with build_ktc_server() as ktc:
        env = {**prefect_env(prefect_home, prefect_api), "FFA_KTC_BASE_URL": ktc.url,
               "FFA_DATA_ROOT": str(tmp_path / "worker-data"), "FFA_FETCH_RETRY_DELAY_SECONDS": "0"}
        created = _prefect(["work-pool", "create", WORK_POOL, "--type", "process", "--overwrite"], env)
        assert created.returncode == 0, created.stdout + created.stderr
        deployed = _prefect(["--no-prompt", "deploy", "--name", "ktc"], env)
        assert deployed.returncode == 0, deployed.stdout + deployed.stderr
        with running_worker(WORK_POOL, env, tmp_path / "worker.log"), get_client(sync_client=True) as client:
            deployment = client.read_deployment_by_name("source_pipeline/ktc")
            assert deployment.schedules[0].schedule.cron == "0 7 * * *"
            run = client.create_flow_run_from_deployment(deployment.id, parameters={"force": True})
            deadline = time.monotonic() + 240
            while time.monotonic() < deadline:
                state = client.read_flow_run(run.id).state
                if state is not None and state.is_final():
                    break
                time.sleep(2)
        assert state is not None and state.is_completed(), (state, (tmp_path / "worker.log").read_text()[-3000:])
    registry = (tmp_path / "worker-data" / "registry" / "snapshot_registry.csv").read_text()
    assert "ktc,players" in registry and "current" in registry
    assert len(ktc.calls()) >= 1
