"""A tab's grid (rows of cell strings) ↔ the raw snapshot frame, and the grid checksum used for completeness.

Raw frame layout: ``tab`` (the tab title), ``row_number`` (1-based sheet row) and one string column per sheet
column named by its letter (A, B, …, AE). Every cell is a string; an empty cell is "". The Sheets API leaves out
trailing empty cells and rows, so rows are padded to the grid's width.

Checksum: SHA-256 over the canonical JSON of ``[n_rows, n_cols, rows padded to n_cols]``. It is computed on the
grid the API returned (``source_sha256``) and on the redacted grid that is written (``snapshot_sha256``); the
latter is recomputed from the written Parquet to prove the copy is complete and unaltered.
"""

from __future__ import annotations

import hashlib
import json
import re

import polars as pl

from ff_analytics.errors import ConfigError

_A1_RANGE = re.compile(r"!\$?([A-Z]+)\$?(\d+)(?::\$?([A-Z]+)\$?(\d+))?$")


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    letters = ""
    n = index + 1
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def column_index(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + (ord(ch) - 64)
    return n - 1


def pad(grid: list[list[str]]) -> tuple[list[list[str]], int]:
    """Rows padded with "" to the widest row, cells as strings; and that width."""
    width = max((len(r) for r in grid), default=0)
    return [[("" if c is None else str(c)) for c in r] + [""] * (width - len(r)) for r in grid], width


def grid_checksum(grid: list[list[str]]) -> str:
    padded, width = pad(grid)
    payload = json.dumps([len(padded), width, padded], ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def range_extent(a1: str) -> tuple[int, int] | None:
    """(rows, cols) covered by an A1 range such as "'Andy'!A1:AE37", counted from row 1 / column A."""
    m = _A1_RANGE.search(a1)
    if not m:
        return None
    end_col, end_row = (m.group(3), m.group(4)) if m.group(3) else (m.group(1), m.group(2))
    return int(end_row), column_index(end_col) + 1


def grid_to_frame(tab: str, grid: list[list[str]]) -> pl.DataFrame:
    padded, width = pad(grid)
    columns = {"tab": [tab] * len(padded), "row_number": list(range(1, len(padded) + 1))}
    for j in range(width):
        columns[column_letter(j)] = [r[j] for r in padded]
    schema = {"tab": pl.String, "row_number": pl.Int32, **{column_letter(j): pl.String for j in range(width)}}
    return pl.DataFrame(columns, schema=schema)


def frame_to_grid(frame: pl.DataFrame) -> list[list[str]]:
    """The grid back from one tab's raw frame (the frame has exactly the grid's columns)."""
    letters = [c for c in frame.columns if c not in ("tab", "row_number")]
    ordered = frame.sort("row_number").select(letters)
    return [["" if c is None else c for c in r] for r in ordered.iter_rows()]


_FILE_SAFE = re.compile(r"[^a-z0-9]+")


def tab_file_name(tab: str) -> str:
    """A snapshot file name for a tab title ("Joe V" → "tab_joe_v")."""
    slug = _FILE_SAFE.sub("_", tab.casefold()).strip("_")
    if not slug:
        raise ConfigError(f"tab title {tab!r} has no letters or digits to name a file with")
    return f"tab_{slug}"[:64]
