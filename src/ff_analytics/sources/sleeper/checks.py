"""Sleeper governance checks, re-derived from the written snapshots, as governance Findings.

Run after a load (``SOURCE_CHECKS["sleeper"]``); an error keeps the snapshot pending. What they guard:
- rosters: no roster holds more players than any sane league allows; every season has the same roster count;
- transactions: completed vs failed counts per week (failed waiver claims never happened, so a week of only
  failed rows or a failed row without a reason is suspicious); ``status_updated`` never before ``created`` nor in
  the future; ordered by ``status_updated`` the weeks (legs) move forward — a waiver run may process the previous
  week's claims after the next week's first moves, so one leg back is allowed, more is an error in the data;
- matchups: two rosters per matchup id (a null matchup id is a roster without a game: a bye, counted and
  reported), and a roster's points equal the sum of its starters' points (when Sleeper sends
  ``starters_points``; responses from 2020 do not, and the check says it was skipped).
Checks skip columns a snapshot does not have, so an older snapshot's checks still run.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import polars as pl

from ff_analytics.findings import Finding, Severity
from ff_analytics.snapshots.store import SnapshotStore, WriteResult

MAX_PLAYERS_PER_ROSTER = 80  # starters + bench + taxi + IR of any sane league
FUTURE_TOLERANCE = timedelta(days=1)
LEG_TOLERANCE = 1  # a waiver run processes week N's claims after week N+1's first free-agent moves
POINTS_TOLERANCE = 0.01  # Sleeper rounds points to hundredths
KNOWN_STATUSES = ("complete", "failed", "pending")
CHECK = "sleeper"


def sleeper_checks(results: Sequence[WriteResult], store: SnapshotStore) -> list[Finding]:
    """Every Sleeper check that applies to the datasets just written."""
    out: list[Finding] = []
    for r in results:
        if r.dataset not in _BY_DATASET:
            continue
        out += _BY_DATASET[r.dataset](r, store.read(r.source, r.dataset, r.dt))
    return out


def _finding(severity: Severity, code: str, message: str, r: WriteResult) -> Finding:
    return Finding(severity=severity, check=CHECK, code=code, message=message, source=r.source, dataset=r.dataset,
                   dt=r.dt, path=r.path)


# -- rosters ---------------------------------------------------------------------------------------------------
def roster_checks(r: WriteResult, df: pl.DataFrame) -> list[Finding]:
    keys = [c for c in ("league_id", "season", "roster_id") if c in df.columns]
    if "roster_id" not in keys or "player_id" not in df.columns:
        return [_finding(Severity.error, "roster_columns", "rosters lack roster_id/player_id", r)]
    sizes = df.group_by(keys).agg(pl.col("player_id").drop_nulls().n_unique().alias("players"))
    big = sizes.filter(pl.col("players") > MAX_PLAYERS_PER_ROSTER)
    out = []
    if big.height:
        out.append(_finding(Severity.error, "roster_too_large",
                            f"{big.height} rosters hold more than {MAX_PLAYERS_PER_ROSTER} players", r))
    if "season" in df.columns:
        per_season = sizes.group_by("season").agg(pl.len().alias("rosters"))
        uneven = per_season.filter(pl.col("rosters") != per_season["rosters"].max())
        if uneven.height:
            out.append(_finding(Severity.warning, "roster_count",
                                f"seasons {uneven['season'].to_list()} have fewer rosters than the others", r))
    return out


# -- transactions ----------------------------------------------------------------------------------------------
def transaction_checks(r: WriteResult, df: pl.DataFrame) -> list[Finding]:
    if df.height == 0 or "created" not in df.columns:
        return []
    return [*_dates(r, df), *_status_counts(r, df), *_leg_order(r, df)]


def _dates(r: WriteResult, df: pl.DataFrame) -> list[Finding]:
    out = []
    if "status_updated" in df.columns:
        backwards = df.filter(pl.col("status_updated") < pl.col("created"))
        if backwards.height:
            out.append(_finding(Severity.error, "transaction_date_order",
                                f"{backwards.height} transaction rows were updated before they were created", r))
    limit = int((datetime.now(UTC) + FUTURE_TOLERANCE).timestamp() * 1000)
    future = df.filter(pl.col("created") > limit)
    if future.height:
        out.append(_finding(Severity.error, "transaction_in_future",
                            f"{future.height} transaction rows are dated in the future", r))
    return out


def status_counts(df: pl.DataFrame) -> pl.DataFrame:
    """Transactions (not item rows) per season and week: completed, failed and failed without a reason."""
    keys = [c for c in ("league_id", "season", "week") if c in df.columns]
    notes = pl.col("notes") if "notes" in df.columns else pl.lit(None, dtype=pl.Utf8)
    per_tx = df.group_by([*keys, "transaction_id"]).agg(pl.col("status").first(), notes.first().alias("notes"))
    return per_tx.group_by(keys).agg(
        (pl.col("status") == "complete").sum().alias("complete"),
        (pl.col("status") == "failed").sum().alias("failed"),
        ((pl.col("status") == "failed") & pl.col("notes").is_null()).sum().alias("failed_without_reason"),
        (~pl.col("status").is_in(KNOWN_STATUSES)).sum().alias("unknown"),
    ).sort(keys)


def _status_counts(r: WriteResult, df: pl.DataFrame) -> list[Finding]:
    if not {"status", "transaction_id"} <= set(df.columns):
        return []
    counts = status_counts(df)
    totals = counts.select(pl.col("complete", "failed", "failed_without_reason", "unknown").sum()).row(0, named=True)
    out = [_finding(Severity.info, "transaction_status_counts",
                    f"{totals['complete']} completed and {totals['failed']} failed transactions over "
                    f"{counts.height} weeks; failed ones are not moves", r)]
    if totals["unknown"]:
        out.append(_finding(Severity.error, "transaction_status_unknown",
                            f"{totals['unknown']} transactions have a status other than {', '.join(KNOWN_STATUSES)}",
                            r))
    if totals["failed_without_reason"]:
        out.append(_finding(Severity.warning, "transaction_failed_without_reason",
                            f"{totals['failed_without_reason']} failed transactions carry no metadata.notes", r))
    only_failed = counts.filter((pl.col("complete") == 0) & (pl.col("failed") > 0))
    if only_failed.height:
        weeks = only_failed.select([c for c in ("season", "week") if c in only_failed.columns]).rows()
        out.append(_finding(Severity.warning, "transaction_week_all_failed",
                            f"{only_failed.height} weeks hold only failed transactions: {weeks[:5]}", r))
    return out


def _leg_order(r: WriteResult, df: pl.DataFrame) -> list[Finding]:
    """Ordered by status_updated, a transaction's leg may trail the highest leg seen so far by LEG_TOLERANCE."""
    if not {"status_updated", "leg", "transaction_id"} <= set(df.columns):
        return []
    keys = [c for c in ("league_id", "season") if c in df.columns]
    per_tx = df.unique([*keys, "transaction_id"]).sort([*keys, "status_updated"])
    before = pl.col("leg").cum_max().shift(1)
    behind = per_tx.with_columns((before.over(keys) if keys else before).alias("max_before")).filter(
        pl.col("leg") < pl.col("max_before") - LEG_TOLERANCE)
    if not behind.height:
        return []
    return [_finding(Severity.warning, "transaction_leg_order",
                     f"{behind.height} transactions, ordered by status_updated, belong to a week more than "
                     f"{LEG_TOLERANCE} before one already processed", r)]


# -- matchups --------------------------------------------------------------------------------------------------
def matchup_checks(r: WriteResult, df: pl.DataFrame) -> list[Finding]:
    if df.height == 0 or not {"week", "matchup_id", "roster_id"} <= set(df.columns):
        return []
    keys = [c for c in ("league_id", "week") if c in df.columns]
    out = []
    byes = df.filter(pl.col("matchup_id").is_null())
    if byes.height:
        out.append(_finding(Severity.info, "matchup_byes",
                            f"{byes.height} roster-weeks have no matchup (matchup_id null: a bye or out of the "
                            "playoffs)", r))
    sides = df.filter(pl.col("matchup_id").is_not_null()).group_by([*keys, "matchup_id"]).agg(pl.len().alias("n"))
    odd = sides.filter(pl.col("n") != 2)
    if odd.height:
        sample = odd.head(3).to_dicts()
        out.append(_finding(Severity.error, "matchup_sides",
                            f"{odd.height} matchups do not pair exactly two rosters, e.g. {sample}", r))
    if "starters_points" in df.columns and "points" in df.columns:
        sent = df.filter(pl.col("starters_points").is_not_null())
        if not sent.height:
            out.append(_finding(Severity.info, "matchup_points_skipped",
                                "starters_points not sent (older responses): points vs starters not checked", r))
        else:
            off = sent.with_columns(pl.col("starters_points").list.sum().alias("starters_sum")).filter(
                (pl.col("points") - pl.col("starters_sum")).abs() > POINTS_TOLERANCE)
            if off.height:
                out.append(_finding(Severity.error, "matchup_points_sum",
                                    f"{off.height} roster-weeks score differently from the sum of their starters' "
                                    "points", r))
    return out


_BY_DATASET = {"rosters": roster_checks, "transactions": transaction_checks, "matchups": matchup_checks}
