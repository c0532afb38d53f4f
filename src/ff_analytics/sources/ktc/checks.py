"""KTC checks on a written snapshot: value ranges and rank duplicates (the crosswalk mapping rate is governed
with every source's, in :mod:`ff_analytics.governance.mapping_check`)."""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from ff_analytics.findings import Finding, Severity
from ff_analytics.snapshots.store import SnapshotStore, WriteResult

KTC_VALUE_RANGE = (0, 10_000)  # KTC's scale tops out at 9999


def _finding(severity: Severity, check: str, code: str, message: str, r: WriteResult) -> Finding:
    return Finding(severity=severity, check=check, code=code, message=message, source=r.source, dataset=r.dataset,
                   dt=r.dt, path=r.path)


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
    return out
