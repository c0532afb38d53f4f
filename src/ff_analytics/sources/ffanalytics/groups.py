"""Players as dense matrices: raw rows grouped per (season, week, pos, id), groups bucketed by source count.

One Polars group-by gives each player's row indices. Sorting the groups by size puts all players with n
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
    agg = (df.lazy().select(list(keys)).with_row_index("_row")
           .group_by(list(keys), maintain_order=True).agg(pl.col("_row"), pl.len().alias("_n"))
           .sort("_n", maintain_order=True).collect())  # deterministic order: same input, same bytes
    sizes = agg["_n"].to_numpy().astype(np.int64)
    flat = agg["_row"].to_arrow().flatten().to_numpy().astype(np.int64)
    buckets = []
    start = 0
    if sizes.size:
        change = np.flatnonzero(np.diff(sizes)) + 1
        bounds = np.concatenate([[0], change, [sizes.size]])
        for lo, hi in zip(bounds[:-1], bounds[1:], strict=True):
            n = int(sizes[lo])
            buckets.append(Bucket(n, int(lo), int(hi - lo), start))
            start += n * int(hi - lo)
    row_group = np.empty(df.height, dtype=np.int64)
    row_group[flat] = np.repeat(np.arange(sizes.size), sizes)
    return Groups(agg.drop("_row", "_n"), flat, sizes, tuple(buckets), row_group)
