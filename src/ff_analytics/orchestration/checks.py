"""Source-specific governance checks, re-derived from the written snapshot, as governance Findings.

Passed to ``govern_pending(extra_findings=...)``: an error keeps the snapshot pending. Sheets and ffanalytics
and KTC checks live with their sources (``sheets_checks``, ``sanity_check``, ``sources.ktc.checks``) and are adapted
here; Sleeper roster sizes and transaction order are defined here.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta

import polars as pl

from ff_analytics.governance.findings import Finding, Severity
from ff_analytics.snapshots.store import SnapshotStore, WriteResult
from ff_analytics.sources.ktc.checks import ktc_checks

SLEEPER_MAX_PLAYERS_PER_ROSTER = 80  # starters + bench + taxi + IR of any sane league
FUTURE_TOLERANCE = timedelta(days=1)


def _finding(severity: Severity, check: str, code: str, message: str, r: WriteResult) -> Finding:
    return Finding(severity=severity, check=check, code=code, message=message, source=r.source, dataset=r.dataset,
                   dt=r.dt, path=r.path)


# -- Sleeper ---------------------------------------------------------------------------------------------------
def sleeper_checks(results: Sequence[WriteResult], store: SnapshotStore) -> list[Finding]:
    out: list[Finding] = []
    for r in results:
        if r.dataset == "rosters":
            out += _roster_sizes(r, store.read(r.source, r.dataset, r.dt))
        elif r.dataset == "transactions":
            out += _transaction_order(r, store.read(r.source, r.dataset, r.dt))
    return out


def _roster_sizes(r: WriteResult, df: pl.DataFrame) -> list[Finding]:
    keys = [c for c in ("league_id", "season", "roster_id") if c in df.columns]
    if "roster_id" not in keys or "player_id" not in df.columns:
        return [_finding(Severity.error, "sleeper", "roster_columns", "rosters lack roster_id/player_id", r)]
    sizes = df.group_by(keys).agg(pl.col("player_id").drop_nulls().n_unique().alias("players"))
    big = sizes.filter(pl.col("players") > SLEEPER_MAX_PLAYERS_PER_ROSTER)
    out = []
    if big.height:
        out.append(_finding(Severity.error, "sleeper", "roster_too_large",
                            f"{big.height} rosters hold more than {SLEEPER_MAX_PLAYERS_PER_ROSTER} players", r))
    if "season" in df.columns:
        per_season = sizes.group_by("season").agg(pl.len().alias("rosters"))
        uneven = per_season.filter(pl.col("rosters") != per_season["rosters"].max())
        if uneven.height:
            out.append(_finding(Severity.warning, "sleeper", "roster_count",
                                f"seasons {uneven['season'].to_list()} have fewer rosters than the others", r))
    return out


def _transaction_order(r: WriteResult, df: pl.DataFrame) -> list[Finding]:
    if df.height == 0 or "created" not in df.columns:
        return []
    out = []
    if "status_updated" in df.columns:
        backwards = df.filter(pl.col("status_updated") < pl.col("created"))
        if backwards.height:
            out.append(_finding(Severity.error, "sleeper", "transaction_date_order",
                                f"{backwards.height} transaction rows were updated before they were created", r))
    limit = int((datetime.now(UTC) + FUTURE_TOLERANCE).timestamp() * 1000)
    future = df.filter(pl.col("created") > limit)
    if future.height:
        out.append(_finding(Severity.error, "sleeper", "transaction_in_future",
                            f"{future.height} transaction rows are dated in the future", r))
    if {"season", "week"} <= set(df.columns):
        weeks = (df.group_by("season", "week").agg(pl.col("created").min().alias("first"),
                                                    pl.col("created").max().alias("last")).sort("season", "week"))
        overlaps = weeks.filter(pl.col("first") < pl.col("last").shift(1).over("season"))
        if overlaps.height:
            out.append(_finding(Severity.warning, "sleeper", "transaction_week_order",
                                f"{overlaps.height} weeks start before the previous week's last transaction", r))
    return out


# -- ffanalytics -----------------------------------------------------------------------------------------------
def ffanalytics_checks(results: Sequence[WriteResult], store: SnapshotStore) -> list[Finding]:
    from ff_analytics.sources.ffanalytics.sanity import sanity_check

    level = {"error": Severity.error, "warn": Severity.warning, "info": Severity.info}
    out: list[Finding] = []
    by_dataset = {r.dataset: r for r in results}
    consensus = by_dataset.get("projections_consensus")
    if consensus is None:
        return out
    raw = by_dataset.get("projections_raw")
    raw_df = store.read(raw.source, raw.dataset, raw.dt) if raw else None
    for f in sanity_check(store.read(consensus.source, consensus.dataset, consensus.dt), raw_df):
        out.append(_finding(level.get(f.level, Severity.error), "ffanalytics", f"projections_{f.check}", f.message,
                            consensus))
    return out


# -- sheets ----------------------------------------------------------------------------------------------------
def sheets_checks(results: Sequence[WriteResult], store: SnapshotStore) -> list[Finding]:
    """Copy completeness, required columns, PII and parse QA on the raw copy the results came from."""
    from ff_analytics.sources.sheets import sheets_checks as run_sheet_checks

    raw = next((r for r in results if r.dataset == "raw_tabs"), None)
    raw_dt = raw.dt if raw else _raw_dt_of(results, store)
    level = {"fail": Severity.error, "warn": Severity.warning}
    wanted = {r.dataset for r in results}
    out = []
    for c in run_sheet_checks(store, raw_dt):
        if c.status not in level or c.dataset not in wanted:
            continue
        target = next(r for r in results if r.dataset == c.dataset)
        out.append(_finding(level[c.status], "sheets", c.name, c.detail, target))
    return out


def _raw_dt_of(results: Sequence[WriteResult], store: SnapshotStore):
    """The raw copy parsed snapshots came from (recorded in their manifest params), else the current one."""
    for r in results:
        raw_dt = (r.manifest.params or {}).get("raw_dt")
        if raw_dt:
            return raw_dt
    return None


SOURCE_CHECKS: dict[str, Callable[[Sequence[WriteResult], SnapshotStore], list[Finding]]] = {
    "ktc": ktc_checks,  # ff_analytics.sources.ktc.checks
    "sleeper": sleeper_checks,
    "ffanalytics": ffanalytics_checks,
    "sheets": sheets_checks,
}
