"""Fill a source's missing stats from other sources for the same player (``impute_via_rates_and_mean``).

For every priced column that has gaps, for every position, per player: if the column has a rate partner (e.g.
rushing TDs per rushing yard) and no source with a value has a zero partner, a missing value becomes the rate
(sum of value / partner over the sources with a value, divided by how many have one, as R computes it) times
this source's partner value; otherwise it becomes the mean of the sources with a value.
Columns are filled in column order, so a column filled earlier can serve as a partner later, as in R.

Kickers first get ffanalytics' pre-imputation (:func:`kicker_totals`): a missing FG total is rebuilt from the
distance buckets, so a source that publishes only the buckets (RTSports) still carries the total that the
buckets of other sources are imputed from.
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
# ffanalytics' kicker pre-imputation: the FG total is the sum of these (whichever a table has) where missing
FG_BUCKETS = ("fg_0019", "fg_2029", "fg_3039", "fg_4049", "fg_50", "fg_0039")
FG_MISS_BUCKETS = ("fg_miss_0019", "fg_miss_2029", "fg_miss_3039", "fg_miss_4049", "fg_miss_50")


def kicker_totals(columns: dict[str, np.ndarray], kicker_rows: np.ndarray) -> dict[str, int]:
    """Rebuild kickers' FG totals as ffanalytics does before imputing; returns how many values were set.

    ``fg``: where a kicker row has none, the sum of its distance buckets (missing buckets count 0, so a row
    without any bucket gets 0, as R's ``rowSums(na.rm = TRUE)`` gives). ``fg_miss``: when no kicker row has
    one but every missed-by-distance column has values, the sum of those. Arrays are replaced, never written.
    """
    rebuilt: dict[str, int] = {}
    if kicker_rows.size == 0:
        return rebuilt
    fg = columns.get("fg")
    if fg is not None:
        gap = kicker_rows[np.isnan(fg[kicker_rows])]
        if gap.size:
            fg = fg.copy()
            fg[gap] = _row_sums([columns[c] for c in FG_BUCKETS if c in columns], gap)
            columns["fg"] = fg
            rebuilt["fg"] = int(gap.size)
    miss = columns.get("fg_miss")
    has_miss = miss is not None and not np.isnan(miss[kicker_rows]).all()
    if not has_miss and all(c in columns and not np.isnan(columns[c][kicker_rows]).all() for c in FG_MISS_BUCKETS):
        miss = np.full(next(iter(columns.values())).size, np.nan) if miss is None else miss.copy()
        miss[kicker_rows] = _row_sums([columns[c] for c in FG_MISS_BUCKETS], kicker_rows)
        columns["fg_miss"] = miss
        rebuilt["fg_miss"] = int(kicker_rows.size)
    return rebuilt


def _row_sums(arrays: list[np.ndarray], rows: np.ndarray) -> np.ndarray:
    """Sum of the given columns at ``rows``, missing values counting 0."""
    total = np.zeros(rows.size)
    for values in arrays:
        total += np.nan_to_num(values[rows], nan=0.0)
    return total


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
        missing = np.isnan(columns[col])
        if not missing.any():
            continue
        values = columns[col].copy()
        scored_here = np.zeros(len(pos_names), dtype=bool)
        scored_here[positions] = True
        row_ok = scored_here[group_pos][groups.row_group]
        if col == "fg_miss" and "fg_att" in columns and "fg" in columns:
            gap = missing & row_ok
            values[gap] = columns["fg_att"][gap] - columns["fg"][gap]
        n_missing = int(np.count_nonzero(missing))
        _fill(values, columns.get(RATE_PARTNER.get(col, "")), groups, row_ok)
        columns[col] = values
        n_filled = n_missing - int(np.count_nonzero(np.isnan(values)))
        if n_filled:
            filled[col] = n_filled
    return filled


def _fill(values: np.ndarray, ref: np.ndarray | None, groups: Groups, row_ok: np.ndarray) -> None:
    """Fill ``values`` in place where missing (and ``row_ok``), per player, as ffanalytics' ``derive_from_rate``:
    with no partner, or when a source with a value has a zero partner, the mean of the values present; else
    (sum of value / partner over the rows with a value) / (number of rows with a value) x this row's partner.
    A row with a value but no partner adds nothing to the sum and still counts, as in R. Every sum is one
    ``bincount`` over all rows (row order within a player, as R sums)."""
    missing = np.isnan(values)
    present = ~missing
    group, n = groups.row_group, groups.count
    have = np.bincount(group, weights=present, minlength=n)
    target = np.flatnonzero(missing & row_ok & (have > 0)[group])
    if target.size == 0:
        return
    g = group[target]
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.bincount(group, weights=np.where(present, values, 0.0), minlength=n) / have
        if ref is None:
            values[target] = mean[g]
            return
        zero_ref = np.bincount(group, weights=present & (ref == 0), minlength=n) > 0
        ratio = values / ref
        rate = np.bincount(group, weights=np.where(present & np.isfinite(ratio), ratio, 0.0), minlength=n) / have
        values[target] = np.where(zero_ref[g], mean[g], rate[g] * ref[target])
