"""Prefect/dbt process defaults that must be in place before Prefect is imported.

A user runs ``uv run ffa demo`` on a fresh machine: Prefect's ephemeral server needs a longer startup timeout than
its default, telemetry must stay off, and PREFECT_HOME should be project-local (``.prefect/``, gitignored) rather
than the user's home; ``ffa demo`` also gives its ephemeral server an in-memory database
(:func:`ensure_demo_prefect_env`). Values the user already set win. This is the one place the orchestration writes
process environment defaults (Prefect and dbt read them from the environment, not from our settings), and the one
place it changes Prefect settings for flows run in-process (:func:`in_process_settings`: no heartbeats).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ff_analytics.settings import PROJECT_ROOT

PREFECT_DEFAULTS = {
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "120",
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "DO_NOT_TRACK": "1",
    # Our log lines (dbt's included) inside a flow run go to that run's logs in the UI; outside one, nowhere else.
    "PREFECT_LOGGING_EXTRA_LOGGERS": "ff_analytics",
    "PREFECT_LOGGING_TO_API_WHEN_MISSING_FLOW": "ignore",
}


# `ffa demo` on Prefect's ephemeral server: an in-memory database. Prefect keeps one connection for an in-memory
# SQLite database; with a file it pools several, and when sources start their flows together, concurrent
# `POST /task_runs/` (read the flow run, then insert) fail with "database is locked" and the client retries
# after 2 s, 4 s, ... (measured: source flows starting up to 15 s late). The demo's runs then live as long as the
# demo process; to keep them, point PREFECT_API_URL at a running `prefect server start`.
DEMO_PREFECT_DEFAULTS = {"PREFECT_API_DATABASE_CONNECTION_URL": "sqlite+aiosqlite:///:memory:"}


def ensure_demo_prefect_env() -> None:
    """The demo's defaults on top of :func:`ensure_prefect_env`; call before the first flow of the process. Only an
    ephemeral server this process starts reads them (none starts when PREFECT_API_URL is set). The user's values
    win."""
    ensure_prefect_env()
    for key, value in DEMO_PREFECT_DEFAULTS.items():
        os.environ.setdefault(key, value)


def ensure_prefect_env(prefect_home: Path | None = None) -> None:
    """Set Prefect/dbt defaults (not overriding the user's); call before ``import prefect``."""
    for key, value in PREFECT_DEFAULTS.items():
        os.environ.setdefault(key, value)
    os.environ.setdefault("PREFECT_HOME", str(prefect_home or PROJECT_ROOT / ".prefect"))
    Path(os.environ["PREFECT_HOME"]).mkdir(parents=True, exist_ok=True)


@contextmanager
def in_process_settings() -> Iterator[None]:
    """Prefect settings for flows run inside this process (``ffa run``, ``ffa demo``): no flow-run heartbeats.

    Heartbeats let a server notice a flow whose process died; here the caller's own process runs the flow and
    sees it end. Prefect's heartbeat thread sleeps in one-second steps and every flow run (each source subflow
    too) joins it on exit, so each run ended up to a second late. Deployments run by a worker keep heartbeats.
    The setting cannot be switched off through the environment (the value must be None), hence a context.
    """
    from prefect.settings import PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings

    with temporary_settings(updates={PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}):
        yield
