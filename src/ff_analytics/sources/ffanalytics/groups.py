"""Players as dense matrices: raw rows grouped per (season, week, pos, id), groups bucketed by source count.

One sort of the rows' key hashes gives each player's row indices. Sorting the groups by size puts all players with n
sources next to each other, so ``rows(bucket)`` is a plain reshape to a (players x n) index matrix; every
statistic is then vectorised over a bucket, with no padding and no per-player Python code.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

GROUP_KEYS = ("season", "week", "pos", "id")


@dataclass(frozen=True)
class Bucket:
    size: int  # sources per player
    first: int  # index of the bucket's first group
    count: int  # number of groups (players)
    start: int  # offset into ``Groups.flat``

    @property
    def groups(self) -> slice:
        return slice(self.first, self.first + self.count)


@dataclass(frozen=True)
class Groups:
    keys: pl.DataFrame  # one row per group: season, week, pos, id
    flat: np.ndarray  # raw row indices, grouped, groups ordered by size
    sizes: np.ndarray
    buckets: tuple[Bucket, ...]
    row_group: np.ndarray  # group index of every raw row

    @property
    def count(self) -> int:
        return self.keys.height

    def rows(self, bucket: Bucket) -> np.ndarray:
        """(players x sources) matrix of raw row indices for one bucket."""
        end = bucket.start + bucket.count * bucket.size
        return self.flat[bucket.start:end].reshape(bucket.count, bucket.size)

    def first_rows(self) -> np.ndarray:
        starts = np.concatenate([[0], np.cumsum(self.sizes)[:-1]]).astype(np.int64)
        return self.flat[starts]

    def broadcast(self, per_group: np.ndarray) -> np.ndarray:
        """A per-group value repeated onto every raw row."""
        return per_group[self.row_group]


def group_rows(df: pl.DataFrame, keys: tuple[str, ...] = GROUP_KEYS) -> Groups:
    """Each player's row indices; groups in order of first appearance, then stably by size, so the same input
    always gives the same bytes.

    Grouping on one 64-bit hash of the keys is much cheaper than on the strings. The query that then fetches
    each group's keys also checks every row against its group's first row; should two players' keys ever
    share a hash, the exact group-by on the keys themselves runs instead. Integer keys holding one value (a
    single season and week) split no group, so they stay out of the grouping.
    """
    by = [k for k in keys if not _is_constant_int(df[k])] or list(keys)
    first, flat, sizes = _groups_by_hash(df, by)
    first, flat, sizes = _by_size(first, flat, sizes)
    row_group = _row_groups(flat, sizes)
    first_of_row = first[row_group]
    same = pl.all_horizontal([pl.col(k).eq_missing(pl.col(k).gather(first_of_row)) for k in by]).all()
    found = df.select(*[pl.col(k).gather(first) for k in keys], same.alias("_same"))
    if not found["_same"][0]:  # a hash collision
        first, flat, sizes = _by_size(*_rows_per_group(df, by))
        row_group = _row_groups(flat, sizes)
        found = df.select(*[pl.col(k).gather(first) for k in keys], pl.lit(True).alias("_same"))
    return Groups(found.drop("_same"), flat, sizes, _buckets(sizes), row_group)


Grouping = tuple[np.ndarray, np.ndarray, np.ndarray]  # first row of each group, rows group by group, sizes


def _groups_by_hash(df: pl.DataFrame, by: list[str]) -> Grouping:
    """Groups of equal key hashes, in order of first appearance (the caller checks that keys really match).

    Each row's hash, cut short to make room for the row index in the low bits, is packed into one uint64 and
    sorted (NumPy sorts integers fast): equal hashes become runs, each run's rows ascending.
    """
    hashed = pl.reduce(lambda a, b: a ^ b, [pl.col(k).hash(seed=i) for i, k in enumerate(by)])
    h = df.select(hashed).to_series().to_numpy()
    if h.size == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    index_bits = max(1, (h.size - 1).bit_length())
    packed = h >> np.uint64(index_bits) << np.uint64(index_bits)
    packed |= np.arange(h.size, dtype=np.uint64)
    packed.sort()
    rows = (packed & np.uint64((1 << index_bits) - 1)).astype(np.int64)
    cut = packed >> np.uint64(index_bits)
    starts = np.flatnonzero(np.concatenate([[True], cut[1:] != cut[:-1]]))
    sizes = np.diff(np.append(starts, h.size))
    return _reorder(rows[starts], rows, sizes, np.argsort(rows[starts]))


def _row_groups(flat: np.ndarray, sizes: np.ndarray) -> np.ndarray:
    """The group of every row."""
    row_group = np.empty(flat.size, dtype=np.int64)
    row_group[flat] = np.repeat(np.arange(sizes.size), sizes)
    return row_group


def _buckets(sizes: np.ndarray) -> tuple[Bucket, ...]:
    """Runs of groups with the same size (``sizes`` ascending)."""
    buckets = []
    start = 0
    if sizes.size:
        change = np.flatnonzero(np.diff(sizes)) + 1
        bounds = np.concatenate([[0], change, [sizes.size]])
        for lo, hi in zip(bounds[:-1], bounds[1:], strict=True):
            n = int(sizes[lo])
            buckets.append(Bucket(n, int(lo), int(hi - lo), start))
            start += n * int(hi - lo)
    return tuple(buckets)


def _rows_per_group(df: pl.DataFrame, by: list[str]) -> Grouping:
    """One group-by (groups in order of first appearance) for each group's row indices."""
    agg = df.select(by).with_row_index("_row").group_by(by, maintain_order=True).agg(pl.col("_row"))
    rows = agg["_row"].to_arrow()  # offsets and values of the list column, without further Polars queries
    offsets = rows.offsets.to_numpy().astype(np.int64)
    flat = rows.flatten().to_numpy().astype(np.int64)
    return flat[offsets[:-1] - offsets[0]], flat, np.diff(offsets)


def _by_size(first: np.ndarray, flat: np.ndarray, sizes: np.ndarray) -> Grouping:
    """The groups stably sorted by size, their rows moved along (as they are when already in order)."""
    if sizes.size < 2 or (sizes[1:] >= sizes[:-1]).all():
        return first, flat, sizes
    return _reorder(first, flat, sizes, np.argsort(sizes, kind="stable"))


def _reorder(first: np.ndarray, flat: np.ndarray, sizes: np.ndarray, order: np.ndarray) -> Grouping:
    """The groups in the given order, each one's rows moved along."""
    starts = (np.cumsum(sizes) - sizes)[order]
    new_sizes = sizes[order]
    new_starts = np.cumsum(new_sizes) - new_sizes
    cells = np.arange(flat.size) + np.repeat(starts - new_starts, new_sizes)
    return first[order], flat[cells], new_sizes


def _is_constant_int(col: pl.Series) -> bool:
    """An integer column without nulls that holds a single value."""
    if not col.dtype.is_integer() or col.null_count() or col.len() == 0:
        return False
    values = col.to_numpy()
    return bool(values.min() == values.max())
