"""Shared test setup: every test gets its own data root and fresh settings; no telemetry leaves the machine."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

from ff_analytics.platform_config import platform_config
from ff_analytics.settings import get_settings

os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")
# One Prefect home (ephemeral-server database) per test process: parallel workers never share a SQLite file, and
# tests never touch the developer's project-local .prefect/.
os.environ.setdefault("PREFECT_HOME", tempfile.mkdtemp(prefix="ffa-test-prefect-home-"))


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


# Parallel runs (pytest-xdist, `--dist loadgroup`): each test file is one unit of work (its module and package
# fixtures are built once), except tests that name their own `xdist_group`; units under RUN_FIRST start first, so
# the longest ones (the SIGKILL streams) run side by side instead of ending the run alone.
RUN_FIRST = ("tests/hardening/",)


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if item.get_closest_marker("xdist_group") is None:
            item.add_marker(pytest.mark.xdist_group(item.nodeid.split("::", 1)[0]))
    items.sort(key=lambda item: not item.nodeid.startswith(RUN_FIRST))  # stable: file order kept otherwise

