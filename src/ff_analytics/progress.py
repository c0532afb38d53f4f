"""Progress events of a pipeline run, for whoever displays them.

The pipeline announces each source starting and finishing, and the dbt runner each node it finished; the command
line listens (a Rich progress display on a terminal). Nobody listens by default, so announcing costs a list check.
Sources run in threads (and Prefect subflows in worker threads), so listeners must be thread-safe.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Protocol


class ProgressListener(Protocol):
    def source_started(self, source: str) -> None: ...

    def source_finished(self, source: str, status: str) -> None: ...

    def dbt_node_finished(self, command: str, node: str, status: str, total: int | None) -> None: ...


_listeners: list[ProgressListener] = []
_lock = threading.Lock()


@contextmanager
def listening(listener: ProgressListener) -> Iterator[None]:
    """Send this run's progress events to ``listener`` until the block ends."""
    with _lock:
        _listeners.append(listener)
    try:
        yield
    finally:
        with _lock:
            _listeners.remove(listener)


def _each() -> list[ProgressListener]:
    with _lock:
        return list(_listeners)


def source_started(source: str) -> None:
    for listener in _each():
        listener.source_started(source)


def source_finished(source: str, status: str) -> None:
    for listener in _each():
        listener.source_finished(source, status)


def dbt_node_finished(command: str, node: str, status: str, total: int | None = None) -> None:
    """One dbt node finished; ``total`` is how many nodes this invocation runs, when dbt has said so."""
    for listener in _each():
        listener.dbt_node_finished(command, node, status, total)
