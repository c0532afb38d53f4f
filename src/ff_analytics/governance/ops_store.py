"""The run history in the warehouse: ``ops.runs``, ``ops.findings``, ``ops.dbt_results``, ``ops.snapshot_events``.

Every run appends one row to ``ops.runs`` and its findings, dbt node results and snapshot events to the other
tables, keyed by ``run_id``; nothing is ever rebuilt. The ``ops`` schema is not a dbt schema (dbt writes to
``<target schema>_<custom schema>``, e.g. ``main_staging``), so ``dbt build`` never drops it. The analyst queries it
with any DuckDB client, e.g. ``select * from ops.runs order by started_at desc``, or ``ffa findings history``.

Snapshot events are derived by diffing the registry before and after a run (:func:`registry_events`): that covers
every writer (flows, ``ffa snapshots promote``/``rollback``, retention) without hooking each of them.
"""

from __future__ import annotations

import gc
import json
import sys
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb

from ff_analytics.errors import ConfigError
from ff_analytics.governance.findings import Finding
from ff_analytics.snapshots.registry import RegistryRow
from ff_analytics.storage import DataRoot

if TYPE_CHECKING:
    from ff_analytics.dbt_runner.artifacts import NodeResult

SOURCE = "ops"
EVENTS = ("written", "unchanged", "promoted", "rolled back", "archived", "deleted")
CHANGED_EVENTS = ("written", "promoted", "rolled back", "archived", "deleted")

DDL = """
create schema if not exists ops;
create table if not exists ops.runs (
    run_id varchar primary key, label varchar, started_at timestamptz, finished_at timestamptz, ok boolean,
    seconds double, data_root varchar, tests_pass integer, tests_warn integer, tests_error integer,
    tests_skip integer, findings_error integer, findings_warning integer, details json);
create table if not exists ops.findings (
    run_id varchar, severity varchar, check_name varchar, code varchar, source varchar, dataset varchar, dt date,
    path varchar, message varchar, acknowledged boolean);
create table if not exists ops.dbt_results (
    run_id varchar, command varchar, unique_id varchar, resource_type varchar, name varchar, status varchar,
    outcome varchar, execution_time double, rows_affected bigint, message varchar);
create table if not exists ops.snapshot_events (
    run_id varchar, recorded_at timestamptz, source varchar, dataset varchar, dt date, event varchar,
    status_before varchar, status_after varchar, row_count bigint, detail varchar);
"""


@dataclass
class RunRecord:
    """One run as the history keeps it; ``details`` holds anything else worth keeping (JSON)."""

    run_id: str
    started_at: datetime
    finished_at: datetime | None = None
    label: str = ""
    ok: bool = True
    data_root: str = ""
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def seconds(self) -> float | None:
        return (self.finished_at - self.started_at).total_seconds() if self.finished_at else None


@dataclass(frozen=True)
class SnapshotEvent:
    source: str
    dataset: str
    dt: date
    event: str  # one of EVENTS
    status_before: str | None = None
    status_after: str | None = None
    row_count: int | None = None
    detail: str = ""

    def line(self) -> str:
        move = f" ({self.status_before or '-'} -> {self.status_after or '-'})" if self.status_before != \
            self.status_after else ""
        return f"{self.source}/{self.dataset} {self.dt.isoformat()}: {self.event}{move}" + \
            (f" — {self.detail}" if self.detail else "")

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "dt": self.dt.isoformat()}


def registry_events(before: Sequence[RegistryRow], after: Sequence[RegistryRow],
                    written: Iterable[tuple[str, str, str]] = (),
                    unchanged: Iterable[tuple[str, str, str]] = ()) -> list[SnapshotEvent]:
    """What happened to each snapshot between two registry reads.

    ``written``/``unchanged``: keys ``(source, dataset, "YYYY-MM-DD")`` the run wrote or found unchanged (a
    same-day rewrite with the same row count is invisible in the registry; an unchanged fetch leaves no trace).
    """
    old = {r.key: r for r in before}
    new = {r.key: r for r in after}
    written_keys = set(written)
    out: list[SnapshotEvent] = []
    old_current = {(r.source, r.dataset): r for r in before if r.status == "current"}
    new_current = {(r.source, r.dataset): r for r in after if r.status == "current"}
    rolled_back = {c.key: new_current[ds] for ds, c in old_current.items()
                   if ds in new_current and new_current[ds].snapshot_date < c.snapshot_date}
    reinstated = {r.key for r in rolled_back.values()}
    for key in sorted(set(old) | set(new)):
        a, b = old.get(key), new.get(key)
        if b is None:
            out.append(_event("deleted", a, b, "registry row removed"))
            continue
        if a is None or key in written_keys or a.row_count != b.row_count:
            out.append(_event("written", a, b, "" if a is None else "rewritten the same day"))
        if a is not None and key in rolled_back:
            out.append(_event("rolled back", a, b, f"back to {rolled_back[key].snapshot_date}"))
        elif key in reinstated:
            out.append(_event("promoted", a, b, "reinstated by a rollback"))
        elif b.status == "current" and (a is None or a.status != "current"):
            out.append(_event("promoted", a, b))
        elif b.status == "archived" and (a is None or a.status != "archived"):
            out.append(_event("archived", a, b))
    changed = {(e.source, e.dataset, e.dt.isoformat()) for e in out}
    for key in sorted(set(unchanged) - changed):
        r = new.get(key) or old.get(key)
        if r is not None:
            out.append(SnapshotEvent(r.source, r.dataset, r.dt, "unchanged", r.status, r.status,
                                     _int(r.row_count)))
    return out


def _event(kind: str, before: RegistryRow | None, after: RegistryRow | None, detail: str = "") -> SnapshotEvent:
    ref = after or before
    assert ref is not None
    return SnapshotEvent(ref.source, ref.dataset, ref.dt, kind, before.status if before else None,
                         after.status if after else None, _int(ref.row_count), detail)


def _int(text: str) -> int | None:
    try:
        return int(text)
    except (TypeError, ValueError):
        return None


def connect(warehouse_path: str | Path, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open the warehouse (creating the ops tables unless read-only); a locked or bad file is a clear error."""
    path = Path(warehouse_path)
    if read_only and not path.is_file():
        raise ConfigError(f"warehouse {str(path)!r} does not exist (no run has been recorded yet)", source=SOURCE)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        try:
            con = duckdb.connect(str(path), read_only=read_only)
        except duckdb.ConnectionException as exc:
            if "different configuration" not in str(exc) or not _release_dbt_duckdb():
                raise
            con = duckdb.connect(str(path), read_only=read_only)
    except duckdb.Error as exc:
        raise ConfigError(f"cannot open warehouse {str(path)!r}: {' '.join(str(exc).split())}",
                          source=SOURCE) from None
    if not read_only:
        con.execute(DDL)
    return con


def _release_dbt_duckdb() -> bool:
    """Close the DuckDB instance an in-process dbt run left open (dbt-duckdb caches it per process with its own
    settings, and DuckDB refuses a second connection to the file with other settings). Called only after dbt has
    finished; dbt opens a fresh one on its next command. True when there was one to close."""
    module = sys.modules.get("dbt.adapters.duckdb.connections")
    manager = getattr(module, "DuckDBConnectionManager", None)
    if manager is None:
        return False
    with manager._LOCK:
        env, manager._ENV = manager._ENV, None
    if env is None:
        return False
    env.close()
    gc.collect()  # the DuckDB instance goes when its last handle does
    return True


def record_run(warehouse_path: str | Path, run: RunRecord, findings: Iterable[Finding] = (),
               dbt_results: Iterable[NodeResult] = (), snapshot_events: Iterable[SnapshotEvent] = (), *,
               dbt_command: str | None = None, acknowledged: Iterable[tuple] = ()) -> None:
    """Append one run to the history in a single transaction (recording the same ``run_id`` again replaces it).

    ``dbt_results``: :class:`~ff_analytics.dbt_runner.artifacts.NodeResult` objects, e.g.
    ``RunArtifacts.load(dir).results().values()``. ``acknowledged``: finding keys
    ``(source, dataset, dt, code, path)`` that were acknowledged at the time.
    """
    from ff_analytics.dbt_runner.artifacts import bucket  # dbt_runner imports governance: not at module level

    found = list(findings)
    nodes = list(dbt_results)
    events = list(snapshot_events)
    acked = set(acknowledged)
    outcome = {"pass": 0, "warn": 0, "error": 0, "skip": 0}
    node_rows = []
    for n in nodes:
        b = bucket(n.status)
        if n.resource_type in ("test", "unit_test"):
            outcome[b] += 1
        node_rows.append((run.run_id, dbt_command, n.unique_id, n.resource_type, n.name, n.status, b,
                          n.execution_time, n.rows_affected, n.message))
    errors = sum(1 for f in found if f.severity.value == "error")
    warnings = sum(1 for f in found if f.severity.value == "warning")
    now = datetime.now(UTC)
    con = connect(warehouse_path)
    try:
        con.execute("begin transaction")
        for table in ("runs", "findings", "dbt_results", "snapshot_events"):
            con.execute(f"delete from ops.{table} where run_id = ?", [run.run_id])
        con.execute("insert into ops.runs values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [run.run_id, run.label, run.started_at, run.finished_at, run.ok, run.seconds, run.data_root,
                     outcome["pass"], outcome["warn"], outcome["error"], outcome["skip"], errors, warnings,
                     json.dumps(run.details, default=str)])
        if found:
            con.executemany("insert into ops.findings values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                            [(run.run_id, f.severity.value, f.check, f.code, f.source, f.dataset, f.dt, f.path,
                              f.message, (f.source, f.dataset, f.dt, f.code, f.path) in acked) for f in found])
        if node_rows:
            con.executemany("insert into ops.dbt_results values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", node_rows)
        if events:
            con.executemany("insert into ops.snapshot_events values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                            [(run.run_id, run.finished_at or now, e.source, e.dataset, e.dt, e.event,
                              e.status_before, e.status_after, e.row_count, e.detail) for e in events])
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise
    finally:
        con.close()


# -- reading (report, CLI) ---------------------------------------------------------------------------------------
@dataclass
class History:
    """What the report needs from the history: runs (oldest first) and the last run's snapshot events."""

    runs: list[dict[str, Any]] = field(default_factory=list)
    last_events: list[SnapshotEvent] = field(default_factory=list)

    @property
    def last_run(self) -> dict[str, Any] | None:
        return self.runs[-1] if self.runs else None


def read_history(warehouse_path: str | Path | None, limit: int = 50) -> History:
    """The last ``limit`` runs and the newest run's snapshot events; empty when there is no history yet."""
    if warehouse_path is None or not Path(warehouse_path).is_file():
        return History()
    con = connect(warehouse_path, read_only=True)
    try:
        has = con.execute("select count(*) from information_schema.tables where table_schema = 'ops' "
                          "and table_name = 'runs'").fetchone()
        if not has or not has[0]:
            return History()
        cur = con.execute("select run_id, label, started_at, finished_at, ok, seconds, tests_pass, tests_warn, "
                          "tests_error, tests_skip, findings_error, findings_warning from ops.runs "
                          "order by started_at desc limit ?", [limit])
        cols = [d[0] for d in cur.description]
        runs = [dict(zip(cols, row, strict=True)) for row in cur.fetchall()][::-1]
        events: list[SnapshotEvent] = []
        if runs:
            rows = con.execute("select source, dataset, dt, event, status_before, status_after, row_count, detail "
                               "from ops.snapshot_events where run_id = ? order by source, dataset, dt, event",
                               [runs[-1]["run_id"]]).fetchall()
            events = sorted((SnapshotEvent(*r[:7], detail=r[7] or "") for r in rows),
                            key=lambda e: (e.source, e.dataset, e.dt, EVENTS.index(e.event)
                                           if e.event in EVENTS else len(EVENTS)))
        return History(runs, events)
    finally:
        con.close()


def changed(events: Iterable[SnapshotEvent]) -> list[SnapshotEvent]:
    """The events that changed data or its status (everything but ``unchanged``)."""
    return [e for e in events if e.event in CHANGED_EVENTS]


def default_warehouse(root: DataRoot) -> Path:
    """The warehouse dbt builds for this data root (``DataRoot.warehouse_path``), which holds its ops history."""
    return root.warehouse_path
