"""Source-specific governance checks, re-derived from the written snapshot, as governance Findings.

Passed to ``govern_pending(extra_findings=...)``: an error keeps the snapshot pending. Sheets and ffanalytics
checks live with their sources (``sheets_checks``, ``sanity_check``) and are adapted here; KTC value ranges and
mapping rate are defined here; Sleeper's live in ``ff_analytics.sources.sleeper.checks``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import polars as pl

from ff_analytics.governance.findings import Finding, Severity
from ff_analytics.snapshots.store import SnapshotStore, WriteResult
from ff_analytics.sources.sleeper.checks import sleeper_checks

KTC_VALUE_RANGE = (0, 10_000)  # KTC's scale tops out at 9999
KTC_MIN_MAPPING_RATE = 0.8  # share of KTC players found in the nflverse id crosswalk before a warning


def _finding(severity: Severity, check: str, code: str, message: str, r: WriteResult) -> Finding:
    return Finding(severity=severity, check=check, code=code, message=message, source=r.source, dataset=r.dataset,
                   dt=r.dt, path=r.path)


# -- KTC -------------------------------------------------------------------------------------------------------
def ktc_checks(results: Sequence[WriteResult], store: SnapshotStore) -> list[Finding]:
    out: list[Finding] = []
    for r in results:
        df = store.read(r.source, r.dataset, r.dt)
        lo, hi = KTC_VALUE_RANGE
        if "value" in df.columns:
            bad = df.filter(pl.col("value").is_null() | (pl.col("value") < lo) | (pl.col("value") > hi))
            if bad.height:
                out.append(_finding(Severity.error, "ktc", "ktc_value_range",
                                    f"{bad.height} rows have a value outside {lo}..{hi} or missing", r))
        if "rank" in df.columns and "market_scope" in df.columns:
            dupes = df.filter(pl.struct("market_scope", "rank").is_duplicated() & pl.col("rank").is_not_null())
            if dupes.height:
                out.append(_finding(Severity.warning, "ktc", "ktc_rank_duplicates",
                                    f"{dupes.height} rows share a rank within a market scope", r))
        if r.dataset == "players":
            out += _ktc_mapping(r, store)
    return out


def _ktc_mapping(r: WriteResult, store: SnapshotStore) -> list[Finding]:
    from ff_analytics.governance.coverage import load_crosswalk, mapping_rates

    xref = load_crosswalk(store)
    if xref is None:
        return [_finding(Severity.info, "ktc", "ktc_mapping_skipped",
                         "no current nflverse ff_playerids snapshot yet; mapping rate not measured", r)]
    rates = mapping_rates(store, r.source, r.dataset, r.dt, xref)
    rows, mapped = sum(m.rows for m in rates), sum(m.mapped for m in rates)
    if not rows:
        return []
    rate = mapped / rows
    severity = Severity.warning if rate < KTC_MIN_MAPPING_RATE else Severity.info
    return [_finding(severity, "ktc", "ktc_mapping_rate",
                     f"{rate:.0%} of KTC players map to the id crosswalk ({mapped}/{rows}; "
                     f"warn below {KTC_MIN_MAPPING_RATE:.0%})", r)]


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
    "ktc": ktc_checks,
    "sleeper": sleeper_checks,
    "ffanalytics": ffanalytics_checks,
    "sheets": sheets_checks,
}
