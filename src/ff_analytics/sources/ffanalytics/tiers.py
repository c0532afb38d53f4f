"""Tiers, dropoff, value over replacement and ranks, as ffanalytics' ``projections_table`` computes them.

Per (period, position): players with points <= 0 or non-finite are dropped; sorted by points, ``dropoff`` is
the gap to the next (lower) player; walking down from the top, a new tier starts whenever the accumulated
dropoff passes another multiple of median(sd_pts) x the position's threshold. VOR subtracts the points
(floor, ceiling) of the player ranked at the position's baseline; ``rank`` orders VOR across positions.

Everything is computed for all blocks at once (the consensus passes all avg_types in one call, avg_type
being part of the block) on one array sorted by block, then points descending: a handful of whole-array
sorts, no Python loop over blocks or players. Per-block cumulative sums run along the rows of a zero-padded
(block x player) matrix, so each block is still summed from its own first player, as a per-block loop would.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

# Orders players whose points tie (dplyr orders them by id): an array over all players, or a function that
# returns comparable keys for the given player indices.
TieKey = np.ndarray | Callable[[np.ndarray], np.ndarray]

DEFAULT_VOR_BASELINE = {"QB": 13, "RB": 35, "WR": 36, "TE": 13, "K": 8, "DST": 3, "DL": 10, "LB": 10, "DB": 10}
DEFAULT_TIER_THRESHOLD = {"QB": 1.0, "RB": 1.0, "WR": 1.0, "TE": 1.0, "K": 1.0, "DST": 0.1, "DL": 1.0,
                          "DB": 1.0, "LB": 1.0}
RESULT_COLUMNS = ("dropoff", "tier", "pos_rank", "points_vor", "floor_vor", "ceiling_vor", "rank", "floor_rank",
                  "ceiling_rank")


def dense_rank_desc(values: np.ndarray) -> np.ndarray:
    """R's ``dense_rank(-x)``: 1 for the largest value, ties share a rank, NaN stays NaN."""
    return group_dense_rank_desc(values, np.zeros(values.shape, dtype=np.int64))


def group_dense_rank_desc(values: np.ndarray, group: np.ndarray) -> np.ndarray:
    """``dense_rank(-x)`` within each group (any group labels), NaN stays NaN."""
    out = np.full(values.shape, np.nan)
    missing = np.isnan(values)
    if missing.all():
        return out
    if missing.any():
        ok = np.flatnonzero(~missing)
        order = ok[_sort_within_groups(values[ok], group[ok], descending=True)]
    else:
        order = _sort_within_groups(values, group, descending=True)
    g, v = group[order], values[order]
    new_group = _changes(g)
    new_value = new_group.copy()
    new_value[1:] |= v[1:] != v[:-1]
    out[order] = _count_within(new_value, new_group)
    return out


def _changes(sorted_labels: np.ndarray) -> np.ndarray:
    """True where a run of equal labels starts."""
    change = np.empty(sorted_labels.size, dtype=bool)
    if sorted_labels.size:
        change[0] = True
        np.not_equal(sorted_labels[1:], sorted_labels[:-1], out=change[1:])
    return change


def _count_within(flags: np.ndarray, run_start: np.ndarray) -> np.ndarray:
    """Running count of ``flags`` restarting at every ``run_start`` (both True at a run's first element)."""
    total = np.cumsum(flags)
    starts = np.flatnonzero(run_start)
    offset = np.repeat(total[starts] - 1, np.diff(np.append(starts, flags.size)))
    return (total - offset).astype(float)


def _first_per_run(positions: np.ndarray, run_of: np.ndarray, n_runs: int, default: np.ndarray) -> np.ndarray:
    """For each run, the first of ``positions`` (ascending) that lies in it, else ``default``."""
    out = default.copy()
    if positions.size:
        runs = run_of[positions]
        first = _changes(runs)
        out[runs[first]] = positions[first]
    return out


def tiers_and_vor(points: np.ndarray, sd_pts: np.ndarray, floor: np.ndarray, ceiling: np.ndarray,
                  block: np.ndarray, block_pos: list[str], period: np.ndarray, tie_key: np.ndarray,
                  vor_baseline: dict[str, int], tier_threshold: dict[str, float]) -> dict[str, np.ndarray]:
    """Per-player columns, plus ``keep``: the indices of players with a consensus, in output order."""
    keep, cols = tiers_and_vor_sorted(points, sd_pts, floor, ceiling, block, block_pos, period, tie_key,
                                      vor_baseline, tier_threshold)
    res = {}
    for k in RESULT_COLUMNS:
        res[k] = np.full(points.size, np.nan)
        res[k][keep] = cols[k]
    res["keep"] = keep
    return res


def tiers_and_vor_sorted(points: np.ndarray, sd_pts: np.ndarray, floor: np.ndarray, ceiling: np.ndarray,
                         block: np.ndarray, block_pos: list[str], period: np.ndarray, tie_key: TieKey,
                         vor_baseline: dict[str, int], tier_threshold: dict[str, float]
                         ) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Like :func:`tiers_and_vor`, but the columns come back already in output (``keep``) order."""
    kept = np.flatnonzero(np.isfinite(points) & (points > 0))
    # blocks ascending, points descending, ties by id (dplyr's group order)
    tie = (lambda idx: tie_key(kept[idx])) if callable(tie_key) else tie_key[kept]
    keep = kept[_order_block_desc_tie(block[kept], points[kept], tie)]
    m = keep.size
    cols: dict[str, np.ndarray] = {}
    if m == 0:
        return keep, {k: np.full(0, np.nan) for k in RESULT_COLUMNS}
    b, p = block[keep], points[keep]
    runs = _Runs(_changes(b))
    pos_of = [block_pos[i] for i in b[runs.starts]]

    new_value = runs.new.copy()
    new_value[1:] |= p[1:] != p[:-1]
    cols["pos_rank"] = pos_rank = _count_within(new_value, runs.new)

    # dropoff: the first player (by id) of each run of equal points gets the gap to the next lower value
    value_starts = np.flatnonzero(new_value)
    upper, lower = value_starts[:-1], value_starts[1:]
    same_block = ~runs.new[lower]
    drop = np.zeros(m)
    drop[upper[same_block]] = p[upper[same_block]] - p[lower[same_block]]
    cols["dropoff"] = drop
    cols["tier"] = _tiers(drop, sd_pts[keep], runs, pos_of, tier_threshold)

    base = np.array([np.nan if vor_baseline.get(pos) is None else float(vor_baseline[pos]) for pos in pos_of])
    no_base = np.isnan(base)
    ref = _first_per_run(np.flatnonzero(pos_rank == base[runs.of]), runs.of, runs.count, runs.starts)
    cols["points_vor"] = p - np.where(no_base, np.nan, p[ref])[runs.of]
    for col, values in (("floor", floor), ("ceiling", ceiling)):
        vals = values[keep]
        cols[f"{col}_vor"] = vals - np.where(no_base, np.nan, _reference_values(vals, runs, base))[runs.of]
    per = period[keep]
    for col, src in (("rank", "points_vor"), ("floor_rank", "floor_vor"), ("ceiling_rank", "ceiling_vor")):
        cols[col] = group_dense_rank_desc(cols[src], per)
    return keep, cols


class _Runs:
    """The blocks of a block-sorted array: where each starts, which block every element is in, and where it
    sits in a zero-padded (block x longest block) matrix, so per-block work runs along that matrix's rows."""

    def __init__(self, new: np.ndarray) -> None:
        self.new = new
        self.starts = np.flatnonzero(new)
        self.count = self.starts.size
        self.of = np.cumsum(new) - 1  # block ordinal of every element
        self.width = int(np.diff(np.append(self.starts, new.size)).max())
        # flat index into the padded matrix: row = block, column = position within the block
        self.cell = np.arange(new.size) + (self.of * self.width - self.starts[self.of])

    def padded(self, values: np.ndarray, fill: float) -> np.ndarray:
        out = np.full((self.count, self.width), fill)
        out.ravel()[self.cell] = values
        return out

    def unpad(self, matrix: np.ndarray) -> np.ndarray:
        return matrix.ravel()[self.cell]


def _reference_values(vals: np.ndarray, runs: _Runs, base: np.ndarray) -> np.ndarray:
    """Per block: the value ranked ``base`` (dense, descending) or, like R's which.max when nobody has that
    rank, the value of the first (top) player who has one; NaN when the block has no value at all."""
    desc = runs.padded(-vals, np.nan)
    desc.sort(axis=1)  # each row: its block's values descending (negated), NaN last
    present = (~np.isnan(vals)).astype(np.int64)
    counts = np.add.reduceat(present, runs.starts)
    new_value = np.ones(desc.shape, dtype=bool)
    np.not_equal(desc[:, 1:], desc[:, :-1], out=new_value[:, 1:])
    hit = (np.cumsum(new_value, axis=1) == base[:, None]) & (np.arange(runs.width) < counts[:, None])
    at_base = np.argmax(hit, axis=1)
    first = _first_per_run(np.flatnonzero(present), runs.of, runs.count, np.full(runs.count, -1))
    fallback = np.where(first >= 0, vals[np.maximum(first, 0)], np.nan)
    return np.where(hit.any(axis=1), -desc[np.arange(runs.count), at_base], fallback)


def _tiers(drop: np.ndarray, sd: np.ndarray, runs: _Runs, pos_of: list[str],
           tier_threshold: dict[str, float]) -> np.ndarray:
    """dense_rank(1 + trunc((cumsum(dropoff) - dropoff[1]) / (median(sd_pts) x threshold))) per block."""
    scale = _run_medians(sd, runs) * np.array([tier_threshold.get(pos, np.nan) for pos in pos_of])
    valid = np.isfinite(scale) & (scale > 0)
    tier = np.full(drop.size, np.nan)
    if not valid.any():
        return tier
    # cumulative sums restart at each block: one row per block of a zero-padded matrix, summed along the row
    cum = runs.unpad(np.cumsum(runs.padded(drop, 0.0), axis=1))
    with np.errstate(invalid="ignore", divide="ignore"):  # blocks without a valid scale are masked below
        raw_tier = 1 + np.trunc((cum - drop[runs.starts][runs.of]) / scale[runs.of])
    new_tier = runs.new.copy()
    new_tier[1:] |= raw_tier[1:] != raw_tier[:-1]
    dense = _count_within(new_tier, runs.new)  # raw tiers never fall within a block
    ok = valid[runs.of]
    tier[ok] = dense[ok]
    return tier


def _run_medians(values: np.ndarray, runs: _Runs) -> np.ndarray:
    """np.median of the non-NaN values of each block (NaN for none): the middle one, or the mean of the two."""
    ordered = runs.padded(values, np.nan)
    ordered.sort(axis=1)  # NaN last
    counts = np.add.reduceat((~np.isnan(values)).astype(np.int64), runs.starts)
    out = np.full(runs.count, np.nan)
    has = np.flatnonzero(counts > 0)
    lo, hi = (counts[has] - 1) // 2, counts[has] // 2
    v_lo, v_hi = ordered[has, lo], ordered[has, hi]
    out[has] = np.where(lo == hi, v_lo, (v_lo + v_hi) / 2.0)
    return out


def _sort_within_groups(values: np.ndarray, group: np.ndarray, descending: bool = False) -> np.ndarray:
    """An argsort by (group, value) for non-NaN values; ties among equal values in any order."""
    order = np.argsort(-values if descending else values)
    labels = group[order]
    if labels.size and 0 <= labels.min() and labels.max() < np.iinfo(np.int16).max:
        labels = labels.astype(np.int16)  # NumPy's stable sort of int16 is a radix sort
    return order[np.argsort(labels, kind="stable")]


def _order_block_desc_tie(block: np.ndarray, points: np.ndarray, tie_key: TieKey) -> np.ndarray:
    """argsort by (block, -points, tie_key) for non-NaN points and distinct (block, tie_key) pairs.

    One value sort and one radix sort by block; only players whose points tie within a block need
    ``tie_key``, and when it is a callable it is asked for just those (ordering ids as strings is costly).
    """
    order = _sort_within_groups(points, block, descending=True)
    b, p = block[order], points[order]
    same = (b[1:] == b[:-1]) & (p[1:] == p[:-1])
    if not same.any():
        return order
    tied = np.zeros(order.size, dtype=bool)
    tied[1:] |= same
    tied[:-1] |= same
    slots = np.flatnonzero(tied)
    members = order[slots]
    keys = tie_key(members) if callable(tie_key) else tie_key[members]
    # tied runs are contiguous and already in (block, -points) order: sort just their members in place
    order[slots] = members[np.lexsort((keys, -p[slots], b[slots]))]
    return order
