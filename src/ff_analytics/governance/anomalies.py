"""Row-count anomalies: a snapshot's row count vs the previous current one, against per-dataset bounds.

Bounds come from ``row_count_bounds`` in config/platform.yaml: a drop beyond ``max_drop_pct`` is an error (data
went missing upstream or a parser broke), growth beyond ``max_growth_pct`` a warning (worth a look, rarely wrong).

Datasets listed under ``governance.seasonal_row_counts`` get bounds that follow the NFL calendar (from the
nflverse schedule snapshot), like a seasonality-aware volume monitor:

- in season (games were played between the two snapshots) the expected growth is the previous snapshot's rows
  per game times the games played since (rows per game from its week coverage; without coverage,
  ``weekly_growth_pct`` of the previous count per NFL week). Growth more than ``growth_tolerance_pct`` above the
  expected growth is a warning, and so is growth that falls that far short (the new weeks did not arrive);
- off season (no games in between) the data should stay flat: ``off_season`` drop and growth bounds;
- in both phases a drop beyond ``max_drop_pct`` of the previous count is an error.

Without a schedule snapshot the fixed ``row_count_bounds`` apply.
"""

from __future__ import annotations

from datetime import date

from ff_analytics.governance.baseline import load_pair
from ff_analytics.governance.findings import Finding, error, warning
from ff_analytics.governance.season import NflCalendar, nfl_calendar
from ff_analytics.snapshots.manifest import Manifest
from ff_analytics.snapshots.paths import parse_dt, partition_dir
from ff_analytics.snapshots.registry import RegistryRow
from ff_analytics.snapshots.store import SnapshotStore


def row_delta(previous: int, new: int) -> float | None:
    """Percentage change, None when there is no base to compare with (previous snapshot had 0 rows)."""
    return None if previous == 0 else (new - previous) / previous * 100


def check_row_count_anomaly(store: SnapshotStore, source: str, dataset: str, dt: str | date,
                            rows: list[RegistryRow] | None = None) -> list[Finding]:
    """Findings for the snapshot dated ``dt`` (empty when within bounds or there is nothing to compare with)."""
    day = parse_dt(dt)
    manifest, base_row, base_manifest = load_pair(store, source, dataset, day, rows)
    if manifest is None or base_row is None:
        return []
    previous = base_manifest.row_count if base_manifest else _int(base_row.row_count)
    if previous is None:
        return []
    pct = row_delta(previous, manifest.row_count)
    if pct is None:
        return []
    where = dict(source=source, dataset=dataset, dt=day, path=store.root.uri(partition_dir(source, dataset, day)))
    text = f"{manifest.row_count} rows vs {previous} in {base_row.snapshot_date} ({pct:+.1f}%)"
    policy = store.config.governance.seasonal_row_counts
    calendar = nfl_calendar(store) if f"{source}.{dataset}" in policy.datasets else None
    if calendar is not None:
        return _seasonal(store, calendar, manifest, previous, base_manifest, base_row.dt, day, pct, text, where)
    bounds = store.config.bounds_for(source, dataset)
    if -pct > bounds.max_drop_pct:
        return [error("anomaly", "row_count_drop", f"{text}: drop beyond {bounds.max_drop_pct:g}%", **where)]
    if pct > bounds.max_growth_pct:
        return [warning("anomaly", "row_count_growth", f"{text}: growth beyond {bounds.max_growth_pct:g}%",
                        **where)]
    return []


def _int(text: str) -> int | None:
    try:
        return int(text)
    except ValueError:
        return None


def _seasonal(store: SnapshotStore, calendar: NflCalendar, manifest: Manifest, previous: int,
              base_manifest: Manifest | None, base_day: date, day: date, pct: float, text: str,
              where: dict) -> list[Finding]:
    """Bounds from the NFL calendar: expected growth for the games played between the snapshots, else flat."""
    policy = store.config.governance.seasonal_row_counts
    played = calendar.played_between(base_day, day)
    weeks = played.select("season", "week").unique().height
    if weeks == 0:
        bounds = policy.off_season
        label = f"off season (no NFL games between {base_day} and {day})"
        if -pct > bounds.max_drop_pct:
            return [error("anomaly", "row_count_drop", f"{text}: drop beyond {bounds.max_drop_pct:g}% in the {label}",
                          **where)]
        if pct > bounds.max_growth_pct:
            return [warning("anomaly", "row_count_growth", f"{text}: growth beyond {bounds.max_growth_pct:g}% in "
                            f"the {label}, where the data should stay flat", **where)]
        return []
    bounds = policy.in_season
    covered = calendar.games_in(base_manifest.coverage.weeks) if base_manifest is not None and \
        base_manifest.coverage is not None and base_manifest.coverage.weeks else 0
    if covered:
        expected = previous + previous / covered * played.height
        basis = f"{previous / covered:.1f} rows per game x {played.height} games in {weeks} NFL week(s) since"
    else:
        expected = previous * (1 + bounds.weekly_growth_pct / 100 * weeks)
        basis = f"{bounds.weekly_growth_pct:g}% per NFL week x {weeks} week(s) since"
    label = f"in season: expected about {expected:.0f} ({basis} {base_day})"
    if -pct > bounds.max_drop_pct:
        return [error("anomaly", "row_count_drop", f"{text}: drop beyond {bounds.max_drop_pct:g}% ({label})",
                      **where)]
    wanted, grown = expected - previous, manifest.row_count - previous
    off = (grown - wanted) / wanted * 100 if wanted else 0.0
    allowed = f"grew {grown:+d}, expected {wanted:+.0f} ± {bounds.growth_tolerance_pct:g}%"
    if off > bounds.growth_tolerance_pct:
        return [warning("anomaly", "row_count_growth", f"{text}: beyond the expected growth ({allowed}; {label})",
                        **where)]
    if -off > bounds.growth_tolerance_pct:
        return [warning("anomaly", "row_count_stalled", f"{text}: short of the expected growth ({allowed}; "
                        f"{label})", **where)]
    return []
