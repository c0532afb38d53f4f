"""The snapshot registry: one CSV that says which snapshot of each dataset is current.

Lifecycle: ``pending`` (written, not yet vetted) → ``current`` (the one readers use) → ``historical`` →
``archived``. It lives at ``<data root>/registry/snapshot_registry.csv`` next to the data it describes.

Concurrency: every change runs inside :meth:`SnapshotRegistry.transaction`, which holds a file lock and
replaces the CSV atomically (write a temp file, then rename). On S3 and GCS the local lock only orders writers on
one machine; across machines each write is a compare-and-swap on the object's version, merged and retried when
another writer got there first (:mod:`ff_analytics.snapshots.object_cas`).

Trust: the file is data, not code. Every line is checked before a row is used (plain source/dataset names known
to the policy file, a real date, a known status), a damaged file (cut short, empty, NUL bytes, unterminated
quotes) is refused naming the line and is never rewritten, and each replace mirrors the good file to
``snapshot_registry.csv.bak`` so :meth:`SnapshotRegistry.restore_backup` can bring it back.
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
import stat
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from contextvars import ContextVar
from dataclasses import asdict, dataclass, fields
from datetime import UTC, date, datetime
from pathlib import Path

from filelock import FileLock

from ff_analytics.errors import FFAError, RegistryError
from ff_analytics.snapshots import object_cas
from ff_analytics.snapshots.paths import check_not_future, is_plain_name
from ff_analytics.storage import DataRoot

REGISTRY_PATH = "registry/snapshot_registry.csv"
BACKUP_SUFFIX = ".bak"
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


def parse_registry(text: str | None, where: str) -> tuple[list[RegistryRow], list[RegistryProblem]]:
    """Rows that parse, and a problem per line that does not.

    ``text`` None means there is no registry file (a fresh root: no rows, no problem). A file that exists but is
    empty, holds only the header, contains NUL bytes, ends inside a line or inside a quoted field is damaged.
    Source and dataset must be plain names: they become path segments. Whether a dataset is known to the policy
    file is checked where a path is built (:meth:`SnapshotStore.partition_path`), since stores with extended
    policies (analytics outputs) share the registry.
    """
    rows: list[RegistryRow] = []
    problems: list[RegistryProblem] = []
    if text is None:
        return rows, problems
    if not text:
        return rows, [RegistryProblem(1, f"{where}: the registry file is empty (0 bytes)")]
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        problems.append(RegistryProblem(line, f"{where} line {line}: NUL byte (the file is damaged)"))
        text = text.replace("\x00", "")
    if not text.endswith("\n"):
        line = text.count("\n") + 1
        problems.append(RegistryProblem(line, f"{where} line {line}: cut short (no line end; the file was "
                                              "truncated)"))
    reader = csv.reader(io.StringIO(text), strict=True)
    try:
        header = next(reader, None)
    except csv.Error as exc:
        return rows, [*problems, RegistryProblem(1, f"{where} line 1: {exc}")]
    if header != COLUMNS:
        problems.append(RegistryProblem(1, f"{where}: header is {header}, expected {COLUMNS}"))
        return rows, problems
    line_no = 1
    while True:
        try:
            values = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            problems.append(RegistryProblem(reader.line_num, f"{where} line {reader.line_num}: {exc}"))
            break
        line_no = reader.line_num
        if not values:
            continue
        problem = _row_problem(values)
        if problem:
            problems.append(RegistryProblem(line_no, f"{where} line {line_no}: {problem}"))
            continue
        rows.append(RegistryRow(*values))
    if not rows and not problems:
        problems.append(RegistryProblem(1, f"{where}: the registry has a header but no rows (damaged or cut)"))
    return rows, problems


def _row_problem(values: list[str]) -> str | None:
    """What is wrong with one data line, or None."""
    if len(values) != len(COLUMNS):
        return f"{len(values)} fields, expected {len(COLUMNS)}"
    row = RegistryRow(*values)
    for kind in ("source", "dataset"):
        if not is_plain_name(getattr(row, kind)):
            return f"{kind} {getattr(row, kind)!r} is not a plain name (lower-case letters, digits, '_')"
    if row.status not in STATUSES:
        return f"unknown status {row.status!r}"
    try:
        row.dt  # noqa: B018 - validates the date
    except ValueError:
        return f"snapshot_date {row.snapshot_date!r} is not a date"
    return None


def render_registry(rows: list[RegistryRow]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(COLUMNS)
    for row in sorted(rows, key=lambda r: r.key):
        writer.writerow([getattr(row, f.name) for f in fields(RegistryRow)])
    return buf.getvalue()


TargetCheck = Callable[["RegistryRow"], None]


class SnapshotRegistry:
    """Read and change the registry CSV under one lock; every change is an atomic whole-file replace.

    ``check_target`` (given by the snapshot store) is called under the lock on any snapshot about to become
    current (promote, rollback): it raises when the partition is missing or its manifest is invalid.
    """

    def __init__(self, root: DataRoot, check_target: TargetCheck | None = None) -> None:
        self.root = root
        self.path = root.path(REGISTRY_PATH)
        self.backup_path = self.path + BACKUP_SUFFIX
        self.check_target = check_target

    # -- reading -------------------------------------------------------------------------------------------
    def read_text(self) -> str | None:
        """The file's text, or None when there is no registry file at all."""
        fs = self.root.fs
        if object_cas.supports(fs):
            seen = object_cas.read_versioned(fs, self.path)
            _SEEN.set(seen)
            return seen.text if seen.version is not None else None
        if not fs.exists(self.path):
            return None
        with fs.open(self.path, "rb") as fh:
            return fh.read().decode("utf-8")

    def read(self, strict: bool = True) -> list[RegistryRow]:
        """All rows; with ``strict`` a bad line raises (naming it), without it bad lines are skipped."""
        try:
            text = self.read_text()
        except UnicodeDecodeError as exc:
            raise RegistryError(f"registry is corrupt: {self.root.uri(REGISTRY_PATH)} is not UTF-8 ({exc})"
                                ) from None
        rows, problems = parse_registry(text, self.root.uri(REGISTRY_PATH))
        if strict and problems:
            raise RegistryError("registry is corrupt: " + "; ".join(p.message for p in problems)
                                + " (nothing was changed; `ffa snapshots restore-registry` brings back the "
                                  "last good copy)")
        return rows

    def rows_for(self, source: str, dataset: str) -> list[RegistryRow]:
        return sorted((r for r in self.read() if (r.source, r.dataset) == (source, dataset)),
                      key=lambda r: r.snapshot_date)

    def current(self, source: str, dataset: str) -> RegistryRow | None:
        return next((r for r in self.rows_for(source, dataset) if r.status == "current"), None)

    # -- writing -------------------------------------------------------------------------------------------
    def _lock_path(self) -> str:
        """One lock file per data root whatever way it was spelt (``R``, ``R/``, a symlink to ``R``)."""
        if self.root.is_local:
            lock_dir = Path(self.root.path("registry"))
        else:
            lock_dir = Path(tempfile.gettempdir()) / "ff_analytics_locks"
        lock_dir.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256(f"{self.root.protocol}://{self.root.base}".encode()).hexdigest()[:12]
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
        """Yield the rows to edit in place; they are written back atomically when the block exits cleanly.

        A registry that fails to parse raises here, before the block runs: it is never rewritten.
        """
        with self.lock():
            rows = self.read()
            seen = _SEEN.get()
            before = render_registry(rows)
            yield rows
            after = render_registry(rows)
            if after != before:
                self._replace(after, seen)

    def _replace(self, text: str, seen: object_cas.Versioned | None = None, backup: bool = True) -> None:
        """The one place the registry file is replaced (atomically), then mirrored to ``.bak``.

        Callers hold the lock and render ``text`` from rows that parsed, so the mirror is always a good file: the
        latest one, or the one before it when a crash lands between the two writes. A registry damaged later (a
        disk fault, a hand edit, a partial copy) is restored from it without losing rows. On S3 and GCS the write
        is conditional on the version ``seen`` when it was read (merged and retried when another writer won).
        """
        if self.root.is_local:
            self._replace_local(text, backup)
            return
        fs = self.root.fs
        try:
            if object_cas.supports(fs) and seen is not None:
                object_cas.replace(fs, self.path, seen, text, object_cas.merge_grouped_csv)
            else:
                with fs.open(self.path, "wb") as fh:  # a single PUT: readers see the old or the new object
                    fh.write(text.encode("utf-8"))
        except OSError as exc:
            raise RegistryError(f"cannot write the registry {self.root.uri(REGISTRY_PATH)}: {exc}") from None
        if backup:
            with suppress(OSError):  # the change landed; an older mirror is still a good file
                with fs.open(self.backup_path, "wb") as fh:
                    fh.write(text.encode("utf-8"))

    def _replace_local(self, text: str, backup: bool) -> None:
        target = Path(self.path)
        target.parent.mkdir(parents=True, exist_ok=True)
        mode = stat.S_IMODE(target.stat().st_mode) if target.exists() else _default_mode()
        data = text.encode("utf-8")
        _atomic_write(target, data, mode, self.root.uri(REGISTRY_PATH))
        if backup:
            with suppress(RegistryError):  # the change landed; an older mirror is still a good file
                _atomic_write(target.with_name(target.name + BACKUP_SUFFIX), data, mode,
                              self.root.uri(REGISTRY_PATH + BACKUP_SUFFIX))

    def restore_backup(self) -> int:
        """Replace a damaged registry by its last good copy (the .bak mirror); the damaged file is kept beside it.

        Returns the number of rows restored. Refuses when the copy itself does not parse.
        """
        with self.lock():
            fs = self.root.fs
            if not fs.exists(self.backup_path):
                raise RegistryError(f"no good copy {self.root.uri(REGISTRY_PATH + BACKUP_SUFFIX)} to restore")
            with fs.open(self.backup_path, "rb") as fh:
                text = fh.read().decode("utf-8", errors="replace")
            rows, problems = parse_registry(text, self.root.uri(REGISTRY_PATH + BACKUP_SUFFIX))
            if problems:
                raise RegistryError("the good copy is damaged too: " + "; ".join(p.message for p in problems))
            if fs.exists(self.path):
                stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
                fs.copy(self.path, f"{self.path}.damaged-{stamp}")
            self._replace(render_registry(rows), backup=False)
            return len(rows)

    def _check(self, target: RegistryRow) -> None:
        """A snapshot may become current only when it is not dated in the future and its files are sound."""
        try:
            check_not_future(target.dt)
            if self.check_target is not None:
                self.check_target(target)
        except FFAError as exc:
            raise RegistryError(f"snapshot {target.snapshot_date} cannot become current: {exc.detail}",
                                source=target.source, dataset=target.dataset) from None

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
    def promote(self, source: str, dataset: str, snapshot_date: str | None = None, note: str = "",
                allow_older: bool = False) -> RegistryRow:
        """Make a pending (or historical) snapshot current; the previous current becomes historical.

        A snapshot older than the current one is promoted only with ``allow_older`` (an operator's explicit
        ``promote --dt``): otherwise readers would silently go back in time.
        """
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
            current = next((r for r in mine if r.status == "current"), None)
            if current is not None and target.snapshot_date < current.snapshot_date and not allow_older:
                raise RegistryError(f"snapshot {target.snapshot_date} is older than the current "
                                    f"{current.snapshot_date}; promote it explicitly (ffa snapshots promote --dt "
                                    f"{target.snapshot_date}) to go back", source=source, dataset=dataset)
            if target is not current:
                self._check(target)
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
            previous = _previous_historical(rows, source, dataset, before=current.snapshot_date)
            if previous is None:
                raise RegistryError(f"no historical snapshot before {current.snapshot_date} to roll back to",
                                    source=source, dataset=dataset)
            self._check(previous)
            previous.status = "current"
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


def _previous_historical(rows: list[RegistryRow], source: str, dataset: str, before: str) -> RegistryRow | None:
    candidates = sorted((r for r in rows if (r.source, r.dataset) == (source, dataset)
                         and r.status == "historical" and r.snapshot_date < before),
                        key=lambda r: r.snapshot_date)
    return candidates[-1] if candidates else None


def _reinstate_previous(rows: list[RegistryRow], source: str, dataset: str, before: str) -> RegistryRow | None:
    previous = _previous_historical(rows, source, dataset, before)
    if previous is not None:
        previous.status = "current"
    return previous


def _default_mode() -> int:
    """The mode a new file gets from the umask (0666 & ~umask), as ``open`` would create it."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def _atomic_write(target: Path, data: bytes, mode: int, uri: str) -> None:
    """Write a temp file beside ``target`` with ``mode``, fsync, rename; on failure no temp file is left."""
    fd, tmp = tempfile.mkstemp(prefix=".registry-", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except OSError as exc:
        with suppress(OSError):
            os.unlink(tmp)
        raise RegistryError(f"cannot write the registry {uri}: {exc}") from None


def _append_note(notes: str, extra: str) -> str:
    return f"{notes}; {extra}" if notes else extra
