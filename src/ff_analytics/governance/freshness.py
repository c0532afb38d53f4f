"""Freshness: how old each source's newest current snapshot is, against the thresholds in config/platform.yaml.

Per source, the age is ``as_of - dt`` of the newest *current* snapshot among its datasets: the store writes no
new snapshot when data is unchanged (a static table such as nflverse teams keeps an old dt), so the source is as
fresh as its most recently changed dataset. Older than ``warn_after_days`` is a warning, older than
``error_after_days`` an error; a source with no current snapshot at all is an error.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from ff_analytics.governance.findings import Finding, Severity, error, info, warning
from ff_analytics.governance.inventory import read_registry_rows
from ff_analytics.snapshots.store import SnapshotStore


@dataclass
class DatasetAge:
    dataset: str
    current_dt: date | None
    age_days: int | None
    pending: int


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
                              "age_days": d.age_days, "pending": d.pending} for d in self.datasets]}


def freshness_table(store: SnapshotStore, sources: Iterable[str] | None = None,
                    as_of: date | None = None) -> list[SourceFreshness]:
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
            ages.append(DatasetAge(dataset, cur, (as_of - cur).days if cur else None,
                                   sum(1 for r in mine if r.status == "pending")))
        newest = max((a.current_dt for a in ages if a.current_dt), default=None)
        age = (as_of - newest).days if newest else None
        if age is None or age > cfg.freshness.error_after_days:
            status: Severity | None = Severity.error
        elif age > cfg.freshness.warn_after_days:
            status = Severity.warning
        else:
            status = None
        out.append(SourceFreshness(source, cfg.freshness.warn_after_days, cfg.freshness.error_after_days,
                                   newest, age, status, ages))
    return out


def check_freshness(store: SnapshotStore | None = None, sources: Iterable[str] | None = None,
                    as_of: date | None = None) -> list[Finding]:
    """One finding per stale source (and an info per dataset that only has pending snapshots)."""
    store = store or SnapshotStore()
    out: list[Finding] = []
    for s in freshness_table(store, sources, as_of):
        limits = f"warn after {s.warn_after_days} d, error after {s.error_after_days} d"
        newest = [d.dataset for d in s.datasets if d.current_dt is not None and d.current_dt == s.newest_dt]
        limits += f"; newest: {', '.join(newest)}" if newest else ""
        if s.newest_dt is None:
            out.append(error("freshness", "never_loaded", f"no current snapshot in any dataset ({limits})",
                             source=s.source))
        elif s.status is Severity.error:
            out.append(error("freshness", "stale", f"ERROR: newest current snapshot {s.newest_dt} is {s.age_days} "
                             f"days old ({limits})", source=s.source, dt=s.newest_dt))
        elif s.status is Severity.warning:
            out.append(warning("freshness", "aging", f"warning: newest current snapshot {s.newest_dt} is "
                               f"{s.age_days} days old ({limits})", source=s.source, dt=s.newest_dt))
        for d in s.datasets:
            if d.current_dt is None and d.pending:
                out.append(info("freshness", "only_pending", f"{d.pending} pending snapshot(s), none current yet",
                                source=s.source, dataset=d.dataset))
    return out
