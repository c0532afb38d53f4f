"""Freshness: how old each dataset's current snapshot is, against its source's thresholds in config/platform.yaml.

Per dataset, the age is ``as_of - dt`` of its *current* snapshot: older than ``warn_after_days`` is a warning,
older than ``error_after_days`` an error, dated in the future (beyond the clock tolerance) an error. A source's
status is its worst dataset's (one fresh dataset does not hide a stale one); a source with no current snapshot
in any dataset is an error, and a dataset never loaded is not judged. The store writes no new snapshot when data
is unchanged, so a static table (nflverse teams) ages until its data changes or the source's thresholds allow it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from ff_analytics.governance.findings import Finding, Severity, error, info, warning
from ff_analytics.governance.inventory import read_registry_rows
from ff_analytics.snapshots.paths import FUTURE_TOLERANCE_DAYS
from ff_analytics.snapshots.store import SnapshotStore


@dataclass
class DatasetAge:
    dataset: str
    current_dt: date | None
    age_days: int | None
    pending: int
    status: Severity | None = None  # None = fresh (or never loaded)

    @property
    def future(self) -> bool:
        return self.age_days is not None and self.age_days < -FUTURE_TOLERANCE_DAYS


@dataclass
class SourceFreshness:
    source: str
    warn_after_days: int
    error_after_days: int
    newest_dt: date | None
    age_days: int | None
    status: Severity | None  # None = fresh
    datasets: list[DatasetAge] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"source": self.source, "warn_after_days": self.warn_after_days,
                "error_after_days": self.error_after_days,
                "newest_dt": self.newest_dt.isoformat() if self.newest_dt else None, "age_days": self.age_days,
                "status": self.status.value if self.status else "ok",
                "datasets": [{"dataset": d.dataset, "current_dt": d.current_dt.isoformat() if d.current_dt else None,
                              "age_days": d.age_days, "pending": d.pending,
                              "status": d.status.value if d.status else "ok"} for d in self.datasets]}


def freshness_table(store: SnapshotStore, sources: Iterable[str] | None = None,
                    as_of: date | None = None) -> list[SourceFreshness]:
    """Per source, each dataset's age and status; the source's status is its worst dataset's."""
    as_of = as_of or datetime.now(UTC).date()
    rows, _problems = read_registry_rows(store)
    wanted = list(sources) if sources else list(store.config.sources)
    out = []
    for source in wanted:
        cfg = store.config.sources.get(source)
        if cfg is None:
            continue
        ages = []
        for dataset in cfg.datasets:
            mine = [r for r in rows if (r.source, r.dataset) == (source, dataset)]
            cur = max((r.dt for r in mine if r.status == "current"), default=None)
            age = (as_of - cur).days if cur else None
            ages.append(DatasetAge(dataset, cur, age, sum(1 for r in mine if r.status == "pending"),
                                   _status(age, cfg.freshness.warn_after_days, cfg.freshness.error_after_days)))
        loaded = [a for a in ages if a.current_dt is not None]
        newest = max((a.current_dt for a in loaded if not a.future), default=None)
        age = (as_of - newest).days if newest else None
        status = max((a.status for a in loaded if a.status), key=_RANK.get, default=None) if loaded \
            else Severity.error
        out.append(SourceFreshness(source, cfg.freshness.warn_after_days, cfg.freshness.error_after_days,
                                   newest, age, status, ages))
    return out


_RANK = {Severity.info: 0, Severity.warning: 1, Severity.error: 2}


def _status(age: int | None, warn_after: int, error_after: int) -> Severity | None:
    """A dataset's status from its age; dated in the future (beyond the clock tolerance) is an error."""
    if age is None:
        return None
    if age < -FUTURE_TOLERANCE_DAYS or age > error_after:
        return Severity.error
    return Severity.warning if age > warn_after else None


def check_freshness(store: SnapshotStore | None = None, sources: Iterable[str] | None = None,
                    as_of: date | None = None) -> list[Finding]:
    """One finding per stale or future-dated dataset, one per source with nothing current, and the registry's
    own problems (a damaged registry is named, not reported as "no current snapshot")."""
    store = store or SnapshotStore()
    _rows, problems = read_registry_rows(store)
    out: list[Finding] = list(problems)
    for s in freshness_table(store, sources, as_of):
        limits = f"warn after {s.warn_after_days} d, error after {s.error_after_days} d"
        if not any(d.current_dt for d in s.datasets):
            why = " (the registry is damaged, see above)" if problems else ""
            out.append(error("freshness", "never_loaded", f"no current snapshot in any dataset{why} ({limits})",
                             source=s.source))
        for d in s.datasets:
            if d.current_dt is None:
                if d.pending:
                    out.append(info("freshness", "only_pending", f"{d.pending} pending snapshot(s), none current "
                                    "yet", source=s.source, dataset=d.dataset))
                continue
            where = dict(source=s.source, dataset=d.dataset, dt=d.current_dt)
            if d.future:
                out.append(error("freshness", "future_dated", f"ERROR: current snapshot {d.current_dt} is dated "
                                 f"{-d.age_days} days in the future", **where))
            elif d.status is Severity.error:
                out.append(error("freshness", "stale", f"ERROR: current snapshot {d.current_dt} is {d.age_days} "
                                 f"days old ({limits})", **where))
            elif d.status is Severity.warning:
                out.append(warning("freshness", "aging", f"warning: current snapshot {d.current_dt} is "
                                   f"{d.age_days} days old ({limits})", **where))
    return out
