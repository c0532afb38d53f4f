"""Copy: the commissioner sheet → one raw snapshot ``sheets/raw_tabs`` (one Parquet file per tab).

Two reads whatever the tab count: one metadata fetch (tab list and grid sizes) and one ``values:batchGet`` for
every expected tab. Personal cells are scrubbed before anything is written (see ``pii``). Completeness is checked
before the write: every expected tab present and non-empty, each grid inside the range and sheet size the API
reported, and the frame about to be written reproducing the redacted grid's checksum. Nothing is written unless
every check passes, so the previous snapshot stays current.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import polars as pl

from ff_analytics.errors import ConfigError, SourceError
from ff_analytics.settings import get_settings
from ff_analytics.snapshots.paths import parse_dt
from ff_analytics.snapshots.store import SnapshotStore, WriteResult
from ff_analytics.sources.sheets.client import SHEETS_HOST, SheetsHTTPClient, sheets_client
from ff_analytics.sources.sheets.grid import (
    frame_to_grid,
    grid_checksum,
    grid_to_frame,
    pad,
    range_extent,
    tab_file_name,
)
from ff_analytics.sources.sheets.pii import REDACTED, is_personal, redact_grid
from ff_analytics.sources.sheets.policy import SOURCE, ExpectedTabs, expected_tabs

log = logging.getLogger(__name__)

DATASET = "raw_tabs"
CHECKSUM_NOTE = ("sha256 of canonical JSON [n_rows, n_cols, rows padded to n_cols]; source_sha256 = grid as the "
                 "API returned it, snapshot_sha256 = grid after PII redaction (what the Parquet file holds)")


@dataclass(frozen=True)
class TabCopy:
    tab: str
    file: str
    frame: pl.DataFrame
    rows: int
    cols: int
    sheet_rows: int | None
    sheet_cols: int | None
    source_range: str
    source_sha256: str
    snapshot_sha256: str
    redacted_cells: int

    def manifest_entry(self) -> dict[str, Any]:
        return {"file": self.file, "rows": self.rows, "cols": self.cols, "sheet_rows": self.sheet_rows,
                "sheet_cols": self.sheet_cols, "source_range": self.source_range,
                "source_sha256": self.source_sha256, "snapshot_sha256": self.snapshot_sha256,
                "pii_cells_redacted": self.redacted_cells}


def a1_sheet(tab: str) -> str:
    """A whole-tab A1 range: the quoted tab title."""
    return "'" + tab.replace("'", "''") + "'"


def range_title(a1: str) -> str:
    """The tab title of an A1 range such as "'Joe V'!A1:AE37" or "Andy!A1:AE37"."""
    title = a1.rsplit("!", 1)[0] if "!" in a1 else a1
    if len(title) >= 2 and title[0] == title[-1] == "'":
        title = title[1:-1].replace("''", "'")
    return title


def copy_league_sheet(*, store: SnapshotStore | None = None, sheet_id: str | None = None, drive_copy: bool = False,
                      run_id: str | None = None, dt: str | date | None = None) -> WriteResult:
    """Copy every expected tab into a ``sheets/raw_tabs`` snapshot (registered pending); optionally a Drive copy."""
    key = (sheet_id or get_settings().sheet_id).strip()
    if not key:
        raise ConfigError("no spreadsheet id: set FFA_SHEET_ID or pass --sheet-id", source=SOURCE, dataset=DATASET)
    day = parse_dt(dt) if dt is not None else datetime.now(UTC).date()
    expected = expected_tabs()
    client = sheets_client(drive_copy=drive_copy, dataset=DATASET)
    http = client.http_client
    assert isinstance(http, SheetsHTTPClient)
    meta_url = http.route(f"{SHEETS_HOST}/v4/spreadsheets/{key}")

    meta = http.fetch_sheet_metadata(key, params={"includeGridData": "false",
                                                  "fields": "spreadsheetId,properties.title,sheets.properties"})
    sheet_props = _sheet_properties(meta, meta_url)
    _check_tabs_present(expected, sheet_props, meta_url)

    body = http.values_batch_get(key, [a1_sheet(t) for t in expected.required],
                                 params={"majorDimension": "ROWS", "valueRenderOption": "FORMATTED_VALUE",
                                         "dateTimeRenderOption": "FORMATTED_STRING"})
    copies = _tab_copies(expected, sheet_props, body, meta_url)

    drive_copy_id = None
    if drive_copy:
        title = f"{_safe_title(meta)} (ff-analytics copy {day.isoformat()})"
        drive_copy_id = client.copy(key, title=title, copy_permissions=False, copy_comments=False).id
        log.info("sheets: Drive copy made (%s)", drive_copy_id)

    present = set(sheet_props)
    params: dict[str, Any] = {
        "spreadsheet_title": _safe_title(meta),
        "expected_tabs": list(expected.required),
        "excluded_tabs": list(expected.excluded),
        "unexpected_tabs": sorted(present - set(expected.gm_tabs) - set(expected.extra_tabs)),
        "tabs": {c.tab: c.manifest_entry() for c in copies},
        "pii_cells_redacted": sum(c.redacted_cells for c in copies),
        "api_reads": 2,
        "checksum": CHECKSUM_NOTE,
        "drive_copy_id": drive_copy_id,
    }
    store = store or SnapshotStore()
    result = store.write(SOURCE, DATASET, {c.file: c.frame for c in copies}, dt=day, params=params,
                         upstream_url=meta_url, loader=__name__, run_id=run_id)
    log.info("sheets: copied %d tabs (%d rows, %d personal cells redacted) → %s [%s]", len(copies),
             result.row_count, params["pii_cells_redacted"], result.path, result.status)
    return result


def _safe_title(meta: dict[str, Any]) -> str:
    title = str(meta.get("properties", {}).get("title", ""))
    return REDACTED if is_personal(title) else title


def _sheet_properties(meta: Any, url: str) -> dict[str, dict[str, Any]]:
    sheets = meta.get("sheets") if isinstance(meta, dict) else None
    if not isinstance(sheets, list):
        raise SourceError("spreadsheet metadata has no 'sheets' list", source=SOURCE, dataset=DATASET, url=url)
    props: dict[str, dict[str, Any]] = {}
    for s in sheets:
        p = s.get("properties", {}) if isinstance(s, dict) else {}
        if isinstance(p.get("title"), str):
            props[p["title"]] = p
    return props


def _check_tabs_present(expected: ExpectedTabs, props: dict[str, dict[str, Any]], url: str) -> None:
    missing = [t for t in expected.required if t not in props]
    if missing:
        hint = " (tabs this spreadsheet legitimately lacks can be listed in FFA_SHEETS_EXCLUDED_TABS)" \
            if any(t in expected.gm_tabs for t in missing) else ""
        raise SourceError(f"expected tabs missing from the spreadsheet: {missing}; found {sorted(props)}{hint}",
                          source=SOURCE, dataset=DATASET, url=url)


def _tab_copies(expected: ExpectedTabs, props: dict[str, dict[str, Any]], body: Any, url: str) -> list[TabCopy]:
    ranges = body.get("valueRanges") if isinstance(body, dict) else None
    if not isinstance(ranges, list) or len(ranges) != len(expected.required):
        got = len(ranges) if isinstance(ranges, list) else "no"
        raise SourceError(f"values:batchGet returned {got} ranges for {len(expected.required)} requested tabs",
                          source=SOURCE, dataset=DATASET, url=url)
    copies, files = [], {}
    for tab, vr in zip(expected.required, ranges, strict=True):
        a1 = str(vr.get("range", ""))
        if range_title(a1) != tab:
            raise SourceError(f"values:batchGet answered range {a1!r} where tab {tab!r} was requested",
                              source=SOURCE, dataset=DATASET, url=url)
        copy = _copy_one(tab, vr.get("values") or [], a1, props[tab], url)
        if copy.file in files:
            raise SourceError(f"tabs {files[copy.file]!r} and {tab!r} map to the same file name {copy.file!r}",
                              source=SOURCE, dataset=DATASET, url=url)
        files[copy.file] = tab
        copies.append(copy)
    return copies


def _copy_one(tab: str, values: list[list[Any]], a1: str, props: dict[str, Any], url: str) -> TabCopy:
    grid, width = pad(values)
    if not grid or width == 0 or all(c == "" for row in grid for c in row):
        raise SourceError(f"tab {tab!r} is empty", source=SOURCE, dataset=DATASET, url=url)
    grid_props = props.get("gridProperties", {}) or {}
    sheet_rows, sheet_cols = grid_props.get("rowCount"), grid_props.get("columnCount")
    extent = range_extent(a1)
    for label, limit_rows, limit_cols in (("returned range " + a1, *(extent or (None, None))),
                                          ("sheet size", sheet_rows, sheet_cols)):
        if (limit_rows is not None and len(grid) > limit_rows) or (limit_cols is not None and width > limit_cols):
            raise SourceError(f"tab {tab!r}: {len(grid)}×{width} cells do not fit the {label} "
                              f"({limit_rows}×{limit_cols}); the copy would not be faithful",
                              source=SOURCE, dataset=DATASET, url=url)
    redacted, n_redacted = redact_grid(grid)
    frame = grid_to_frame(tab, redacted)
    snapshot_sha = grid_checksum(redacted)
    if frame.height != len(grid) or grid_checksum(frame_to_grid(frame)) != snapshot_sha:
        raise SourceError(f"tab {tab!r}: the frame to write does not reproduce the grid", source=SOURCE,
                          dataset=DATASET, url=url)
    return TabCopy(tab=tab, file=tab_file_name(tab), frame=frame, rows=len(grid), cols=width,
                   sheet_rows=sheet_rows, sheet_cols=sheet_cols, source_range=a1,
                   source_sha256=grid_checksum(grid), snapshot_sha256=snapshot_sha, redacted_cells=n_redacted)
