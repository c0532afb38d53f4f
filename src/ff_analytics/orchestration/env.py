"""Prefect/dbt process defaults that must be in place before Prefect is imported.

A user runs ``uv run ffa demo`` on a fresh machine: Prefect's ephemeral server needs a longer startup timeout than
its default, telemetry must stay off, and PREFECT_HOME should be project-local (``.prefect/``, gitignored) rather
than the user's home. Values the user already set win. This is the one place the orchestration writes process
environment defaults (Prefect and dbt read them from the environment, not from our settings).
"""

from __future__ import annotations

import os
from pathlib import Path

from ff_analytics.settings import PROJECT_ROOT

PREFECT_DEFAULTS = {
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "120",
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "DO_NOT_TRACK": "1",
}


def ensure_prefect_env(prefect_home: Path | None = None) -> None:
    """Set Prefect/dbt defaults (not overriding the user's); call before ``import prefect``."""
    for key, value in PREFECT_DEFAULTS.items():
        os.environ.setdefault(key, value)
    os.environ.setdefault("PREFECT_HOME", str(prefect_home or PROJECT_ROOT / ".prefect"))
    Path(os.environ["PREFECT_HOME"]).mkdir(parents=True, exist_ok=True)


def set_env(values: dict[str, str]) -> dict[str, str | None]:
    """Set environment variables for this process; return the previous values so callers can restore them."""
    previous = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    return previous


def restore_env(previous: dict[str, str | None]) -> None:
    for key, value in previous.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value
