"""Where a pipeline run's log lines go: one log file under the data root, the terminal only with ``-v``.

A demo logs about 700 lines (Prefect's task states, dbt's node lines, ours); on a terminal they would bury the
summary. So every line goes to ``<root>/logs/<command>-<time>.log`` (and, inside a Prefect flow run, to that run's
logs in the Prefect UI: ``ff_analytics`` is one of Prefect's extra loggers); ``-v`` prints them on stderr too.
dbt's own console stays quiet (its lines reach the log through the dbt runner's event listener) and uncoloured.

Enter before Prefect is imported: Prefect keeps a root logger's user handlers instead of installing its console
handler, which is what keeps its per-task lines off the terminal.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from ff_analytics.dbt_runner.invoke import process_env

LOG_FORMAT = "%(asctime)s %(levelname)-7s %(name)s - %(message)s"
QUIET_DBT = {"DBT_QUIET": "true", "DBT_USE_COLORS": "false"}


def run_log_path(logs_dir: Path, command: str) -> Path:
    """``logs/ffa-demo-20261207T124030Z.log``: one file per run, sortable by time."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    return logs_dir / f"{command.replace(' ', '-')}-{stamp}.log"


@contextmanager
def run_log(path: Path, *, verbose: bool = False) -> Iterator[Path]:
    """Send the platform's, Prefect's and dbt's log lines to ``path`` (and stderr when ``verbose``) for the block."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handlers: list[logging.Handler] = [logging.FileHandler(path, encoding="utf-8")]
    if verbose:
        handlers.append(logging.StreamHandler(sys.stderr))
    root, ours = logging.getLogger(), logging.getLogger("ff_analytics")
    saved_level = ours.level
    for handler in handlers:
        handler.setFormatter(logging.Formatter(LOG_FORMAT))
        root.addHandler(handler)
    ours.setLevel(logging.INFO)  # third-party loggers stay at the root's WARNING (HTTP clients log URLs at INFO)
    try:
        with process_env(QUIET_DBT):
            yield path
    finally:
        for handler in handlers:
            root.removeHandler(handler)
            handler.close()
        ours.setLevel(saved_level)
