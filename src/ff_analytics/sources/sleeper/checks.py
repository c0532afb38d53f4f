"""Sleeper checks on a written snapshot: roster sizes, transaction dates and order."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import polars as pl

from ff_analytics.findings import Finding, Severity
from ff_analytics.snapshots.store import SnapshotStore, WriteResult

SLEEPER_MAX_PLAYERS_PER_ROSTER = 80  # starters + bench + taxi + IR of any sane league
FUTURE_TOLERANCE = timedelta(days=1)


def _finding(severity: Severity, check: str, code: str, message: str, r: WriteResult) -> Finding:
    return Finding(severity=severity, check=check, code=code, message=message, source=r.source, dataset=r.dataset,
                   dt=r.dt, path=r.path)


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


