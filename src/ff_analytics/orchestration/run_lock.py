"""One pipeline run per data root at a time: a second `ffa demo` / `ffa run` on the same root refuses clearly.

Two runs on one root would race on the same snapshots' registry rows and the same DuckDB warehouse file (DuckDB
allows one writer process). The lock file sits in the local data root; for an object-store root it is a local
file in the root's local folder (see ``DataRoot.local_dir``).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock, Timeout

from ff_analytics.errors import FFAError
from ff_analytics.storage import DataRoot


def lock_path(root: DataRoot) -> Path:
    path = root.run_lock_path
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


@contextmanager
def exclusive_run(root: DataRoot | None = None) -> Iterator[None]:
    """Hold the data root's run lock for the block, or raise FFAError at once if another run holds it."""
    root = root or DataRoot.from_settings()
    path = lock_path(root)
    lock = FileLock(str(path), timeout=0)
    try:
        lock.acquire()
    except Timeout:
        raise FFAError(f"another `ffa demo` or `ffa run` is using the data root {root.url} (lock {path}); "
                       "wait for it to finish, or set FFA_DATA_ROOT to another folder") from None
    try:
        yield
    finally:
        lock.release()
