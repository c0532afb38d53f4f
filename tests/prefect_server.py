"""Start a real `prefect server` on 127.0.0.1 for tests that need one (temp PREFECT_HOME), and stop it."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def prefect_env(home: Path, api_url: str | None = None) -> dict[str, str]:
    env = {**os.environ, "PREFECT_HOME": str(home), "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
           "DO_NOT_TRACK": "1", "PREFECT_LOGGING_LEVEL": "WARNING"}
    if api_url:
        env["PREFECT_API_URL"] = api_url
    return env


@contextmanager
def running_prefect_server(home: Path, startup_timeout: float = 180.0) -> Iterator[str]:
    """Yield the API URL of a fresh server; its logs go to <home>/server.log."""
    home.mkdir(parents=True, exist_ok=True)
    port = free_port()
    log = open(home / "server.log", "wb")
    proc = subprocess.Popen(
        [sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1", "--port", str(port)],
        env=prefect_env(home), stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )
    api_url = f"http://127.0.0.1:{port}/api"
    try:
        deadline = time.monotonic() + startup_timeout
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"prefect server exited early; see {home / 'server.log'}")
            try:
                if httpx.get(f"{api_url}/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"prefect server not healthy after {startup_timeout}s")
            time.sleep(0.5)
        _retire_event_workers()  # in-process events go to this server from now on
        yield api_url
    finally:
        _retire_event_workers()  # deliver what this server is owed before it stops
        stop_process_group(proc, timeout=20)
        log.close()


def stop_process_group(proc: subprocess.Popen, timeout: float) -> None:
    """SIGTERM the process group started with ``start_new_session=True``; SIGKILL it if it outlives ``timeout``."""
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)


@contextmanager
def running_worker(pool: str, env: dict[str, str], log_path: Path) -> Iterator[subprocess.Popen]:
    """A ``prefect worker`` polling ``pool`` (from the project root, so deployments' entrypoints resolve), output
    to ``log_path``; stopped on exit."""
    from ff_analytics.settings import PROJECT_ROOT

    with open(log_path, "wb") as log:
        worker = subprocess.Popen([sys.executable, "-m", "prefect", "worker", "start", "--pool", pool], env=env,
                                  cwd=PROJECT_ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            yield worker
        finally:
            stop_process_group(worker, timeout=30)


def _retire_event_workers() -> None:
    """Flush and stop this process's Prefect events workers.

    Prefect keeps one events worker per process, connected to the API URL in force when it started; unlike the
    log worker it is not keyed by that URL. Tests that switch servers in one process would otherwise send task-run
    events to a server that is gone (those task runs never appear) and hang at exit trying to deliver them.
    """
    from prefect.events.worker import EventsWorker

    EventsWorker.drain_all(timeout=30)
