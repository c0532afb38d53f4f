"""Fill a source's missing stats from other sources for the same player (``impute_via_rates_and_mean``).

For every scored column that has gaps, per player: if the column has a rate partner (e.g. rushing TDs per
rushing yard) and no source with a value has a zero partner, a missing value becomes the mean rate across the
sources that have it times this source's partner value; otherwise it becomes the mean of the other sources.
Columns are filled in column order, so a column filled earlier can serve as a partner later, as in R.
"""

from __future__ import annotations

import numpy as np

from ff_analytics.sources.ffanalytics.groups import Groups

# need -> reference column (ffanalytics' impute_fun_list; its second ``rec_tgt`` entry is shadowed there, so
# ``rec`` falls back to the mean, as here).
RATE_PARTNER = {
    "pass_att": "pass_yds", "pass_comp": "pass_yds", "pass_tds": "pass_comp", "pass_int": "pass_att",
    "rush_att": "rush_yds", "rush_tds": "rush_yds", "rec_tgt": "rec", "rec_tds": "rec_yds",
    "xp_att": "xp", "fg_att": "fg", "fg_0019": "fg", "fg_2029": "fg", "fg_3039": "fg", "fg_4049": "fg",
    "fg_50": "fg", "fg_miss": "fg",
}


def impute_missing(columns: dict[str, np.ndarray], order: list[str], groups: Groups, group_pos: np.ndarray,
                   pos_names: list[str], scored: dict[str, set[str]],
                   with_gaps: set[str] | None = None) -> dict[str, int]:
    """Fill gaps in ``columns`` (column -> values per raw row, NaN = missing), visiting them in ``order``.

    A column that gets filled is replaced by a filled copy (the arrays passed in are never written to).
    ``with_gaps`` (optional) names the columns known to have missing values; the others are skipped.
    Returns how many values were filled per column.
    """
    filled: dict[str, int] = {}
    for col in order:
        if col not in columns or (with_gaps is not None and col not in with_gaps):
            continue
        positions = [k for k, p in enumerate(pos_names) if col in scored.get(p, set())]
        if not positions:
            continue
        values = columns[col]
        missing = np.isnan(values)
        if not missing.any():
            continue
        values = values.copy()
        scored_here = np.zeros(len(pos_names), dtype=bool)
        scored_here[positions] = True
        group_ok = scored_here[group_pos]
        if col == "fg_miss" and "fg_att" in columns and "fg" in columns:
            gap = missing & group_ok[groups.row_group]
            values[gap] = columns["fg_att"][gap] - columns["fg"][gap]
        # only players with a gap are touched: a row without one comes out of _fill unchanged
        todo = np.zeros(groups.count, dtype=bool)
        todo[groups.row_group[missing]] = True
        todo &= group_ok
        ref = columns.get(RATE_PARTNER.get(col, ""))
        for bucket in groups.buckets:
            rows = groups.rows(bucket)[todo[bucket.groups]]
            if rows.size:
                values[rows] = _fill(values[rows], ref[rows] if ref is not None else None)
        columns[col] = values
        n_filled = int(np.count_nonzero(missing)) - int(np.count_nonzero(np.isnan(values)))
        if n_filled:
            filled[col] = n_filled
    return filled


def _fill(need: np.ndarray, ref: np.ndarray | None) -> np.ndarray:
    """One bucket (players x sources): rate-based fill where possible, else the mean of the other sources."""
    missing = np.isnan(need)
    have = (~missing).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean_fill = np.nansum(need, axis=1) / have
        fill = np.broadcast_to(mean_fill[:, None], need.shape)
        if ref is not None:
            zero_ref = ((ref == 0) & ~missing).any(axis=1)
            ratio = need / ref
            rate = np.nansum(np.where(missing, np.nan, ratio), axis=1) / have
            fill = np.where(zero_ref[:, None], fill, rate[:, None] * ref)
    return np.where(missing & (have > 0)[:, None], fill, need)
