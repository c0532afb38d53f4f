"""Helpers shared by the tab parsers: money cells, cell expressions and QA rows."""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

QA_SCHEMA = {"tab": pl.String, "sheet_row": pl.Int32, "dataset": pl.String, "action": pl.String,
             "reason": pl.String, "row_text": pl.String}

FrameT = pl.DataFrame | pl.LazyFrame


def parse_money(text: str) -> int | None:
    """"$52" → 52, "-$40" → -40, "$1,200" → 1200, "" → None; None also for anything else ("$1O"): callers that
    see a non-empty cell come back as None raise, naming the cell."""
    cleaned = text.replace("$", "").replace(",", "").strip()
    if not cleaned:
        return None
    body = cleaned[1:] if cleaned[0] == "-" else cleaned
    return int(cleaned) if body.isdigit() and body.isascii() else None


def cell(col: str) -> pl.Expr:
    return pl.col(col).fill_null("").str.strip_chars()


def row_text(columns: Sequence[str]) -> pl.Expr:
    """The non-empty cells of a row as "A=… | B=…" (already PII-scrubbed by the copy step)."""
    return pl.concat_str([pl.when(cell(c) != "").then(pl.lit(f"{c}=") + cell(c)) for c in columns],
                         separator=" | ", ignore_nulls=True)


def qa_rows(frame: FrameT, dataset: str, action: str, reason: pl.Expr | str,
            text_columns: Sequence[str]) -> FrameT:
    """QA entries for every row of ``frame`` (which has tab and row_number)."""
    return frame.select(
        pl.col("tab"),
        pl.col("row_number").alias("sheet_row"),
        pl.lit(dataset).alias("dataset"),
        pl.lit(action).alias("action"),
        (pl.lit(reason) if isinstance(reason, str) else reason).alias("reason"),
        row_text(text_columns).alias("row_text"),
    ).cast(QA_SCHEMA)
