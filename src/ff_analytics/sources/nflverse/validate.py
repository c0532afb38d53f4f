"""Checks a fetched nflverse frame must pass before it may become a snapshot (fail loudly, write nothing)."""

from __future__ import annotations

import functools
import operator
from collections.abc import Sequence
from dataclasses import dataclass

import polars as pl

from ff_analytics.errors import SourceError
from ff_analytics.sources.nflverse.datasets import DatasetSpec

SOURCE = "nflverse"


def _present_key(spec: DatasetSpec, frame: pl.DataFrame) -> tuple[str, ...] | None:
    """The first of the dataset's alternative keys whose columns the frame has, if any."""
    return next((key for key in spec.keys if all(c in frame.columns for c in key)), None)


def primary_key(spec: DatasetSpec, frame: pl.DataFrame, url: str | None) -> tuple[str, ...]:
    """The first of the dataset's alternative keys whose columns the frame has; an error when none is there."""
    key = _present_key(spec, frame)
    if key is not None:
        return key
    wanted = " or ".join("+".join(k) for k in spec.keys)
    raise SourceError(f"response lacks the key columns ({wanted})", source=SOURCE, dataset=spec.name, url=url)


@dataclass(frozen=True)
class PartKeys:
    """One per-season file, checked on its own: the primary key found unique in it and the seasons it holds."""

    key: tuple[str, ...]
    seasons: frozenset[int]


def check_part_keys(spec: DatasetSpec, part: pl.DataFrame, url: str | None) -> PartKeys | None:
    """The duplicate-key check of one per-season file, run as soon as it is parsed (in its download thread, while
    other seasons download). None when the file cannot be judged alone (empty, no key columns, seasons that are not
    integers): the check of the combined frame then covers it."""
    key = _present_key(spec, part)
    if part.height == 0 or key is None or "season" not in key:
        return None
    seasons = _distinct_seasons(part.get_column("season"))
    if seasons is None:
        return None
    _refuse_duplicate_keys(spec, part, key, url)
    return PartKeys(key, seasons)


def _distinct_seasons(season: pl.Series) -> frozenset[int] | None:
    """The non-null seasons in a part, as integers; None when some value is not an integer season. A season file
    holds one season: an integer column whose minimum equals its maximum (two reductions) needs no ``unique``."""
    if season.dtype.is_integer():
        low, high = season.min(), season.max()
        if low == high:
            return frozenset() if low is None else frozenset({int(low)})
    distinct = season.drop_nulls().unique().cast(pl.Int64, strict=False)
    return None if distinct.null_count() else frozenset(distinct.to_list())


def _parts_cover_keys(parts: Sequence[PartKeys | None], key: tuple[str, ...]) -> bool:
    """Every part was checked with this key and no season is in two parts, so no key can repeat across parts
    (rows without a season are never compared)."""
    if not parts or any(p is None or p.key != key for p in parts):
        return False
    seen: set[int] = set()
    for part in parts:
        if seen & part.seasons:
            return False
        seen |= part.seasons
    return True


def validate_frame(spec: DatasetSpec, frame: pl.DataFrame, seasons: list[int] | None, url: str | None, *,
                   parts: Sequence[PartKeys | None] = ()) -> None:
    """Non-empty, required columns present, every requested season present, no duplicate primary keys.

    Rows whose key has a null are not compared (SQL semantics): upstream files carry a few such rows. ``parts``:
    the per-season files ``frame`` combines, as :func:`check_part_keys` found them; when they cover every key,
    the frame's keys are not checked again.
    """
    where = {"source": SOURCE, "dataset": spec.name, "url": url}
    if frame.height == 0 or frame.width == 0:
        raise SourceError("empty payload (0 rows)", **where)
    missing = [c for c in spec.required if c not in frame.columns]
    if missing:
        raise SourceError(f"response lacks column(s) {missing}", **where)
    if spec.seasonal and seasons and "season" in frame.columns:
        # distinct values first: the cast then touches a handful of values, not every row
        present = set(frame.get_column("season").unique().cast(pl.Int64, strict=False).drop_nulls().to_list())
        absent = [s for s in seasons if s not in present]
        if absent:
            raise SourceError(f"no rows for requested season(s) {absent}", **where)
    key = primary_key(spec, frame, url)
    if not _parts_cover_keys(parts, key):
        _refuse_duplicate_keys(spec, frame, key, url)


def _refuse_duplicate_keys(spec: DatasetSpec, frame: pl.DataFrame, key: tuple[str, ...], url: str | None) -> None:
    keyed = frame[list(key)]  # plain column access: no copy of the (possibly multi-chunk) columns
    hashes = keyed.hash_rows()
    # rows with a null in the key are left out; null counts are metadata, and filtering the hashes is cheaper
    # than copying the key columns without those rows
    complete = [column.is_not_null() for column in keyed.get_columns() if column.null_count()]
    mask = functools.reduce(operator.and_, complete) if complete else None
    if mask is not None:
        hashes = hashes.filter(mask)
    if hashes.n_unique() == hashes.len():  # equal rows hash equal, so no duplicates; a collision
        return  # only sends us to the exact check below
    if mask is not None:
        keyed = keyed.filter(mask)
    dupes = keyed.filter(keyed.is_duplicated())
    if dupes.height:
        example = dupes.row(0, named=True)
        extra = dupes.height - dupes.unique().height
        raise SourceError(f"{extra} duplicate primary key(s) ({'+'.join(key)}): {dupes.height} rows share them, "
                          f"e.g. {example}", source=SOURCE, dataset=spec.name, url=url)
