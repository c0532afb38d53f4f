"""Shared fixtures for the dbt runner tests: one real Prefect server for the package, dbt test projects."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.prefect_server import free_port, running_prefect_server

PROJECTS = Path(__file__).parent / "projects"


@pytest.fixture(scope="package")
def prefect_api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real `prefect server` shared by this package; in-process flows and clients talk to it."""
    from prefect.context import refresh_global_settings_context
    from prefect.settings import PREFECT_API_URL, PREFECT_HOME, temporary_settings

    home = tmp_path_factory.mktemp("prefect_home")
    with running_prefect_server(home) as api_url:
        # Also in os.environ and Prefect's global settings context: threads (prefect-dbt's callback thread, the
        # log and event workers) do not see a context-local `temporary_settings`.
        saved = {k: os.environ.get(k) for k in ("PREFECT_API_URL", "PREFECT_HOME")}
        os.environ.update({"PREFECT_API_URL": api_url, "PREFECT_HOME": str(home)})
        refresh_global_settings_context()
        try:
            with temporary_settings(updates={PREFECT_API_URL: api_url, PREFECT_HOME: str(home)}):
                yield api_url
        finally:
            for key, value in saved.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value
            refresh_global_settings_context()


@pytest.fixture
def duckdb_project(tmp_path: Path) -> Path:
    """A private copy of the DuckDB test project (tests may edit it)."""
    dest = tmp_path / "duckdb_project"
    shutil.copytree(PROJECTS / "duckdb_project", dest, ignore=shutil.ignore_patterns("target", "logs"))
    return dest


@pytest.fixture
def duckdb_target(prefect_api: str, tmp_path: Path):
    """The `ffa-dbt-dev` block pointing at a fresh DuckDB file; yields the file path."""
    from ff_analytics.dbt_runner.targets import DbtDuckDBTarget

    path = tmp_path / "warehouse.duckdb"
    DbtDuckDBTarget(path=str(path), schema="main", threads=2).save("ffa-dbt-dev", overwrite=True)
    return path


@pytest.fixture(scope="package")
def fakesnow_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    """A fakesnow server on 127.0.0.1 (Snowflake's wire protocol over DuckDB); yields its port."""
    port = free_port()
    log = open(tmp_path_factory.mktemp("fakesnow") / "fakesnow.log", "wb")
    proc = subprocess.Popen([sys.executable, "-m", "fakesnow", "-s", "-p", str(port), "--host", "127.0.0.1"],
                            stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:
                raise RuntimeError("fakesnow server exited early")
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", port)) == 0:
                    break
            if time.monotonic() > deadline:
                raise RuntimeError("fakesnow server did not start")
            time.sleep(0.2)
        yield port
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()
