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

from ff_analytics.dbt_runner.invoke import DBT_LOG, process_env

QUIET_DBT = {"DBT_QUIET": "true", "DBT_USE_COLORS": "false"}


class RunLogFormatter(logging.Formatter):
    """``time LEVEL logger [task or flow run] - message``: Prefect's records name the run they belong to."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)-7s %(where)s - %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        run = getattr(record, "task_run_name", None) or getattr(record, "flow_run_name", None)
        record.where = f"{record.name} [{run}]" if run else record.name
        return super().format(record)


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
    saved_level, saved_dbt = ours.level, DBT_LOG.propagate
    for handler in handlers:
        handler.setFormatter(RunLogFormatter())
        root.addHandler(handler)
    ours.setLevel(logging.INFO)  # third-party loggers stay at the root's WARNING (HTTP clients log URLs at INFO)
    DBT_LOG.propagate = True
    try:
        with process_env(QUIET_DBT):
            yield path
    finally:
        for handler in handlers:
            root.removeHandler(handler)
            handler.close()
        ours.setLevel(saved_level)
        DBT_LOG.propagate = saved_dbt
