"""Per-player statistics on dense matrices: one column per player, one row per source, sorted down each column.

ffanalytics computes each statistic player by player in R. Here every player with the same number of sources
sits in one matrix, so each statistic is a handful of NumPy operations over all of them at once. Players are
columns (:class:`Columns`) because NumPy is fast at whole-row operations and slow at many short per-row
reductions: summing ten values per player for 5,000 players is ten vector additions this way.

Sums down the columns follow the order NumPy uses to sum a short row (:func:`column_sums`), so every result has
the same bits as the row-wise NumPy expression (``x.sum(axis=1)``, ``x.std(axis=1, ddof=1)``, ...). The
row-layout functions (``quantile7``, ``mad``, ``harrell_davis``, ...; one row per player) and the 1-D helpers at
the bottom wrap :class:`Columns`; tests and the R cross-check use them.

Conventions follow the R functions ffanalytics calls: ``quantile(type = 7)``, ``sd`` (n - 1), ``mad``
(constant 1.4826, NA for fewer than two values), ``wilcox.loc`` (Hodges-Lehmann; plain mean for n <= 2),
``weighted.mean``, ``weighted.sd`` (reliability weights) and ``whdquantile`` (weighted Harrell-Davis with
Kish's effective sample size). Weights <= 0 are dropped by the weighted spread and quantile, as in R.
"""

from __future__ import annotations

import functools

import numpy as np
from scipy.special import betainc

MAD_CONSTANT = 1.4826
# Above this many distinct sources the bit-mask dedupe of Harrell-Davis evaluations is skipped.
_MAX_MASK_SOURCES = 20
_LOOKUP_TABLE_BITS = 22
# NumPy sums a contiguous run of up to 128 values with eight running partial sums (pairwise summation).
_PAIRWISE_LANES = 8
_PAIRWISE_BLOCK = 128


def _nan(n: int) -> np.ndarray:
    return np.full(n, np.nan)


def column_sums(m: np.ndarray) -> np.ndarray:
    """Sum down each column in the order NumPy sums a short row, so the bits equal ``m.T.sum(axis=1)``.

    NumPy adds fewer than eight values one by one from 0; more (up to 128) go into eight running partial sums
    (values i, i + 8, ... in lane i % 8), combined as ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7)), then
    the last n % 8 values are added one by one. Here each of those steps adds whole rows.
    """
    n, cols = m.shape
    if n > _PAIRWISE_BLOCK:
        return np.ascontiguousarray(m.T).sum(axis=1)
    out = np.zeros(cols)
    if n < _PAIRWISE_LANES:
        for row in m:
            out += row
        return out
    tail = n - n % _PAIRWISE_LANES
    lanes = m[:_PAIRWISE_LANES].copy()
    for start in range(_PAIRWISE_LANES, tail, _PAIRWISE_LANES):
        lanes += m[start:start + _PAIRWISE_LANES]
    total = ((lanes[0] + lanes[1]) + (lanes[2] + lanes[3])) + ((lanes[4] + lanes[5]) + (lanes[6] + lanes[7]))
    for row in m[tail:]:
        total += row
    out += total
    return out


def column_cumsum(m: np.ndarray) -> np.ndarray:
    """Running sums down each column, one whole-row addition per row (``np.cumsum(m, axis=0)`` walks the
    columns one by one, which is several times slower for short columns); same values, same order."""
    out = np.empty_like(m)
    if m.shape[0]:
        out[0] = m[0]
    for i in range(1, m.shape[0]):
        np.add(out[i - 1], m[i], out=out[i])
    return out


class Columns:
    """One bucket of players as columns: ``x`` is (sources x players), each column sorted ascending; ``w``
    (optional) the matching weights; ``bits`` (optional, int64) ``1 << source_index`` per cell, which lets
    Harrell-Davis reuse beta evaluations. Statistics come back as one value per player (column)."""

    def __init__(self, x: np.ndarray, w: np.ndarray | None = None, bits: np.ndarray | None = None) -> None:
        self.x, self.w, self.bits = x, w, bits
        self.n, self.players = x.shape

    # -- unweighted ------------------------------------------------------------------------------------------
    def median(self) -> np.ndarray:
        """Mean of the two middle values when n is even, like R's ``median``."""
        if self.n == 0:
            return _nan(self.players)
        half = self.n // 2
        if self.n % 2:
            return self.x[half].copy()
        return (self.x[half - 1] + self.x[half]) / 2.0

    def mean_sd(self) -> tuple[np.ndarray, np.ndarray]:
        """Mean and sample sd (n - 1; NaN for one value), as ``x.mean(axis=1)`` and ``x.std(axis=1, ddof=1)``
        compute them: sum / n, then the squared deviations from that mean, summed, / (n - 1)."""
        if self.n == 0:
            return _nan(self.players), _nan(self.players)
        m = column_sums(self.x) / self.n
        if self.n < 2:
            return m, _nan(self.players)
        dev = self.x - m
        np.multiply(dev, dev, out=dev)
        return m, np.sqrt(column_sums(dev) / (self.n - 1))

    def quantile7(self, p: float) -> np.ndarray:
        """R's ``quantile(type = 7)``: interpolate between order statistics at 1 + (n - 1) p."""
        if self.n == 0:
            return _nan(self.players)
        index = (self.n - 1) * p  # 0-based
        lo, hi = int(np.floor(index)), int(np.ceil(index))
        h = index - lo
        q_lo = self.x[lo]
        if hi == lo or h == 0:
            return q_lo.copy()
        q_hi = self.x[hi]
        # R: (1 - h) * x[lo] + h * x[hi], only where x[hi] != x[lo]
        return np.where(q_hi != q_lo, (1.0 - h) * q_lo + h * q_hi, q_lo)

    def mad(self) -> np.ndarray:
        """Median absolute deviation x 1.4826; NaN for fewer than two values (ffanalytics ``mad2``)."""
        if self.n < 2:
            return _nan(self.players)
        dev = np.abs(self.x - self.median()).T.copy()  # one row per player: sorting along rows is faster
        dev.sort(axis=1)
        return MAD_CONSTANT * Columns(dev.T).median()

    def hodges_lehmann(self) -> np.ndarray:
        """Median of all pairwise means including each value with itself; the plain mean when n <= 2.

        Only the pairwise means that can be the median are built (see :func:`_median_pair_candidates`), each
        as one whole-row addition; the selection then runs along one contiguous row per player.
        """
        if self.n <= 2:
            return self.mean_sd()[0]
        first, second, lo, hi = _median_pair_candidates(self.n)
        pairs = self.x[first] + self.x[second]
        pairs *= 0.5
        by_player = np.ascontiguousarray(pairs.T)  # selecting along contiguous rows is much faster
        by_player.partition(sorted({lo, hi}), axis=1)
        return (by_player[:, lo] + by_player[:, hi]) / 2.0

    # -- weighted --------------------------------------------------------------------------------------------
    @functools.cached_property
    def weight_sum(self) -> np.ndarray:
        return column_sums(self.w)

    @functools.cached_property
    def positive_w(self) -> np.ndarray:
        """The weights with those <= 0 set to 0: what the weighted spread and quantiles use."""
        return np.where(self.w > 0, self.w, 0.0)

    @functools.cached_property
    def n_positive(self) -> np.ndarray:
        return np.count_nonzero(self.positive_w > 0, axis=0)

    @functools.cached_property
    def positive_sum_sq(self) -> np.ndarray:
        return column_sums(self.positive_w * self.positive_w)

    def weighted_mean(self) -> np.ndarray:
        """sum(w x) / sum(w); NaN when all weights are zero (R gives NaN too)."""
        if self.n == 0:
            return _nan(self.players)
        with np.errstate(invalid="ignore", divide="ignore"):
            return column_sums(self.x * self.w) / self.weight_sum

    def weighted_sd(self) -> np.ndarray:
        """Reliability-weighted sd over the positive weights: sqrt(V1 / (V1^2 - V2) * sum(w (x - m)^2))."""
        wp = self.positive_w
        sw = column_sums(wp)
        with np.errstate(invalid="ignore", divide="ignore"):
            m = column_sums(self.x * wp) / sw
            ss = column_sums(wp * (self.x - m) ** 2)
            out = np.sqrt((sw / (sw * sw - self.positive_sum_sq)) * ss)
        return np.where(self.n_positive > 1, out, np.nan)

    def harrell_davis(self, probs: tuple[float, ...]) -> list[np.ndarray]:
        """Weighted Harrell-Davis quantiles (Akinshin 2023) with Kish's effective n, per player.

        Each value gets the Beta((n*+1)p, (n*+1)(1-p)) probability of its slice of the weighted empirical CDF.
        Zero-weight values own an empty slice, so they drop out without compacting the columns.

        With ``bits`` the CDF points of a player are fully described by (set of sources present, set of
        sources below the point), so the costly incomplete-beta evaluations are made once per distinct pair
        instead of once per cell.
        """
        n, players = self.n, self.players
        if n < 2:
            return [_nan(players) for _ in probs]
        cum = column_cumsum(self.positive_w)
        sw = cum[-1]  # the same sum the CDF is built from, so trailing zero weights land exactly on 1
        with np.errstate(invalid="ignore", divide="ignore"):
            n_eff = sw * sw / self.positive_sum_sq
            inner = cum[:-1] / sw  # CDF points strictly inside (0, 1)
        np.clip(inner, 0.0, 1.0, out=inner)
        rep, inverse = _distinct_points(self.bits, self.positive_w) if self.bits is not None else (None, None)
        if rep is None:
            player, at = np.tile(np.arange(players), n - 1), inner.ravel()
        else:  # rep: player-major cell numbers (player * (n - 1) + point), like the row layout's
            player, point = np.divmod(rep, n - 1)
            at = inner[point, player]
        a_plus_b = n_eff[player] + 1.0
        dx = self.x[1:-1] if n > 2 else None
        out = []
        for p in probs:
            with np.errstate(invalid="ignore"):
                beta = betainc(a_plus_b * p, a_plus_b * (1.0 - p), at)
            beta = (beta if inverse is None else beta[inverse]).reshape(n - 1, players)
            # mass of slice k = I(c_k) - I(c_{k-1}) with I(0) = 0 and I(1) = 1
            q = self.x[0] * beta[0] + self.x[-1] * (1.0 - beta[-1])
            if dx is not None:
                q = q + column_sums(dx * np.diff(beta, axis=0))
            out.append(np.where(self.n_positive > 1, q, np.nan))
        return out


@functools.lru_cache(maxsize=64)
def _median_pair_candidates(n: int) -> tuple[np.ndarray, np.ndarray, int, int]:
    """The pairs (i <= j) of sorted positions whose mean can be the median of all n(n+1)/2 pairwise means, and
    the median's (lower, upper) index among just those.

    In sorted data the mean of (i, j) is >= the mean of every pair (i', j') with i' <= i and j' <= j. A pair
    with more than ``hi`` such pairs below it sorts after the median in any order that breaks ties by
    position; one with at least ``m - lo`` pairs above it sorts before. Dropping both kinds leaves the median
    in place, shifted down by the number dropped from below (about 60% of the pairs go at n = 10).
    """
    first, second = np.triu_indices(n)
    m = first.size
    lo, hi = (m - 1) // 2, m // 2
    below = (first + 1) * (second + 1) - first * (first + 1) // 2 - 1
    above = ((n - first) * (n - first + 1) - (second - first) * (second - first + 1)) // 2 - 1
    sorts_before = above >= m - lo
    keep = (below <= hi) & ~sorts_before
    shift = int(sorts_before.sum())
    return first[keep], second[keep], lo - shift, hi - shift


def _distinct_points(bits: np.ndarray, wp: np.ndarray) -> tuple[np.ndarray | None, np.ndarray | None]:
    """One representative per distinct (sources present, sources below) pair, and each cell's pair.

    ``bits`` and ``wp`` are (sources x players). The representative is the last cell of its pair in
    player-major order (player by player, point by point), as in the row layout, so the beta values (and
    their bits) do not depend on the layout. ``inverse`` is in the column layout's order (point-major).
    """
    live = np.where(wp > 0, bits, 0)
    width = int(live.max()).bit_length() if live.size else 0
    if width == 0 or width > _MAX_MASK_SOURCES:
        return None, None
    running = column_cumsum(live)  # distinct bits, so the running sum is the running OR
    prefix, full = running[:-1], running[-1]
    if full.min() == full.max():  # one set of sources for every player: the prefix alone is the key
        keys, top = prefix, 1 << width
    else:
        full_values, full_id = np.unique(full, return_inverse=True)
        keys = (full_id.astype(np.int64) << width) | prefix
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
        inverse = inverse.reshape(keys.shape)
    rep = np.empty(uniq.size, dtype=np.int64)
    rep[inverse.T.ravel()] = np.arange(inverse.size)  # player-major: the last write is the last cell
    return rep, inverse.ravel()


# -- row layout (one row per player), as the tests, the R cross-check and ad-hoc use call them ---------------
def _columns(sorted_x: np.ndarray, w: np.ndarray | None = None, bits: np.ndarray | None = None) -> Columns:
    def t(a: np.ndarray | None) -> np.ndarray | None:
        return None if a is None else np.ascontiguousarray(a.T)

    return Columns(t(sorted_x), t(w), t(bits))


def row_median(sorted_x: np.ndarray) -> np.ndarray:
    """Median of each row of an ascending-sorted matrix (mean of the two middle values when even)."""
    return _columns(sorted_x).median()


def mean(x: np.ndarray) -> np.ndarray:
    return _columns(x).mean_sd()[0]


def sd(x: np.ndarray) -> np.ndarray:
    """Sample standard deviation (n - 1); NaN for a single value, like R's ``sd``."""
    return _columns(x).mean_sd()[1]


def quantile7(sorted_x: np.ndarray, p: float) -> np.ndarray:
    return _columns(sorted_x).quantile7(p)


def mad(sorted_x: np.ndarray) -> np.ndarray:
    return _columns(sorted_x).mad()


def hodges_lehmann(sorted_x: np.ndarray) -> np.ndarray:
    return _columns(sorted_x).hodges_lehmann()


def weighted_mean(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    return _columns(x, w).weighted_mean()


def weighted_sd(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    return _columns(x, w).weighted_sd()


def harrell_davis(sorted_x: np.ndarray, w: np.ndarray, probs: tuple[float, ...],
                  bits: np.ndarray | None = None) -> list[np.ndarray]:
    """Weighted Harrell-Davis quantiles per row; ``bits``: see :meth:`Columns.harrell_davis`."""
    return _columns(sorted_x, w, bits).harrell_davis(probs)


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
