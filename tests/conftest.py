"""Shared test setup: every test gets its own data root and fresh settings; no telemetry leaves the machine."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ff_analytics.platform_config import platform_config
from ff_analytics.settings import get_settings

os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Point FFA_DATA_ROOT at a temp dir and drop cached settings before and after each test."""
    monkeypatch.setenv("FFA_DATA_ROOT", str(tmp_path / "data"))
    get_settings.cache_clear()
    platform_config.cache_clear()
    yield
    get_settings.cache_clear()
    platform_config.cache_clear()


@pytest.fixture
def data_root(tmp_path: Path) -> Path:
    return tmp_path / "data"
