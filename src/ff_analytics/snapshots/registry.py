"""The snapshot registry: one CSV that says which snapshot of each dataset is current.

Lifecycle: ``pending`` (written, not yet vetted) → ``current`` (the one readers use) → ``historical`` →
``archived``. It lives at ``<data root>/registry/snapshot_registry.csv`` next to the data it describes.

Concurrency: every change runs inside :meth:`SnapshotRegistry.transaction`, which holds a file lock and
replaces the CSV atomically (write a temp file, then rename). On S3 and GCS the local lock only orders writers on
one machine; across machines each write is a compare-and-swap on the object's version, merged and retried when
another writer got there first (:mod:`ff_analytics.snapshots.object_cas`).
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import asdict, dataclass, fields
from datetime import date
from pathlib import Path

from filelock import FileLock

from ff_analytics.errors import RegistryError
from ff_analytics.snapshots import object_cas
from ff_analytics.storage import DataRoot

REGISTRY_PATH = "registry/snapshot_registry.csv"
COLUMNS = ["source", "dataset", "snapshot_date", "status", "coverage_start_season", "coverage_end_season",
           "row_count", "notes"]
STATUSES = ("pending", "current", "historical", "archived")
LOCK_TIMEOUT_SECONDS = 120
_LOCKS: dict[str, FileLock] = {}
# The object-store registry text and version this thread last read: the base of its next compare-and-swap.
_SEEN: ContextVar[object_cas.Versioned | None] = ContextVar("registry_seen", default=None)


@dataclass
class RegistryRow:
    source: str
    dataset: str
    snapshot_date: str
    status: str
    coverage_start_season: str = ""
    coverage_end_season: str = ""
    row_count: str = ""
    notes: str = ""

    @property
    def dt(self) -> date:
        return date.fromisoformat(self.snapshot_date)

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.source, self.dataset, self.snapshot_date)


@dataclass
class RegistryProblem:
    line: int
    message: str


def parse_registry(text: str, where: str) -> tuple[list[RegistryRow], list[RegistryProblem]]:
    """Rows that parse, and a problem per line that does not (bad column count, status or date)."""
    rows: list[RegistryRow] = []
    problems: list[RegistryProblem] = []
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    if header is None:
        return rows, problems
    if header != COLUMNS:
        problems.append(RegistryProblem(1, f"{where}: header is {header}, expected {COLUMNS}"))
        return rows, problems
    for line_no, values in enumerate(reader, start=2):
        if not values:
            continue
        if len(values) != len(COLUMNS):
            problems.append(RegistryProblem(line_no, f"{where} line {line_no}: {len(values)} fields, "
                                                     f"expected {len(COLUMNS)}"))
            continue
        row = RegistryRow(*values)
        if row.status not in STATUSES:
            problems.append(RegistryProblem(line_no, f"{where} line {line_no}: unknown status {row.status!r}"))
            continue
        try:
            row.dt  # noqa: B018 - validates the date
        except ValueError:
            problems.append(RegistryProblem(line_no, f"{where} line {line_no}: snapshot_date "
                                                     f"{row.snapshot_date!r} is not a date"))
            continue
        rows.append(row)
    return rows, problems


def render_registry(rows: list[RegistryRow]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(COLUMNS)
    for row in sorted(rows, key=lambda r: r.key):
        writer.writerow([getattr(row, f.name) for f in fields(RegistryRow)])
    return buf.getvalue()


class SnapshotRegistry:
    """Read and change the registry CSV under one lock; every change is an atomic whole-file replace."""

    def __init__(self, root: DataRoot) -> None:
        self.root = root
        self.path = root.path(REGISTRY_PATH)

    # -- reading -------------------------------------------------------------------------------------------
    def read_text(self) -> str:
        fs = self.root.fs
        if object_cas.supports(fs):
            seen = object_cas.read_versioned(fs, self.path)
            _SEEN.set(seen)
            return seen.text
        if not fs.exists(self.path):
            return ""
        with fs.open(self.path, "rb") as fh:
            return fh.read().decode("utf-8")

    def read(self, strict: bool = True) -> list[RegistryRow]:
        """All rows; with ``strict`` a bad line raises (naming it), without it bad lines are skipped."""
        rows, problems = parse_registry(self.read_text(), self.root.uri(REGISTRY_PATH))
        if strict and problems:
            raise RegistryError("registry is corrupt: " + "; ".join(p.message for p in problems))
        return rows

    def rows_for(self, source: str, dataset: str) -> list[RegistryRow]:
        return sorted((r for r in self.read() if (r.source, r.dataset) == (source, dataset)),
                      key=lambda r: r.snapshot_date)

    def current(self, source: str, dataset: str) -> RegistryRow | None:
        return next((r for r in self.rows_for(source, dataset) if r.status == "current"), None)

    # -- writing -------------------------------------------------------------------------------------------
    def _lock_path(self) -> str:
        if self.root.is_local:
            lock_dir = Path(self.root.path("registry"))
        else:
            lock_dir = Path(tempfile.gettempdir()) / "ff_analytics_locks"
        lock_dir.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256(self.root.url.encode()).hexdigest()[:12]
        return str(lock_dir / f".snapshot_registry.{digest}.lock")

    @contextmanager
    def lock(self) -> Iterator[None]:
        """The registry lock, also held by the snapshot store while it publishes a partition.

        One reentrant lock object per lock file in a process, so the store can hold it around a transaction.
        """
        path = self._lock_path()
        lock = _LOCKS.get(path)
        if lock is None:  # building a FileLock is not free (~0.5 ms): once per lock file
            lock = _LOCKS.setdefault(path, FileLock(path, timeout=LOCK_TIMEOUT_SECONDS))
        with lock:
            yield

    @contextmanager
    def transaction(self) -> Iterator[list[RegistryRow]]:
        """Yield the rows to edit in place; they are written back atomically when the block exits cleanly."""
        with self.lock():
            rows = self.read()
            seen = _SEEN.get()
            before = render_registry(rows)
            yield rows
            after = render_registry(rows)
            if after != before:
                self._replace(after, seen)

    def _replace(self, text: str, seen: object_cas.Versioned | None = None) -> None:
        fs = self.root.fs
        if self.root.is_local:
            target = Path(self.path)
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".registry-", dir=target.parent)
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(text)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, target)
        elif object_cas.supports(fs) and seen is not None:  # conditional PUT; merged and retried on a race
            object_cas.replace(fs, self.path, seen, text, object_cas.merge_grouped_csv)
        else:
            with fs.open(self.path, "wb") as fh:  # a single PUT: readers see the old or the new object
                fh.write(text.encode("utf-8"))

    # -- lifecycle -----------------------------------------------------------------------------------------
    def upsert_pending(self, rows: list[RegistryRow], new: RegistryRow) -> None:
        """Record a freshly written snapshot as pending (replacing a same-day row).

        If the replaced same-day snapshot was current, the newest historical one becomes current again, so
        readers never read data that has not passed its checks.
        """
        old = next((r for r in rows if r.key == new.key), None)
        if old is not None:
            rows.remove(old)
            if old.status == "current":
                _reinstate_previous(rows, new.source, new.dataset, before=new.snapshot_date)
        new.status = "pending"
        rows.append(new)

    @object_cas.retry_on_conflict
    def promote(self, source: str, dataset: str, snapshot_date: str | None = None, note: str = "") -> RegistryRow:
        """Make a pending (or historical) snapshot current; the previous current becomes historical."""
        with self.transaction() as rows:
            mine = [r for r in rows if (r.source, r.dataset) == (source, dataset)]
            if snapshot_date is None:
                pending = sorted((r for r in mine if r.status == "pending"), key=lambda r: r.snapshot_date)
                if not pending:
                    raise RegistryError("no pending snapshot to promote", source=source, dataset=dataset)
                target = pending[-1]
            else:
                target = next((r for r in mine if r.snapshot_date == snapshot_date), None)
                if target is None:
                    raise RegistryError(f"no snapshot dated {snapshot_date} in the registry",
                                        source=source, dataset=dataset)
            if target.status == "archived":
                raise RegistryError(f"snapshot {target.snapshot_date} is archived and cannot become current",
                                    source=source, dataset=dataset)
            for r in mine:
                if r.status == "current" and r is not target:
                    r.status = "historical"
            target.status = "current"
            if note:
                target.notes = note
            return target

    @object_cas.retry_on_conflict
    def rollback(self, source: str, dataset: str) -> RegistryRow:
        """Make the snapshot before the current one current again; the rolled-back one becomes historical."""
        with self.transaction() as rows:
            mine = [r for r in rows if (r.source, r.dataset) == (source, dataset)]
            current = next((r for r in mine if r.status == "current"), None)
            if current is None:
                raise RegistryError("no current snapshot to roll back", source=source, dataset=dataset)
            previous = _reinstate_previous(rows, source, dataset, before=current.snapshot_date)
            if previous is None:
                raise RegistryError(f"no historical snapshot before {current.snapshot_date} to roll back to",
                                    source=source, dataset=dataset)
            current.status = "historical"
            current.notes = _append_note(current.notes, f"rolled back to {previous.snapshot_date}")
            return previous

    @object_cas.retry_on_conflict
    def archive(self, older_than_days: int, today: date) -> list[RegistryRow]:
        """Mark historical snapshots older than N days archived (never current or pending ones)."""
        with self.transaction() as rows:
            changed = []
            for r in rows:
                if r.status == "historical" and (today - r.dt).days > older_than_days:
                    r.status = "archived"
                    changed.append(r)
            return [RegistryRow(**asdict(r)) for r in changed]


def _reinstate_previous(rows: list[RegistryRow], source: str, dataset: str, before: str) -> RegistryRow | None:
    candidates = sorted((r for r in rows if (r.source, r.dataset) == (source, dataset)
                         and r.status == "historical" and r.snapshot_date < before),
                        key=lambda r: r.snapshot_date)
    if not candidates:
        return None
    candidates[-1].status = "current"
    return candidates[-1]


def _append_note(notes: str, extra: str) -> str:
    return f"{notes}; {extra}" if notes else extra
