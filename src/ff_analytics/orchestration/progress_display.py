"""A live Rich display of a pipeline run on a terminal: a line per source, a bar per dbt invocation.

It listens to :mod:`ff_analytics.progress` events and disappears when the run ends, so the summary table that
follows is the one thing left on screen. Off a terminal (CI logs, pipes) nothing is drawn.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TaskID, TextColumn, TimeElapsedColumn

from ff_analytics import progress
from ff_analytics.orchestration.summary import STATUS_STYLE


class LiveProgress:
    """Source lines (spinner, then their status) and dbt bars (nodes finished of the invocation's total)."""

    def __init__(self, console: Console) -> None:
        self.progress = Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(),
                                 MofNCompleteColumn(), TimeElapsedColumn(), console=console, transient=True)
        self._tasks: dict[str, TaskID] = {}
        self._lock = threading.Lock()

    def _task(self, key: str, description: str, total: int | None) -> TaskID:
        with self._lock:
            if key not in self._tasks:
                self._tasks[key] = self.progress.add_task(description, total=total)
            return self._tasks[key]

    def source_started(self, source: str) -> None:
        self._task(f"source:{source}", source, 1)

    def source_finished(self, source: str, status: str) -> None:
        style = STATUS_STYLE.get(status, "")
        label = f"[{style}]{status}[/{style}]" if style else status
        self.progress.update(self._task(f"source:{source}", source, 1), completed=1,
                             description=f"{source}: {label}")

    def dbt_node_finished(self, command: str, node: str, status: str, total: int | None) -> None:
        task = self._task(f"dbt:{command}", f"dbt {command}", total)
        self.progress.update(task, advance=1, total=total)


@contextmanager
def live_progress(console: Console) -> Iterator[None]:
    """Show the run's progress while the block runs, when ``console`` is a terminal."""
    if not console.is_terminal:
        yield
        return
    display = LiveProgress(console)
    with display.progress, progress.listening(display):
        display.progress.add_task("running the pipeline", total=None)
        yield
