"""KTC governance checks on a written snapshot: value ranges, market completeness, picks per year, team codes.

The KTC ``Source``'s checks, run before promotion; an error keeps the snapshot pending.
- ``ktc_value_range`` (error): a value (or TE-premium value) outside KTC's 0..9999 scale, or a missing value.
- ``ktc_rank_gaps`` (error): a market's overall ranks have gaps below its last asset, i.e. the array the page
  gave for it did not hold the whole market (``params.markets`` of the manifest, written at ingest over the
  market's whole array, players and picks together); ``ktc_rank_duplicates`` (error) likewise.
- ``ktc_market_rows`` (error): the snapshot holds a different number of a market's rows than its array had.
- ``ktc_pick_name_unparsed`` (warning): picks whose name no pattern recognised (null year and round);
  ``ktc_picks_per_year`` (warning when a market's draft years hold uneven pick counts, else info).
- ``ktc_team_unmapped`` (warning): KTC team codes missing from ``config/league/ktc_team_codes.csv``.
The crosswalk mapping rate is governed with every source's (``governance.mapping_check``), on KTC's ``mfl_id``.
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from ff_analytics.findings import Finding, Severity
from ff_analytics.snapshots.store import SnapshotStore, WriteResult
from ff_analytics.sources.ktc.completeness import is_complete
from ff_analytics.sources.ktc.rows import TE_PREMIUMS

CHECK = "ktc"
KTC_VALUE_RANGE = (0, 9_999)  # KTC's scale tops out at 9999
FA = "FA"


def _finding(severity: Severity, code: str, message: str, r: WriteResult) -> Finding:
    return Finding(severity=severity, check=CHECK, code=code, message=message, source=r.source, dataset=r.dataset,
                   dt=r.dt, path=r.path)


def ktc_checks(results: Sequence[WriteResult], store: SnapshotStore) -> list[Finding]:
    """Every KTC check on each written snapshot."""
    out: list[Finding] = []
    for r in results:
        df = store.read(r.source, r.dataset, r.dt)
        out += value_ranges(r, df)
        out += market_completeness(r, df)
        if r.dataset == "picks":
            out += picks_per_year(r, df)
        if r.dataset == "players":
            out += unmapped_teams(r, df)
    return out


def value_ranges(r: WriteResult, df: pl.DataFrame) -> list[Finding]:
    lo, hi = KTC_VALUE_RANGE
    out = []
    for column in ["value", *(f"{p}_value" for p in TE_PREMIUMS)]:
        if column not in df.columns:
            continue
        outside = (pl.col(column) < lo) | (pl.col(column) > hi)
        bad = df.filter(outside | pl.col(column).is_null() if column == "value" else outside)
        if bad.height:
            out.append(_finding(Severity.error, "ktc_value_range",
                                f"{bad.height} rows have {column} outside {lo}..{hi}"
                                f"{' or missing' if column == 'value' else ''}", r))
    return out


def market_completeness(r: WriteResult, df: pl.DataFrame) -> list[Finding]:
    """Gaps and duplicates below each market's last rank, and the snapshot's rows against the market's array."""
    markets = (r.manifest.params or {}).get("markets") or {}
    kind = "players" if r.dataset == "players" else "picks"
    scopes = sorted(df["market_scope"].unique().to_list()) if "market_scope" in df.columns else []
    out = []
    for scope in scopes:
        m = markets.get(scope)
        if m is None:
            out.append(_finding(Severity.warning, "ktc_rank_gaps_unmeasured",
                                f"{scope}: the manifest records no market summary; completeness not measured", r))
            continue
        where = f"{scope} market ({m['array']}: {m['assets']} assets, ranks {m['rank_min']}..{m['rank_max']})"
        if m["missing_ranks"]:
            listed = ", ".join(m["gaps"]) + (", …" if len(m["gaps"]) >= 12 else "")
            out.append(_finding(Severity.error, "ktc_rank_gaps",
                                f"{where}: {m['missing_ranks']} ranks missing below its last asset ({listed}); "
                                "the page's array does not hold the whole market", r))
        if m["duplicate_ranks"] or m["unranked"]:
            out.append(_finding(Severity.error, "ktc_rank_duplicates",
                                f"{where}: ranks held by more than one asset {m['duplicate_ranks']}, "
                                f"{m['unranked']} assets without a rank", r))
        rows = df.filter(pl.col("market_scope") == scope).height
        if rows != m[kind]:
            out.append(_finding(Severity.error, "ktc_market_rows",
                                f"{where}: the snapshot holds {rows} {kind} rows, the array had {m[kind]}", r))
        if is_complete(m) and rows == m[kind]:
            out.append(_finding(Severity.info, "ktc_market_complete", f"{where}: complete", r))
    return out


def picks_per_year(r: WriteResult, df: pl.DataFrame) -> list[Finding]:
    if not {"draft_year", "pick_name", "market_scope"} <= set(df.columns):
        return [_finding(Severity.error, "ktc_pick_columns", "picks lack draft_year/pick_name/market_scope", r)]
    out = []
    unparsed = df.filter(pl.col("draft_year").is_null())
    if unparsed.height:
        names = sorted(unparsed["pick_name"].unique().to_list())
        out.append(_finding(Severity.warning, "ktc_pick_name_unparsed",
                            f"{unparsed.height} pick rows have a name no pattern recognises (year and round left "
                            f"null): {names[:10]}", r))
    counts = (df.filter(pl.col("draft_year").is_not_null()).group_by("market_scope", "draft_year").len()
              .sort("market_scope", "draft_year"))
    for scope in counts["market_scope"].unique().sort().to_list():
        mine = counts.filter(pl.col("market_scope") == scope)
        per_year = ", ".join(f"{y}: {n}" for y, n in mine.select("draft_year", "len").iter_rows())
        uneven = mine["len"].n_unique() > 1
        out.append(_finding(Severity.warning if uneven else Severity.info, "ktc_picks_per_year",
                            f"{scope} pick rows per draft year {per_year}"
                            f"{' (uneven: a year lists fewer picks than another)' if uneven else ''}", r))
    return out


def unmapped_teams(r: WriteResult, df: pl.DataFrame) -> list[Finding]:
    if not {"team", "ktc_team"} <= set(df.columns):
        return []
    lost = df.filter(pl.col("team").is_null() & pl.col("ktc_team").is_not_null() & (pl.col("ktc_team") != FA))
    if not lost.height:
        return []
    return [_finding(Severity.warning, "ktc_team_unmapped",
                     f"{lost.height} rows carry KTC team code(s) {sorted(lost['ktc_team'].unique().to_list())} "
                     "missing from config/league/ktc_team_codes.csv (team left null)", r)]
