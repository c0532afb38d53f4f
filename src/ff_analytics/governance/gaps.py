"""Season/week gaps: which weeks a weekly snapshot should hold by now, and which it lacks.

Expected weeks per season come from the nflverse schedule snapshot when one is current (regular-season weeks
whose last game was played before the as-of date); without a schedule for that season, every week between the
snapshot's first and last week of the season. Seasons inside the coverage range with no weeks at all are gaps too.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import polars as pl

from ff_analytics.errors import FFAError
from ff_analytics.governance.baseline import current_dt
from ff_analytics.governance.findings import Finding, Severity
from ff_analytics.snapshots.manifest import Manifest
from ff_analytics.snapshots.store import SnapshotStore

ScheduleWeeks = dict[int, set[int]]  # season -> regular-season weeks completed by as-of


@dataclass(frozen=True)
class Gap:
    season: int
    weeks: tuple[int, ...]  # empty = the whole season is missing
    basis: str  # "schedule" or "range"

    def describe(self) -> str:
        if not self.weeks:
            return f"Season {self.season} missing (inside the coverage range)"
        label = "Week" if len(self.weeks) == 1 else "Weeks"
        return f"{label} {', '.join(map(str, self.weeks))} missing for {self.season} season"


def schedule_weeks(store: SnapshotStore, as_of: date) -> ScheduleWeeks | None:
    """Completed regular-season weeks per season from the current nflverse schedule snapshot (None if absent)."""
    day = current_dt(store, "nflverse", "schedule")
    if day is None:
        return None
    try:
        uris = store.files("nflverse", "schedule", day)
        frames = [pl.read_parquet(_readable(store, u), columns=["season", "week", "game_type", "gameday"])
                  for u in uris]
    except (FFAError, OSError, pl.exceptions.PolarsError, ValueError):
        return None
    sched = pl.concat(frames, how="vertical_relaxed")
    done = (sched.filter(pl.col("game_type") == "REG")
            .with_columns(pl.col("gameday").cast(pl.Utf8).str.to_date(strict=False))
            .group_by("season", "week").agg(pl.col("gameday").max().alias("last_game"))
            .filter(pl.col("last_game") < as_of))
    out: ScheduleWeeks = {}
    for season, week in done.select("season", "week").iter_rows():
        out.setdefault(int(season), set()).add(int(week))
    return out


def _readable(store: SnapshotStore, uri: str):
    return uri if store.root.is_local else store.root.fs.open(uri.split("://", 1)[-1], "rb")


def find_gaps(manifest: Manifest, schedule: ScheduleWeeks | None) -> list[Gap]:
    """Gaps in one snapshot's coverage (only for snapshots that record weeks).

    Uses ``coverage``, ``source``, ``dataset`` and ``dt`` only, so validate's lighter manifest parse works too.
    """
    cov = manifest.coverage
    if cov is None or not cov.weeks or cov.min_season is None or cov.max_season is None:
        return []
    present = {int(s): set(w) for s, w in cov.weeks.items()}
    gaps: list[Gap] = []
    for season in range(cov.min_season, cov.max_season + 1):
        have = present.get(season, set())
        expected_from_schedule = schedule.get(season) if schedule else None
        if expected_from_schedule is not None:
            missing = sorted(expected_from_schedule - have)
            if missing:
                gaps.append(Gap(season, tuple(missing), "schedule"))
            continue
        if not have:
            gaps.append(Gap(season, (), "range"))
            continue
        missing = sorted(set(range(min(have), max(have) + 1)) - have)
        if missing:
            gaps.append(Gap(season, tuple(missing), "range"))
    return gaps


def gap_findings(manifest: Manifest, schedule: ScheduleWeeks | None, path: str, *,
                 severity: Severity = Severity.warning) -> list[Finding]:
    basis = {"schedule": "played per the nflverse schedule", "range": "between the first and last week present"}
    return [Finding(severity=severity, check="gaps", code="week_gap" if g.weeks else "season_gap",
                    message=f"{g.describe()} ({basis[g.basis]})", source=manifest.source,
                    dataset=manifest.dataset, dt=manifest.dt, path=path)
            for g in find_gaps(manifest, schedule)]
