"""Process defaults for Prefect: the demo's in-memory ephemeral database, and no heartbeats for in-process flows."""

from __future__ import annotations

import os

import pytest

from ff_analytics.orchestration.env import (
    DEMO_PREFECT_DEFAULTS,
    PREFECT_DEFAULTS,
    ensure_demo_prefect_env,
    in_process_settings,
)

DB_URL = "PREFECT_API_DATABASE_CONNECTION_URL"


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path) -> pytest.MonkeyPatch:
    """Every variable the functions may set is restored afterwards (set here, so monkeypatch tracks it)."""
    for key in PREFECT_DEFAULTS:
        monkeypatch.setenv(key, os.environ.get(key, PREFECT_DEFAULTS[key]))
    monkeypatch.setenv("PREFECT_HOME", os.environ.get("PREFECT_HOME", str(tmp_path / "prefect-home")))
    monkeypatch.delenv(DB_URL, raising=False)
    return monkeypatch


def test_demo_server_gets_an_in_memory_database(clean_env: pytest.MonkeyPatch) -> None:
    ensure_demo_prefect_env()
    assert os.environ[DB_URL] == DEMO_PREFECT_DEFAULTS[DB_URL]
    assert ":memory:" in os.environ[DB_URL]  # Prefect serves in-memory SQLite through a single connection


def test_the_users_database_setting_wins(clean_env: pytest.MonkeyPatch, tmp_path) -> None:
    mine = f"sqlite+aiosqlite:///{tmp_path / 'prefect.db'}"
    clean_env.setenv(DB_URL, mine)
    ensure_demo_prefect_env()
    assert os.environ[DB_URL] == mine


def test_in_process_flows_run_without_heartbeats_and_the_setting_is_restored() -> None:
    from prefect.settings import get_current_settings

    before = get_current_settings().flows.heartbeat_frequency
    assert before is not None, "Prefect's default sends heartbeats"
    with in_process_settings():
        assert get_current_settings().flows.heartbeat_frequency is None
    assert get_current_settings().flows.heartbeat_frequency == before
