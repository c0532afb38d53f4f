"""Checks a fetched nflverse frame must pass before it may become a snapshot (fail loudly, write nothing)."""

from __future__ import annotations

import polars as pl

from ff_analytics.errors import SourceError
from ff_analytics.sources.nflverse.datasets import DatasetSpec

SOURCE = "nflverse"


def primary_key(spec: DatasetSpec, frame: pl.DataFrame, url: str | None) -> tuple[str, ...]:
    """The first of the dataset's alternative keys whose columns the frame has."""
    for key in spec.keys:
        if all(c in frame.columns for c in key):
            return key
    wanted = " or ".join("+".join(k) for k in spec.keys)
    raise SourceError(f"response lacks the key columns ({wanted})", source=SOURCE, dataset=spec.name, url=url)


def validate_frame(spec: DatasetSpec, frame: pl.DataFrame, seasons: list[int] | None, url: str | None) -> None:
    """Non-empty, required columns present, every requested season present, no duplicate primary keys.

    Rows whose key has a null are not compared (SQL semantics): upstream files carry a few such rows.
    """
    where = {"source": SOURCE, "dataset": spec.name, "url": url}
    if frame.height == 0 or frame.width == 0:
        raise SourceError("empty payload (0 rows)", **where)
    missing = [c for c in spec.required if c not in frame.columns]
    if missing:
        raise SourceError(f"response lacks column(s) {missing}", **where)
    if spec.seasonal and seasons and "season" in frame.columns:
        present = set(frame.get_column("season").cast(pl.Int64, strict=False).drop_nulls().unique().to_list())
        absent = [s for s in seasons if s not in present]
        if absent:
            raise SourceError(f"no rows for requested season(s) {absent}", **where)
    key = primary_key(spec, frame, url)
    keyed = frame[list(key)]  # plain column access: no copy of the (possibly multi-chunk) columns
    if keyed.null_count().sum_horizontal().item():
        keyed = keyed.drop_nulls()
    if keyed.hash_rows().n_unique() == keyed.height:  # equal rows hash equal, so no duplicates; a collision
        return  # only sends us to the exact check below
    dupes = keyed.filter(keyed.is_duplicated())
    if dupes.height:
        example = dupes.row(0, named=True)
        extra = dupes.height - dupes.unique().height
        raise SourceError(f"{extra} duplicate primary key(s) ({'+'.join(key)}): {dupes.height} rows share them, "
                          f"e.g. {example}", **where)
