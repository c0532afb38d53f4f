"""The run log of `ffa demo` / `ffa run`: what goes into the file, what stays out, and that nothing outlives the run."""

from __future__ import annotations

import logging
import os
from pathlib import Path

from ff_analytics.dbt_runner.invoke import DBT_LOG
from ff_analytics.orchestration.run_log import run_log, run_log_path


def test_our_and_dbts_lines_go_to_the_file_http_clients_urls_do_not(tmp_path: Path) -> None:
    path = run_log_path(tmp_path / "logs", "ffa-demo")
    assert path.parent == tmp_path / "logs" and path.name.startswith("ffa-demo-") and path.suffix == ".log"
    handlers_before = list(logging.getLogger().handlers)
    env_before = {k: os.environ.get(k) for k in ("DBT_QUIET", "DBT_USE_COLORS")}
    with run_log(path):
        assert os.environ["DBT_QUIET"] == "true" and os.environ["DBT_USE_COLORS"] == "false"
        logging.getLogger("ff_analytics.orchestration.pipeline").info("nflverse/weekly: new, 1000 rows")
        DBT_LOG.info("1 of 259 OK created sql table model main_staging.stg_ktc__players")
        logging.getLogger("httpx").info("HTTP Request: GET https://discord.example/api/webhooks/secret")
    text = path.read_text()
    assert "INFO    ff_analytics.orchestration.pipeline - nflverse/weekly: new, 1000 rows" in text
    assert "OK created sql table model" in text
    assert "webhooks" not in text
    assert logging.getLogger().handlers == handlers_before and DBT_LOG.propagate is False
    assert {k: os.environ.get(k) for k in env_before} == env_before


def test_verbose_also_prints_the_lines_on_stderr(tmp_path: Path, capsys) -> None:
    with run_log(tmp_path / "run.log", verbose=True):
        logging.getLogger("ff_analytics.steps").info("governance report written")
    assert "governance report written" in capsys.readouterr().err
