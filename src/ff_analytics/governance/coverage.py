"""Snapshot coverage per dataset: row history and deltas, season/week gaps, and player-id mapping rates.

Row counts come from the registry (no data read). Gaps come from the current manifest's coverage. Mapping rates
are the one part that reads data: the player-id column of the current snapshot joined to the crosswalk (the
``nflverse/ff_playerids`` snapshot, or an exported ``dim_player_id_xref`` file), per season/week when present.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

import polars as pl

from ff_analytics.errors import FFAError
from ff_analytics.governance.anomalies import check_row_count_anomaly, row_delta
from ff_analytics.governance.baseline import baseline_row, current_dt
from ff_analytics.governance.findings import Finding, info, warning
from ff_analytics.governance.gaps import find_gaps, gap_findings, schedule_weeks
from ff_analytics.governance.inventory import read_registry_rows
from ff_analytics.snapshots.manifest import Manifest
from ff_analytics.snapshots.paths import partition_dir
from ff_analytics.snapshots.registry import RegistryRow
from ff_analytics.snapshots.store import SnapshotStore

# Which column of a dataset holds a player id, and which crosswalk column it maps to (first present wins).
PLAYER_ID_COLUMNS: dict[tuple[str, str], list[tuple[str, str]]] = {
    ("nflverse", "weekly"): [("player_id", "gsis_id")],
    ("nflverse", "ff_opportunity"): [("player_id", "gsis_id")],
    ("nflverse", "snap_counts"): [("pfr_player_id", "pfr_id")],
    ("nflverse", "players"): [("gsis_id", "gsis_id")],
    ("sleeper", "players"): [("player_id", "sleeper_id")],
    ("ktc", "players"): [("mfl_id", "mfl_id"), ("ktc_id", "ktc_id"), ("player_name", "name")],
    ("ffanalytics", "projections_raw"): [("mfl_id", "mfl_id"), ("id", "mfl_id")],
    ("ffanalytics", "projections_consensus"): [("mfl_id", "mfl_id"), ("player_id", "mfl_id")],
}
NAME_COLUMNS = {"name", "merge_name", "player_name"}
_SUFFIX = re.compile(r"\b(jr|sr|ii|iii|iv|v)\b")
_NON_ALNUM = re.compile(r"[^a-z0-9]")


@dataclass
class MappingRate:
    season: int | None
    week: int | None
    rows: int
    mapped: int
    rate: float
    column: str
    xref_column: str


@dataclass
class HistoryPoint:
    dt: str
    status: str
    row_count: int | None


@dataclass
class DatasetCoverage:
    source: str
    dataset: str
    current_dt: str | None = None
    previous_dt: str | None = None
    current_rows: int | None = None
    previous_rows: int | None = None
    delta_rows: int | None = None
    delta_pct: float | None = None
    min_season: int | None = None
    max_season: int | None = None
    weeks: dict[str, list[int]] = field(default_factory=dict)
    gaps: list[str] = field(default_factory=list)
    mapping: list[MappingRate] = field(default_factory=list)
    history: list[HistoryPoint] = field(default_factory=list)

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass
class CoverageReport:
    datasets: list[DatasetCoverage]
    findings: list[Finding]


def normalize_name(text: str) -> str:
    """Names compared across sources: lower case, no suffixes (Jr., III), letters and digits only."""
    return _NON_ALNUM.sub("", _SUFFIX.sub("", text.lower().replace(".", "")))


def _normalize_ids(series: pl.Series, as_name: bool) -> pl.Series:
    if as_name:
        return series.cast(pl.Utf8).map_elements(normalize_name, return_dtype=pl.Utf8)
    if series.dtype.is_float():
        series = series.cast(pl.Int64, strict=False)
    return series.cast(pl.Utf8).str.strip_chars()


def load_crosswalk(store: SnapshotStore, xref_path: str | Path | None = None) -> pl.DataFrame | None:
    """The player-id crosswalk: a given Parquet/CSV export, else the current nflverse ff_playerids snapshot."""
    try:
        if xref_path is not None:
            path = Path(xref_path)
            return pl.read_csv(path, infer_schema=False) if path.suffix == ".csv" else pl.read_parquet(path)
        day = current_dt(store, "nflverse", "ff_playerids")
        return store.read("nflverse", "ff_playerids", day) if day is not None else None
    except (FFAError, OSError, pl.exceptions.PolarsError):
        return None


def mapping_rates(store: SnapshotStore, source: str, dataset: str, dt: date,
                  xref: pl.DataFrame) -> list[MappingRate]:
    """Share of rows whose player id is in the crosswalk, per season/week when the data has them."""
    candidates = PLAYER_ID_COLUMNS.get((source, dataset), [])
    try:
        files = store.files(source, dataset, dt)
        schema = pl.read_parquet_schema(_readable(store, files[0]))
    except (FFAError, OSError, pl.exceptions.PolarsError, IndexError):
        return []
    pick = next(((c, x) for c, x in candidates if c in schema and x in xref.columns), None)
    if pick is None:
        return []
    col, xcol = pick
    by = [c for c in ("season", "week") if c in schema]
    data = pl.concat([pl.read_parquet(_readable(store, f), columns=[col, *by]) for f in files],
                     how="vertical_relaxed")
    as_name = xcol in NAME_COLUMNS
    known = set(_normalize_ids(xref[xcol].drop_nulls(), as_name).to_list())
    data = data.with_columns(_normalize_ids(data[col], as_name).is_in(list(known)).fill_null(False)
                             .alias("_mapped"))
    grouped = (data.group_by(by).agg(pl.len().alias("rows"), pl.col("_mapped").sum().alias("mapped")).sort(by)
               if by else data.select(pl.len().alias("rows"), pl.col("_mapped").sum().alias("mapped")))
    out = []
    for rec in grouped.iter_rows(named=True):
        rows, mapped = int(rec["rows"]), int(rec["mapped"])
        out.append(MappingRate(rec.get("season"), rec.get("week"), rows, mapped,
                               round(mapped / rows, 4) if rows else 0.0, col, xcol))
    return out


def _readable(store: SnapshotStore, uri: str):
    return uri if store.root.is_local else store.root.fs.open(uri.split("://", 1)[-1], "rb")


def analyze_coverage(store: SnapshotStore | None = None, sources: Iterable[str] | None = None,
                     as_of: date | None = None, xref_path: str | Path | None = None,
                     with_mapping: bool = True) -> CoverageReport:
    """Coverage of every dataset that has registry rows; findings for gaps and row-count anomalies."""
    store = store or SnapshotStore()
    as_of = as_of or datetime.now(UTC).date()
    rows, findings = read_registry_rows(store)
    wanted = set(sources) if sources else None
    keys = sorted({(r.source, r.dataset) for r in rows if wanted is None or r.source in wanted})
    schedule = schedule_weeks(store, as_of)
    xref = load_crosswalk(store, xref_path) if with_mapping else None
    if with_mapping and xref is None:
        findings.append(info("coverage", "no_crosswalk", "no player-id crosswalk (nflverse/ff_playerids snapshot or "
                             "--xref file): mapping rates skipped"))
    out = []
    for source, dataset in keys:
        mine = sorted((r for r in rows if (r.source, r.dataset) == (source, dataset)), key=lambda r: r.snapshot_date)
        cov, found = _dataset_coverage(store, source, dataset, mine, schedule, xref)
        out.append(cov)
        findings += found
    return CoverageReport(out, findings)


def _dataset_coverage(store: SnapshotStore, source: str, dataset: str, mine: list[RegistryRow], schedule,
                      xref: pl.DataFrame | None) -> tuple[DatasetCoverage, list[Finding]]:
    cov = DatasetCoverage(source, dataset, history=[HistoryPoint(r.snapshot_date, r.status, _int(r.row_count))
                                                   for r in mine])
    current = next((r for r in mine if r.status == "current"), None)
    if current is None:
        return cov, []
    findings: list[Finding] = []
    cov.current_dt, cov.current_rows = current.snapshot_date, _int(current.row_count)
    prev = baseline_row(mine, current.dt)
    if prev is not None:
        cov.previous_dt, cov.previous_rows = prev.snapshot_date, _int(prev.row_count)
        if cov.current_rows is not None and cov.previous_rows is not None:
            cov.delta_rows = cov.current_rows - cov.previous_rows
            pct = row_delta(cov.previous_rows, cov.current_rows)
            cov.delta_pct = round(pct, 2) if pct is not None else None
        findings += check_row_count_anomaly(store, source, dataset, current.dt, mine)
    manifest = _manifest(store, source, dataset, current.dt)
    if manifest is None:
        return cov, findings
    if manifest.coverage is not None:
        cov.min_season, cov.max_season = manifest.coverage.min_season, manifest.coverage.max_season
        cov.weeks = manifest.coverage.weeks
    if store.config.checks_week_coverage(source, dataset):
        cov.gaps = [g.describe() for g in find_gaps(manifest, schedule)]
        findings += gap_findings(manifest, schedule, store.root.uri(partition_dir(source, dataset, current.dt)))
    if xref is not None:
        try:
            cov.mapping = mapping_rates(store, source, dataset, current.dt, xref)
        except (OSError, pl.exceptions.PolarsError) as exc:
            findings.append(warning("coverage", "mapping_failed", f"mapping rates not computed: {exc}",
                                    source=source, dataset=dataset, dt=current.dt))
    return cov, findings


def _manifest(store: SnapshotStore, source: str, dataset: str, day: date) -> Manifest | None:
    try:
        return store.read_manifest(source, dataset, day, missing_ok=True)
    except (FFAError, OSError):
        return None


def _int(text: str) -> int | None:
    try:
        return int(text)
    except (TypeError, ValueError):
        return None


def render_text(report: CoverageReport) -> str:
    """The human-readable summary printed by ``ffa coverage``."""
    lines = []
    for c in report.datasets:
        head = f"{c.source}/{c.dataset}: current {c.current_dt or '-'}"
        if c.current_rows is not None:
            head += f", {c.current_rows} rows"
        if c.previous_dt:
            pct = f" ({c.delta_pct:+.1f}%)" if c.delta_pct is not None else ""
            head += f"; vs {c.previous_dt}: {c.delta_rows:+d}{pct}" if c.delta_rows is not None else ""
        lines.append(head)
        if c.min_season is not None:
            lines.append(f"  seasons {c.min_season}-{c.max_season}" + (
                "; weeks " + ", ".join(f"{s}: {_ranges(w)}" for s, w in c.weeks.items()) if c.weeks else ""))
        for g in c.gaps:
            lines.append(f"  GAP: {g}")
        if c.mapping:
            total = sum(m.rows for m in c.mapping)
            mapped = sum(m.mapped for m in c.mapping)
            worst = min(c.mapping, key=lambda m: m.rate)
            at = f" (lowest {worst.rate:.1%} in {worst.season} week {worst.week})" if worst.week is not None else ""
            lines.append(f"  player ids mapped: {mapped}/{total} = {mapped / total:.1%} via "
                         f"{c.mapping[0].column}->{c.mapping[0].xref_column}{at}")
    return "\n".join(lines)


def _ranges(weeks: list[int]) -> str:
    parts, start = [], None
    for i, w in enumerate(weeks):
        if start is None:
            start = w
        if i + 1 == len(weeks) or weeks[i + 1] != w + 1:
            parts.append(str(start) if start == w else f"{start}-{w}")
            start = None
    return ",".join(parts)
