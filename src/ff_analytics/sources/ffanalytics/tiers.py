"""Tiers, dropoff, value over replacement and ranks, as ffanalytics' ``projections_table`` computes them.

Per (period, position): players with points <= 0 or non-finite are dropped; sorted by points, ``dropoff`` is
the gap to the next (lower) player; walking down from the top, a new tier starts whenever the accumulated
dropoff passes another multiple of median(sd_pts) x the position's threshold. VOR subtracts the points
(floor, ceiling) of the player ranked at the position's baseline; ``rank`` orders VOR across positions.
The loops here run over (period, position) blocks, never over players.
"""

from __future__ import annotations

import numpy as np

DEFAULT_VOR_BASELINE = {"QB": 13, "RB": 35, "WR": 36, "TE": 13, "K": 8, "DST": 3, "DL": 10, "LB": 10, "DB": 10}
DEFAULT_TIER_THRESHOLD = {"QB": 1.0, "RB": 1.0, "WR": 1.0, "TE": 1.0, "K": 1.0, "DST": 0.1, "DL": 1.0,
                          "DB": 1.0, "LB": 1.0}


def dense_rank_desc(values: np.ndarray) -> np.ndarray:
    """R's ``dense_rank(-x)``: 1 for the largest value, ties share a rank, NaN stays NaN."""
    out = np.full(values.shape, np.nan)
    ok = np.flatnonzero(~np.isnan(values))
    if ok.size:
        order = ok[np.argsort(-values[ok], kind="stable")]
        out[order] = _dense_from_sorted(values[order])
    return out


def _dense_from_sorted(sorted_vals: np.ndarray) -> np.ndarray:
    """Dense ranks 1.. of an already sorted array (a new rank wherever the value changes)."""
    if sorted_vals.size == 0:
        return np.empty(0)
    change = np.empty(sorted_vals.size, dtype=bool)
    change[0] = True
    np.not_equal(sorted_vals[1:], sorted_vals[:-1], out=change[1:])
    return np.cumsum(change).astype(float)


def tiers_and_vor(points: np.ndarray, sd_pts: np.ndarray, floor: np.ndarray, ceiling: np.ndarray,
                  block: np.ndarray, block_pos: list[str], period: np.ndarray, tie_key: np.ndarray,
                  vor_baseline: dict[str, int], tier_threshold: dict[str, float]) -> dict[str, np.ndarray]:
    """Per-player columns, plus ``keep``: the indices of players with a consensus, in output order."""
    keep_mask = np.isfinite(points) & (points > 0)
    n = points.size
    res = {k: np.full(n, np.nan) for k in ("dropoff", "tier", "pos_rank", "points_vor", "floor_vor",
                                           "ceiling_vor", "rank", "floor_rank", "ceiling_rank")}
    kept = np.flatnonzero(keep_mask)
    # ascending by points, ties by id (dplyr's group order), blocks contiguous
    asc_all = kept[np.lexsort((tie_key[kept], points[kept], block[kept]))]
    bounds = np.flatnonzero(np.diff(block[asc_all])) + 1
    order_all = []
    for asc in np.split(asc_all, bounds):
        if asc.size == 0:
            continue
        pos = block_pos[block[asc[0]]]
        drop_asc = np.diff(points[asc], prepend=points[asc][0])
        # stable sort by descending points: ties keep their ascending (id) order
        desc_pos = np.argsort(-points[asc], kind="stable")
        desc = asc[desc_pos]
        drop = drop_asc[desc_pos]
        res["dropoff"][desc] = drop
        sd_block = sd_pts[desc]
        pts_sd = np.median(sd_block[~np.isnan(sd_block)]) if (~np.isnan(sd_block)).any() else np.nan
        scale = pts_sd * tier_threshold.get(pos, np.nan)
        if np.isfinite(scale) and scale > 0:
            raw_tier = 1 + np.trunc((np.cumsum(drop) - drop[0]) / scale)
            res["tier"][desc] = _dense_from_sorted(raw_tier)  # raw tiers never decrease down the list
        pos_rank = _dense_from_sorted(points[desc])
        res["pos_rank"][desc] = pos_rank
        base = vor_baseline.get(pos)
        res["points_vor"][desc] = points[desc] - _reference(points[desc], pos_rank, base)
        for col in ("floor", "ceiling"):
            vals = (floor if col == "floor" else ceiling)[desc]
            res[f"{col}_vor"][desc] = vals - _reference(vals, dense_rank_desc(vals), base)
        order_all.append(desc)
    keep = np.concatenate(order_all) if order_all else np.array([], dtype=np.int64)
    for p in np.unique(period[keep]):
        idx = keep[period[keep] == p]
        for col, src in (("rank", "points_vor"), ("floor_rank", "floor_vor"), ("ceiling_rank", "ceiling_vor")):
            res[col][idx] = dense_rank_desc(res[src][idx])
    res["keep"] = keep
    return res


def _reference(values: np.ndarray, ranks: np.ndarray, baseline: int | None) -> float:
    """The value at the baseline rank; like R's ``which.max``, the first ranked row when none has that rank."""
    if baseline is None:
        return np.nan
    hit = np.flatnonzero(ranks == baseline)
    if hit.size:
        return values[hit[0]]
    ranked = np.flatnonzero(~np.isnan(ranks))  # which.max skips NA
    return values[ranked[0]] if ranked.size else np.nan
