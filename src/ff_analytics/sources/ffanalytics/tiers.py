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
    ok = np.flatnonzero(~np.isnan(values))
    if ok.size == 0:
        return out
    order = ok[_sort_within_groups(values[ok], group[ok], descending=True)]
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
    cols = {k: np.full(m, np.nan) for k in RESULT_COLUMNS}
    if m == 0:
        return keep, cols
    b, p = block[keep], points[keep]
    new_block = _changes(b)
    starts = np.flatnonzero(new_block)
    run = np.cumsum(new_block) - 1  # block ordinal of every position
    pos_of = [block_pos[i] for i in b[starts]]

    new_value = new_block.copy()
    new_value[1:] |= p[1:] != p[:-1]
    cols["pos_rank"] = pos_rank = _count_within(new_value, new_block)

    # dropoff: the first player (by id) of each run of equal points gets the gap to the next lower value
    value_starts = np.flatnonzero(new_value)
    upper, lower = value_starts[:-1], value_starts[1:]
    same_block = ~new_block[lower]
    drop = np.zeros(m)
    drop[upper[same_block]] = p[upper[same_block]] - p[lower[same_block]]
    cols["dropoff"] = drop
    cols["tier"] = _tiers(drop, sd_pts[keep], run, starts, pos_of, tier_threshold)

    base = np.array([np.nan if vor_baseline.get(pos) is None else float(vor_baseline[pos]) for pos in pos_of])
    no_base = np.isnan(base)
    base_row = base[run]
    ref = _first_per_run(np.flatnonzero(pos_rank == base_row), run, starts.size, starts)
    cols["points_vor"] = p - np.where(no_base, np.nan, p[ref])[run]
    for col, values in (("floor", floor), ("ceiling", ceiling)):
        vals = values[keep]
        ranks = group_dense_rank_desc(vals, run)
        ranked = np.flatnonzero(~np.isnan(ranks))
        # like R's which.max: the first player at the baseline rank, else the first ranked player
        first_ranked = _first_per_run(ranked, run, starts.size, np.full(starts.size, -1))
        ref = _first_per_run(ranked[ranks[ranked] == base_row[ranked]], run, starts.size, first_ranked)
        cols[f"{col}_vor"] = vals - np.where(no_base | (ref < 0), np.nan, vals[ref])[run]
    per = period[keep]
    for col, src in (("rank", "points_vor"), ("floor_rank", "floor_vor"), ("ceiling_rank", "ceiling_vor")):
        cols[col] = group_dense_rank_desc(cols[src], per)
    return keep, cols


def _tiers(drop: np.ndarray, sd: np.ndarray, run: np.ndarray, starts: np.ndarray, pos_of: list[str],
           tier_threshold: dict[str, float]) -> np.ndarray:
    """dense_rank(1 + trunc((cumsum(dropoff) - dropoff[1]) / (median(sd_pts) x threshold))) per block."""
    scale = _run_medians(sd, run, starts.size) * np.array([tier_threshold.get(pos, np.nan) for pos in pos_of])
    valid = np.isfinite(scale) & (scale > 0)
    tier = np.full(drop.size, np.nan)
    if not valid.any():
        return tier
    # cumulative sums restart at each block: one row per block of a zero-padded matrix, summed along the row
    offset = np.arange(drop.size) - starts[run]
    lengths = np.diff(np.append(starts, drop.size))
    padded = np.zeros((starts.size, int(lengths.max())))
    padded[run, offset] = drop
    cum = np.cumsum(padded, axis=1)[run, offset]
    with np.errstate(invalid="ignore", divide="ignore"):  # blocks without a valid scale are masked below
        raw_tier = 1 + np.trunc((cum - drop[starts][run]) / scale[run])
    new_block = offset == 0
    new_tier = new_block.copy()
    new_tier[1:] |= raw_tier[1:] != raw_tier[:-1]
    dense = _count_within(new_tier, new_block)  # raw tiers never fall within a block
    ok = valid[run]
    tier[ok] = dense[ok]
    return tier


def _run_medians(values: np.ndarray, run: np.ndarray, n_runs: int) -> np.ndarray:
    """np.median of the non-NaN values of each run (NaN for none): the middle one, or the mean of the two."""
    ok = np.flatnonzero(~np.isnan(values))
    out = np.full(n_runs, np.nan)
    if ok.size == 0:
        return out
    order = ok[_sort_within_groups(values[ok], run[ok])]
    r = run[order]
    counts = np.bincount(r, minlength=n_runs)
    first = np.concatenate([[0], np.cumsum(counts)[:-1]])
    has = counts > 0
    lo = first[has] + (counts[has] - 1) // 2
    hi = first[has] + counts[has] // 2
    v = values[order]
    out[has] = np.where(lo == hi, v[lo], (v[lo] + v[hi]) / 2.0)
    return out


def _sort_within_groups(values: np.ndarray, group: np.ndarray, descending: bool = False) -> np.ndarray:
    """An argsort by (group, value) for non-NaN values; ties among equal values in any order."""
    order = np.argsort(-values if descending else values)
    if group.size and 0 <= group.min() and group.max() < np.iinfo(np.int16).max:
        return order[np.argsort(group[order].astype(np.int16), kind="stable")]  # radix sort
    return order[np.argsort(group[order], kind="stable")]


def _order_block_desc_tie(block: np.ndarray, points: np.ndarray, tie_key: TieKey) -> np.ndarray:
    """argsort by (block, -points, tie_key) for non-NaN points and distinct (block, tie_key) pairs.

    Points are replaced by their dense rank and packed with the block into one int64 key, so one sort
    replaces three stable ones. Only players whose points tie within a block need ``tie_key``; when it is a
    callable it is asked for just those (ordering ids as strings is the costly part).
    """
    if points.size == 0:
        return np.empty(0, dtype=np.int64)
    by_value = np.argsort(points)
    sorted_points = points[by_value]
    rank = np.empty(points.size, dtype=np.int64)
    rank[by_value] = np.cumsum(np.concatenate([[0], sorted_points[1:] != sorted_points[:-1]]))
    n_val = int(rank[by_value[-1]]) + 1
    n_block = int(block.max()) + 1
    if block.min() < 0 or n_block * n_val >= 2 ** 62:
        keys = tie_key(np.arange(points.size)) if callable(tie_key) else tie_key
        return np.lexsort((keys, -points, block))
    packed = block.astype(np.int64) * n_val + (n_val - 1 - rank)
    order = np.argsort(packed)
    sorted_packed = packed[order]
    tied = np.zeros(order.size, dtype=bool)
    same = sorted_packed[1:] == sorted_packed[:-1]
    tied[1:] |= same
    tied[:-1] |= same
    if not tied.any():
        return order
    slots = np.flatnonzero(tied)
    members = order[slots]
    keys = tie_key(members) if callable(tie_key) else tie_key[members]
    order[slots] = members[np.lexsort((keys, sorted_packed[slots]))]  # tied runs are contiguous: sort in place
    return order
