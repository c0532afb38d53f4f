"""Row-wise statistics on dense matrices: one row per player, one column per source, values sorted ascending.

ffanalytics computes each statistic player by player in R. Here every player with the same number of sources
sits in one matrix, so each statistic is a handful of NumPy operations over all of them at once. The 1-D
helpers at the bottom (``quantile7``, ``mad``, ...) run the same matrix code on one row; tests and the R
cross-check use them.

Conventions follow the R functions ffanalytics calls: ``quantile(type = 7)``, ``sd`` (n - 1), ``mad``
(constant 1.4826, NA for fewer than two values), ``wilcox.loc`` (Hodges-Lehmann; plain mean for n <= 2),
``weighted.mean``, ``weighted.sd`` (reliability weights) and ``whdquantile`` (weighted Harrell-Davis with
Kish's effective sample size). Weights <= 0 are dropped by the weighted spread and quantile, as in R.
"""

from __future__ import annotations

import numpy as np
from scipy.special import betainc

MAD_CONSTANT = 1.4826
# Above this many distinct sources the bit-mask dedupe of Harrell-Davis evaluations is skipped.
_MAX_MASK_SOURCES = 20
_LOOKUP_TABLE_BITS = 22


def _nan(n_rows: int) -> np.ndarray:
    return np.full(n_rows, np.nan)


def row_median(sorted_x: np.ndarray) -> np.ndarray:
    """Median of each row of an ascending-sorted matrix (mean of the two middle values when even)."""
    n = sorted_x.shape[1]
    if n == 0:
        return _nan(sorted_x.shape[0])
    half = n // 2
    if n % 2:
        return sorted_x[:, half].copy()
    return (sorted_x[:, half - 1] + sorted_x[:, half]) / 2.0


def mean(x: np.ndarray) -> np.ndarray:
    return x.mean(axis=1) if x.shape[1] else _nan(x.shape[0])


def sd(x: np.ndarray) -> np.ndarray:
    """Sample standard deviation (n - 1); NaN for a single value, like R's ``sd``."""
    if x.shape[1] < 2:
        return _nan(x.shape[0])
    return x.std(axis=1, ddof=1)


def quantile7(sorted_x: np.ndarray, p: float) -> np.ndarray:
    """R's ``quantile(type = 7)`` per row: interpolate between order statistics at 1 + (n - 1) p."""
    n = sorted_x.shape[1]
    if n == 0:
        return _nan(sorted_x.shape[0])
    index = (n - 1) * p  # 0-based
    lo = int(np.floor(index))
    hi = int(np.ceil(index))
    h = index - lo
    q_lo = sorted_x[:, lo]
    if hi == lo or h == 0:
        return q_lo.copy()
    q_hi = sorted_x[:, hi]
    # R: (1 - h) * x[lo] + h * x[hi], only where x[hi] != x[lo]
    return np.where(q_hi != q_lo, (1.0 - h) * q_lo + h * q_hi, q_lo)


def mad(sorted_x: np.ndarray) -> np.ndarray:
    """Median absolute deviation x 1.4826; NaN for fewer than two values (ffanalytics ``mad2``)."""
    if sorted_x.shape[1] < 2:
        return _nan(sorted_x.shape[0])
    center = row_median(sorted_x)
    dev = np.sort(np.abs(sorted_x - center[:, None]), axis=1)
    return MAD_CONSTANT * row_median(dev)


def hodges_lehmann(sorted_x: np.ndarray) -> np.ndarray:
    """Median of all pairwise means including each value with itself; the plain mean when n <= 2.

    Works on the transposed matrix (one row per source position), so building the n(n+1)/2 pairwise means is
    a few whole-row additions and the selection runs down contiguous columns.
    """
    rows, n = sorted_x.shape
    if n <= 2:
        return mean(sorted_x)
    xt = np.ascontiguousarray(sorted_x.T)
    m = n * (n + 1) // 2
    pairs = np.empty((m, rows))
    pairs[:n] = xt
    at = n
    for a in range(n - 1):  # value a with every later value: whole-row additions, no fancy indexing
        np.add(xt[a], xt[a + 1:], out=pairs[at:at + n - 1 - a])
        at += n - 1 - a
    pairs[n:] *= 0.5
    lo, hi = (m - 1) // 2, m // 2
    pairs.partition(sorted({lo, hi}), axis=0)  # in place: a second large temporary costs more than the work
    return (pairs[lo] + pairs[hi]) / 2.0


def weighted_mean(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    """sum(w x) / sum(w); NaN when all weights are zero (R gives NaN too)."""
    if x.shape[1] == 0:
        return _nan(x.shape[0])
    sw = w.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return (x * w).sum(axis=1) / sw


def weighted_sd(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Reliability-weighted sd over the positive weights: sqrt(V1 / (V1^2 - V2) * sum(w (x - m)^2))."""
    wp = np.where(w > 0, w, 0.0)
    n_pos = (wp > 0).sum(axis=1)
    sw = wp.sum(axis=1)
    sw2 = (wp * wp).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        m = (x * wp).sum(axis=1) / sw
        ss = (wp * (x - m[:, None]) ** 2).sum(axis=1)
        out = np.sqrt((sw / (sw * sw - sw2)) * ss)
    return np.where(n_pos > 1, out, np.nan)


def harrell_davis(sorted_x: np.ndarray, w: np.ndarray, probs: tuple[float, ...],
                  bits: np.ndarray | None = None) -> list[np.ndarray]:
    """Weighted Harrell-Davis quantiles (Akinshin 2023) with Kish's effective n, per row.

    Each value gets the Beta((n*+1)p, (n*+1)(1-p)) probability of its slice of the weighted empirical CDF.
    Zero-weight values own an empty slice, so they drop out without compacting the rows.

    ``bits`` (optional, int64 like ``w``) holds ``1 << source_index`` per cell. The CDF points of a row are
    then fully described by (set of sources present, set of sources below the point), so the costly
    incomplete-beta evaluations are made once per distinct pair instead of once per cell.
    """
    rows, n = sorted_x.shape
    if n < 2:
        return [_nan(rows) for _ in probs]
    wp = np.where(w > 0, w, 0.0)
    n_pos = (wp > 0).sum(axis=1)
    cum = np.cumsum(wp, axis=1)
    sw = cum[:, -1]  # the same sum the CDF is built from, so trailing zero weights land exactly on 1
    with np.errstate(invalid="ignore", divide="ignore"):
        n_eff = sw * sw / (wp * wp).sum(axis=1)
        inner = cum[:, :-1] / sw[:, None]  # CDF points strictly inside (0, 1)
    np.clip(inner, 0.0, 1.0, out=inner)
    rep, inverse = _distinct_points(bits, wp) if bits is not None else (None, None)
    row_of = np.repeat(np.arange(rows), n - 1)
    out = []
    for p in probs:
        a = (n_eff + 1.0) * p
        b = (n_eff + 1.0) * (1.0 - p)
        with np.errstate(invalid="ignore"):
            if rep is None:
                beta = betainc(a[row_of], b[row_of], inner.ravel()).reshape(rows, n - 1)
            else:
                beta = betainc(a[row_of[rep]], b[row_of[rep]], inner.ravel()[rep])[inverse].reshape(rows, n - 1)
        # mass of slice k = I(c_k) - I(c_{k-1}) with I(0) = 0 and I(1) = 1
        q = sorted_x[:, 0] * beta[:, 0] + sorted_x[:, -1] * (1.0 - beta[:, -1])
        if n > 2:
            q = q + (sorted_x[:, 1:-1] * np.diff(beta, axis=1)).sum(axis=1)
        out.append(np.where(n_pos > 1, q, np.nan))
    return out


def _distinct_points(bits: np.ndarray, wp: np.ndarray) -> tuple[np.ndarray | None, np.ndarray | None]:
    """Index of one representative per distinct (sources present, sources below) pair, and the inverse map."""
    live = np.where(wp > 0, bits, 0)
    width = int(live.max()).bit_length() if live.size else 0
    if width == 0 or width > _MAX_MASK_SOURCES:
        return None, None
    prefix = np.cumsum(live[:, :-1], axis=1)  # distinct bits, so the running sum is the running OR
    full = live.sum(axis=1)
    full_values, full_id = np.unique(full, return_inverse=True)
    keys = ((full_id.astype(np.int64) << width)[:, None] | prefix).ravel()
    top = full_values.size << width
    if top <= (1 << _LOOKUP_TABLE_BITS):
        seen = np.zeros(top, dtype=bool)
        seen[keys] = True
        uniq = np.flatnonzero(seen)
        lookup = np.empty(top, dtype=np.int64)
        lookup[uniq] = np.arange(uniq.size)
        inverse = lookup[keys]
    else:
        uniq, inverse = np.unique(keys, return_inverse=True)
    rep = np.empty(uniq.size, dtype=np.int64)
    rep[inverse] = np.arange(keys.size)
    return rep, inverse


# -- one-row conveniences (tests, the R cross-check, ad-hoc use) --------------------------------------------
def _row(values) -> np.ndarray:
    arr = np.asarray(values, dtype=float)
    arr = arr[~np.isnan(arr)]
    return np.sort(arr)[None, :]


def quantile7_1d(values, p: float) -> float:
    return float(quantile7(_row(values), p)[0])


def mad_1d(values) -> float:
    return float(mad(_row(values))[0])


def hodges_lehmann_1d(values) -> float:
    return float(hodges_lehmann(_row(values))[0])


def _weighted_rows(values, weights) -> tuple[np.ndarray, np.ndarray]:
    x = np.asarray(values, dtype=float)
    w = np.asarray(weights, dtype=float)
    keep = ~np.isnan(x)
    x, w = x[keep], w[keep]
    order = np.argsort(x, kind="stable")
    return x[order][None, :], w[order][None, :]


def weighted_mean_1d(values, weights) -> float:
    x, w = _weighted_rows(values, weights)
    return float(weighted_mean(x, w)[0])


def weighted_sd_1d(values, weights) -> float:
    x, w = _weighted_rows(values, weights)
    return float(weighted_sd(x, w)[0])


def harrell_davis_1d(values, weights, probs: tuple[float, ...] = (0.05, 0.95)) -> list[float]:
    x, w = _weighted_rows(values, weights)
    return [float(q[0]) for q in harrell_davis(x, w, probs)]
