"""Checks on a sheets snapshot for governance: copy completeness, PII, required columns, QA rate, reconciliation.

Each check re-derives its answer from the written files (not from what the writer believed it wrote): the grid
checksums are recomputed from the raw Parquet files and compared with the manifest, the layout is re-validated by
running the parser on the snapshot, and every string cell is scanned for phone numbers and e-mail addresses.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

import polars as pl

from ff_analytics.errors import FFAError
from ff_analytics.snapshots.store import SnapshotStore
from ff_analytics.sources.sheets.grid import frame_to_grid, grid_checksum, range_extent
from ff_analytics.sources.sheets.parse import RAW_DATASET, ParseInputs, parse_raw_tabs, resolve_raw_dt
from ff_analytics.sources.sheets.pii import contains_contact
from ff_analytics.sources.sheets.policy import SOURCE, expected_tabs

Status = Literal["pass", "warn", "fail"]


@dataclass(frozen=True)
class SheetCheck:
    name: str
    status: Status
    detail: str
    source: str = SOURCE
    dataset: str = RAW_DATASET
    dt: date | None = None


def sheets_checks(store: SnapshotStore | None = None, raw_dt: str | date | None = None) -> list[SheetCheck]:
    """Run every check on one raw_tabs snapshot (default: the latest pending or current one)."""
    store = store or SnapshotStore()
    day = resolve_raw_dt(store, raw_dt)
    manifest = store.read_manifest(SOURCE, RAW_DATASET, day)
    tabs = manifest.params.get("tabs", {})
    frames = {tab: store.read(SOURCE, RAW_DATASET, day, file=entry["file"]) for tab, entry in tabs.items()}
    checks = [_tabs_present(tabs, day), _grids_complete(tabs, frames, day), _no_contacts(frames, day)]
    checks.extend(_parse_checks(frames, day))
    return checks


def _tabs_present(tabs: dict, day: date) -> SheetCheck:
    expected = expected_tabs()
    missing = [t for t in expected.required if t not in tabs]
    if missing:
        return SheetCheck("copy_tabs_present", "fail", f"missing tabs {missing}", dt=day)
    note = f"; declared absent: {list(expected.excluded)}" if expected.excluded else ""
    return SheetCheck("copy_tabs_present", "warn" if expected.excluded else "pass",
                      f"{len(expected.required)} expected tabs present{note}", dt=day)


def _grids_complete(tabs: dict, frames: dict[str, pl.DataFrame], day: date) -> SheetCheck:
    problems = []
    for tab, entry in tabs.items():
        grid = frame_to_grid(frames[tab])
        width = max((len(r) for r in grid), default=0)
        if (len(grid), width) != (entry["rows"], entry["cols"]):
            problems.append(f"{tab}: file has {len(grid)}×{width}, manifest {entry['rows']}×{entry['cols']}")
        if grid_checksum(grid) != entry["snapshot_sha256"]:
            problems.append(f"{tab}: checksum of the file differs from the manifest")
        extent = range_extent(entry.get("source_range", ""))
        if extent and (entry["rows"] > extent[0] or entry["cols"] > extent[1]):
            problems.append(f"{tab}: {entry['rows']}×{entry['cols']} exceeds the source range {entry['source_range']}")
    if problems:
        return SheetCheck("copy_grids_complete", "fail", "; ".join(problems), dt=day)
    return SheetCheck("copy_grids_complete", "pass",
                      f"{len(tabs)} tabs: row/column counts and checksums match the manifest", dt=day)


def _no_contacts(frames: dict[str, pl.DataFrame], day: date) -> SheetCheck:
    hits = []
    for tab, frame in frames.items():
        for col in frame.columns:
            if frame.schema[col] == pl.String:
                for value in frame.get_column(col).drop_nulls().unique().to_list():
                    if contains_contact(value):
                        hits.append(f"{tab}!{col}")
                        break
    if hits:
        return SheetCheck("raw_no_personal_data", "fail", f"phone/e-mail patterns in columns {hits}", dt=day)
    return SheetCheck("raw_no_personal_data", "pass", "no phone numbers or e-mail addresses in the snapshot", dt=day)


def _parse_checks(frames: dict[str, pl.DataFrame], day: date) -> list[SheetCheck]:
    inputs = ParseInputs.from_config()
    try:
        parsed = parse_raw_tabs(pl.concat(list(frames.values()), how="diagonal_relaxed"), inputs)
    except FFAError as exc:
        return [SheetCheck("parse_required_columns", "fail", exc.detail, dataset=exc.dataset or RAW_DATASET, dt=day)]
    stats, tables = parsed.stats, parsed.tables
    pct = 100.0 * stats["transactions_qa_rows"] / max(stats["transaction_rows"], 1)
    cap_bad = tables["cap_space"].filter(~pl.col("reconciles")).height
    totals_bad = (tables["contracts_active"].filter(~pl.col("total_matches")).get_column("sheet_row").n_unique()
                  + tables["contracts_cut"].filter(~pl.col("total_matches")).get_column("sheet_row").n_unique())
    return [
        SheetCheck("parse_required_columns", "pass", "every tab has the expected headers, rows and amounts", dt=day),
        SheetCheck("parse_transactions_qa_rate", "pass" if pct <= inputs.policy.max_transactions_qa_pct else "fail",
                   f"{stats['transactions_qa_rows']} of {stats['transaction_rows']} TRANSACTIONS rows in QA "
                   f"({pct:.2f}%, limit {inputs.policy.max_transactions_qa_pct}%)", dataset="transactions", dt=day),
        SheetCheck("parse_cap_reconciles", "pass" if cap_bad == 0 and totals_bad == 0 else "fail",
                   f"{cap_bad} tab-seasons where cap − active − dead + traded ≠ available or cut contracts ≠ dead "
                   f"cap; {totals_bad} contracts whose season amounts ≠ Total", dataset="cap_space", dt=day),
    ]
