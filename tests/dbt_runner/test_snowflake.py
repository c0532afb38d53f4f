"""The same flow and block profiles against fakesnow's Snowflake server; secrets never leave the profile dir."""

from __future__ import annotations

import logging
import tempfile
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ff_analytics.dbt_runner.flow import run_dbt
from ff_analytics.settings import get_settings

pytestmark = pytest.mark.slow
PROJECT = Path(__file__).parent / "projects" / "snowflake_project"
PASSWORD = "Zq9-distinctive-SNOWFLAKE-pw-7731"


def _files_containing(root: Path, needle: str) -> list[Path]:
    hits = []
    for path in root.rglob("*"):
        if path.is_file():
            try:
                if needle.encode() in path.read_bytes():
                    hits.append(path)
            except OSError:
                continue
    return hits


def test_snowflake_build_through_blocks_leaks_no_secret(prefect_api, fakesnow_server, tmp_path, monkeypatch, caplog,
                                                         capfd):
    from prefect.artifacts import Artifact
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import LogFilter, LogFilterFlowRunId

    from ff_analytics.cli.main import app

    env = {"FFA_SNOWFLAKE_TARGET": "snowflake_ci", "FFA_SNOWFLAKE_ACCOUNT": "ffa_test", "FFA_SNOWFLAKE_USER": "dbt",
           "FFA_SNOWFLAKE_PASSWORD": PASSWORD, "FFA_SNOWFLAKE_DATABASE": "FFA", "FFA_SNOWFLAKE_SCHEMA": "MARTS",
           "FFA_SNOWFLAKE_WAREHOUSE": "WH", "FFA_SNOWFLAKE_HOST": "127.0.0.1",
           "FFA_SNOWFLAKE_PORT": str(fakesnow_server), "FFA_SNOWFLAKE_PROTOCOL": "http",
           "FFA_SNOWFLAKE_LOGIN_TIMEOUT_SECONDS": "20", "FFA_SNOWFLAKE_NETWORK_TIMEOUT_SECONDS": "60",
           "FFA_DBT_DEV_DUCKDB_PATH": str(tmp_path / "dev.duckdb"), "FFA_DBT_PROD_DUCKDB_PATH": ""}
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    get_settings.cache_clear()
    registered = CliRunner().invoke(app, ["blocks", "register"])
    assert registered.exit_code == 0, registered.output
    assert "ffa-dbt-snowflake-target/ffa-dbt-snowflake-ci" in registered.output
    assert "ffa-dbt-duckdb-target/ffa-dbt-dev" in registered.output
    assert PASSWORD not in registered.output

    private_tmp = tmp_path / "tmp"
    private_tmp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(private_tmp))
    caplog.set_level(logging.DEBUG)
    state = run_dbt(command="build", target="snowflake_ci", project_dir=str(PROJECT), return_state=True)
    assert state.is_completed(), state
    summary = state.result()
    assert summary["nodes_by_type_and_status"] == {"model": {"success": 2}, "test": {"pass": 5}}

    # The ephemeral profiles dir is gone and nothing with the password is left anywhere we can see.
    assert not list(private_tmp.glob("ffa-dbt-profiles-*"))
    assert _files_containing(tmp_path, PASSWORD) == []
    assert _files_containing(PROJECT, PASSWORD) == []
    assert not (Path.home() / ".dbt" / "profiles.yml").exists() or \
        PASSWORD not in (Path.home() / ".dbt" / "profiles.yml").read_text()
    captured = capfd.readouterr()
    assert PASSWORD not in captured.out + captured.err
    assert PASSWORD not in caplog.text
    from prefect.logging.handlers import APILogHandler

    APILogHandler().flush()  # logs reach the API in batches
    flow_filter = LogFilter(flow_run_id=LogFilterFlowRunId(any_=[state.state_details.flow_run_id]))
    deadline = time.monotonic() + 30
    with get_client(sync_client=True) as client:
        while True:
            logs = client.read_logs(log_filter=flow_filter, limit=200)
            if any("mrt_conference_counts" in log.message for log in logs) or time.monotonic() > deadline:
                break
            time.sleep(1)
    assert len(logs) > 5 and any("mrt_conference_counts" in log.message for log in logs)
    assert not [log for log in logs if PASSWORD in log.message]
    artifact = Artifact.get("dbt-run-snowflake-ci")
    assert artifact is not None and "model.ffa_test_snowflake.mrt_conference_counts" in artifact.data
    assert PASSWORD not in artifact.data
