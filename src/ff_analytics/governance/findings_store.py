"""Findings that outlive the run that found them, until the data changes or the analyst acknowledges them.

Checks that read a snapshot's data (source checks, the promotion gate, dbt tests) run once per snapshot: on the
next run an unchanged snapshot is not re-checked, so its findings would vanish with the process. This store keeps
them in ``<data root>/registry/findings.json``, next to the snapshot registry whose rows they describe:

- it lives with the snapshots (it follows the data root across machines and object stores, and ``validate`` and
  ``report`` read it without a warehouse, which an object-store root does not have);
- a finding about snapshot ``(source, dataset, dt)`` is *active* while that snapshot is current or pending; once a
  newer snapshot replaces it (the data changed) the finding retires by itself;
- findings without a snapshot date (dbt tests) are replaced by the next run of the same check;
- ``ack`` hides a finding of one snapshot and records who, when and why (acks are kept as the audit record); the
  same problem in a new snapshot is a new finding.

Writes take the registry lock and replace the file atomically, like the registry. The run history (every run's
findings, kept forever) is the warehouse's ``ops.findings`` table (:mod:`ff_analytics.governance.ops_store`).
"""

from __future__ import annotations

import getpass
import json
import os
import tempfile
from collections.abc import Iterable
from datetime import UTC, date, datetime
from pathlib import Path

from pydantic import BaseModel, Field, ValidationError

from ff_analytics.errors import ConfigError, RegistryError
from ff_analytics.governance.findings import Finding, Severity, sort_findings
from ff_analytics.snapshots.registry import RegistryRow, SnapshotRegistry
from ff_analytics.storage import DataRoot

FINDINGS_PATH = "registry/findings.json"
LIVE_STATUSES = ("current", "pending")
SOURCE = "governance"

Key = tuple[str | None, str | None, date | None, str, str | None]  # source, dataset, dt, code, path
# source, dataset, dt, and optionally check; None matches anything: ("sheets", "raw_tabs", dt) is one snapshot's
# findings, (None, None, None, "dbt") every finding of the dbt check.
Scope = tuple[str | None, str | None, date | None] | tuple[str | None, str | None, date | None, str | None]


class StoredFinding(Finding):
    """A finding plus when it was first and last seen, by which run."""

    first_seen: datetime
    last_seen: datetime
    run_id: str | None = None

    @property
    def key(self) -> Key:
        return (self.source, self.dataset, self.dt, self.code, self.path)

    def finding(self) -> Finding:
        return Finding.model_validate(self.model_dump(include=set(Finding.model_fields)))


class Ack(BaseModel):
    """An analyst's acknowledgement of one finding of one snapshot."""

    code: str
    source: str | None = None
    dataset: str | None = None
    dt: date | None = None
    path: str | None = None
    message: str
    by: str
    at: datetime
    reason: str

    @property
    def key(self) -> Key:
        return (self.source, self.dataset, self.dt, self.code, self.path)


class FindingsState(BaseModel):
    schema_version: int = 1
    findings: list[StoredFinding] = Field(default_factory=list)
    acks: list[Ack] = Field(default_factory=list)


def _in_scope(f: Finding, scopes: list[Scope]) -> bool:
    def hit(scope: Scope) -> bool:
        source, dataset, dt = scope[:3]
        check = scope[3] if len(scope) > 3 else None
        return all(want is None or want == have for want, have in ((source, f.source), (dataset, f.dataset),
                                                                    (dt, f.dt), (check, f.check)))
    return any(hit(s) for s in scopes)


class FindingsStore:
    """Read and change ``registry/findings.json`` of one data root."""

    def __init__(self, root: DataRoot | None = None) -> None:
        self.root = root or DataRoot.from_settings()
        self.path = self.root.path(FINDINGS_PATH)
        self.uri = self.root.uri(FINDINGS_PATH)
        self._registry = SnapshotRegistry(self.root)

    # -- reading -------------------------------------------------------------------------------------------
    def read(self) -> FindingsState:
        """The stored state; a missing file is empty, a damaged one an error naming the file."""
        fs = self.root.fs
        if not fs.exists(self.path):
            return FindingsState()
        with fs.open(self.path, "rb") as fh:
            text = fh.read()
        try:
            return FindingsState.model_validate_json(text)
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(map(str, first["loc"]))
            raise ConfigError(f"{self.uri} is damaged ({where}: {first['msg']}); move it aside to start afresh",
                              source=SOURCE) from None

    def active(self, rows: list[RegistryRow] | None = None, *, include_acknowledged: bool = False
               ) -> list[StoredFinding]:
        """Findings whose snapshot is still current or pending (or that have no snapshot), minus acknowledged ones."""
        state = self.read()
        rows = rows if rows is not None else self._registry.read(strict=False)
        acked = {a.key for a in state.acks}
        out = [f for f in state.findings if _live(f, rows) and (include_acknowledged or f.key not in acked)]
        return [StoredFinding.model_validate(f.model_dump()) for f in sort_findings(out)]

    def acknowledged(self) -> list[Ack]:
        return list(self.read().acks)

    # -- writing -------------------------------------------------------------------------------------------
    def record(self, findings: Iterable[Finding], scopes: Iterable[Scope], *, run_id: str | None = None,
               now: datetime | None = None) -> list[StoredFinding]:
        """Replace the stored findings of the checked ``scopes`` with ``findings`` (info findings are not kept).

        A finding seen before keeps its ``first_seen``. Findings of snapshots that are no longer current or
        pending are dropped here (their history is in ``ops.findings``).
        """
        now = now or datetime.now(UTC)
        scope_list = list(scopes)
        new = [f for f in findings if f.severity is not Severity.info]
        for f in new:
            if not _in_scope(f, scope_list):
                scope_list.append((f.source, f.dataset, f.dt, f.check))
        with self._registry.lock():
            state = self.read()
            rows = self._registry.read(strict=False)
            before = {f.key: f for f in state.findings}
            kept = [f for f in state.findings if not _in_scope(f, scope_list) and _live(f, rows)]
            added = [StoredFinding(**f.model_dump(), first_seen=before[_key(f)].first_seen if _key(f) in before
                                   else now, last_seen=now, run_id=run_id) for f in _dedupe(new)]
            state.findings = kept + added  # acks stay: they are the record of who accepted what, and why
            self._write(state)
            return added

    def ack(self, code: str, reason: str, *, by: str | None = None, source: str | None = None,
            dataset: str | None = None, dt: date | None = None, now: datetime | None = None) -> list[Ack]:
        """Acknowledge the active findings with ``code`` (narrowed by source/dataset/dt); recorded who/when/why."""
        if not reason.strip():
            raise ConfigError("an acknowledgement needs a reason (--reason TEXT)", source=SOURCE)
        who = by or _user()
        when = now or datetime.now(UTC)
        with self._registry.lock():
            state = self.read()
            rows = self._registry.read(strict=False)
            acked = {a.key for a in state.acks}
            live = [f for f in state.findings if _live(f, rows) and f.key not in acked]
            hits = [f for f in live if f.code == code and (source is None or f.source == source)
                    and (dataset is None or f.dataset == dataset) and (dt is None or f.dt == dt)]
            if not hits:
                codes = sorted({f.code for f in live})
                where = " ".join(f"{k}={v}" for k, v in (("source", source), ("dataset", dataset), ("dt", dt)) if v)
                raise ConfigError(f"no active finding with code {code!r}{' and ' + where if where else ''}; "
                                  f"active codes: {', '.join(codes) or 'none'}", source=SOURCE)
            new = [Ack(code=f.code, source=f.source, dataset=f.dataset, dt=f.dt, path=f.path, message=f.message,
                       by=who, at=when, reason=reason.strip()) for f in hits]
            state.acks += new
            self._write(state)
            return new

    def _write(self, state: FindingsState) -> None:
        text = json.dumps(state.model_dump(mode="json"), indent=1, sort_keys=True) + "\n"
        if self.root.is_local:
            target = Path(self.path)
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".findings-", dir=target.parent)
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as fh:
                    fh.write(text)
                    fh.flush()
                    os.fsync(fh.fileno())
                os.replace(tmp, target)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
        else:
            with self.root.fs.open(self.path, "wb") as fh:  # one PUT: readers see the old or the new object
                fh.write(text.encode("utf-8"))


def _key(f: Finding) -> Key:
    return (f.source, f.dataset, f.dt, f.code, f.path)


def _dedupe(findings: list[Finding]) -> list[Finding]:
    """One finding per key (the first; the same check may be passed in twice, as extra and as gate finding)."""
    seen: dict[Key, Finding] = {}
    for f in findings:
        seen.setdefault(_key(f), f)
    return list(seen.values())


def _live(f: Finding, rows: list[RegistryRow]) -> bool:
    if f.dt is None or f.dataset is None:
        return True
    return any((r.source, r.dataset, r.dt) == (f.source, f.dataset, f.dt) and r.status in LIVE_STATUSES for r in rows)


def _user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def active_findings(root: DataRoot, rows: list[RegistryRow] | None = None) -> list[Finding]:
    """The active, unacknowledged findings as plain :class:`Finding` objects (for validate and report).

    A damaged store is itself a finding (an error naming the file), so the commands that show it keep working.
    """
    store = FindingsStore(root)
    try:
        return [f.finding() for f in store.active(rows)]
    except (ConfigError, RegistryError, OSError) as exc:
        detail = getattr(exc, "detail", None) or str(exc)
        return [Finding(severity=Severity.error, check="findings", code="findings_store_unreadable",
                        message=detail, path=store.uri)]


def record_gate_findings(root: DataRoot, source: str, dataset: str, dt: date, findings: Iterable[Finding],
                         run_id: str | None = None) -> None:
    """Keep what the gate found for one snapshot (replacing what an earlier gate run of it found).

    Everything the gate returns is about this snapshot: a source-level finding passed in (no dataset or date) is
    filed under it, so it retires with the snapshot instead of outliving it (another source's findings are not
    this snapshot's and are not kept here).
    """
    mine = [f.model_copy(update={"source": source, "dataset": f.dataset or dataset, "dt": f.dt or dt})
            for f in findings if f.source in (None, source)]
    FindingsStore(root).record(mine, [(source, dataset, dt)], run_id=run_id)


def record_check_findings(root: DataRoot, findings: Iterable[Finding], checks: Iterable[str],
                          run_id: str | None = None) -> None:
    """Replace every stored finding of the given checks with this run's (e.g. ``["dbt"]`` after ``dbt build``,
    ``["dbt_freshness"]`` after ``dbt source freshness``; see ``dbt_runner.artifacts.dbt_findings``)."""
    FindingsStore(root).record(findings, [(None, None, None, c) for c in checks], run_id=run_id)
