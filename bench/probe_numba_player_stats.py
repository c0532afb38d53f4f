"""Probe (not a benchmark with a target): would compiled Numba kernels get the consensus under issue #5's 2x?

The consensus's per-player statistics are NumPy passes over all players at once. The one route left to a lower
ratio is compiled kernels, a new dependency the project does not take; this script measures what one would buy
and cost, so the decision rests on numbers. It times a Numba kernel that does, per player, what
``_sort_bucket`` plus the average, robust and weighted mean/sd statistics do in NumPy (stable sort, mean, sd,
type-7 quantiles, Hodges-Lehmann over the same candidate pairs, MAD, weighted mean and sd), serially and split
over two threads, against the project's NumPy code on the bench's 50,000 rows. It checks the kernel's numbers
against NumPy's, and prints what the kernel costs every process: importing Numba, compiling (first use, fresh
cache) and loading the cached kernel (a second process).

Run: ``uv run --with numba==0.68.1 python bench/probe_numba_player_stats.py`` (Numba is not a dependency).
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

OWN_CACHE = None
if "NUMBA_CACHE_DIR" not in os.environ:  # a fresh cache, so the first use in this run compiles
    OWN_CACHE = os.environ["NUMBA_CACHE_DIR"] = tempfile.mkdtemp(prefix="ffa-numba-probe-")
_start = time.perf_counter()
from numba import njit, prange  # noqa: E402

IMPORT_S = time.perf_counter() - _start
sys.path.insert(0, str(Path(__file__).parent))
from bench_consensus import synthetic_raw  # noqa: E402

from ff_analytics.sources.ffanalytics import aggregate, stats  # noqa: E402
from ff_analytics.sources.ffanalytics.groups import group_rows  # noqa: E402

STAT_NAMES = ("mean", "sd", "q05", "q95", "hodges_lehmann", "mad", "weighted_mean", "weighted_sd")


@njit(cache=True, nogil=True)
def insertion_sort(x, idx, n):
    """Stable sort of a player's n values, moving their row numbers along (as ``argsort(kind="stable")``)."""
    for i in range(1, n):
        v, k, j = x[i], idx[i], i - 1
        while j >= 0 and x[j] > v:
            x[j + 1], idx[j + 1] = x[j], idx[j]
            j -= 1
        x[j + 1], idx[j + 1] = v, k


@njit(cache=True, nogil=True)
def sort_values(x, n):
    """Sort the first n values in place; insertion sort beats a general sort on a few dozen values."""
    for i in range(1, n):
        v, j = x[i], i - 1
        while j >= 0 and x[j] > v:
            x[j + 1] = x[j]
            j -= 1
        x[j + 1] = v


@njit(cache=True, nogil=True)
def quantile7(x, n, p):
    """R's quantile(type = 7) of n sorted values, as ``stats.Columns.quantile7``."""
    index = (n - 1) * p
    lo, hi = int(np.floor(index)), int(np.ceil(index))
    h = index - lo
    if hi == lo or h == 0 or x[hi] == x[lo]:
        return x[lo]
    return (1.0 - h) * x[lo] + h * x[hi]


@njit(cache=True, nogil=True)
def chunk(points, flat, starts, sizes, pair_code, pair_weight, cand_a, cand_b, cand_n, cand_lo, cand_hi, out):
    """Every statistic of STAT_NAMES for a run of players, one player at a time (rows in ``flat``)."""
    nmax = sizes.max()
    x, idx = np.empty(nmax), np.empty(nmax, np.int64)
    pairs, dev = np.empty(cand_a.shape[1]), np.empty(nmax)
    for g in range(sizes.size):
        n, s = sizes[g], starts[g]
        for i in range(n):
            idx[i] = flat[s + i]
            x[i] = points[idx[i]]
        insertion_sort(x, idx, n)
        total = 0.0
        for i in range(n):
            total += x[i]
        mu = total / n
        ss = 0.0
        for i in range(n):
            ss += (x[i] - mu) ** 2
        out[g, 0], out[g, 1] = mu, np.sqrt(ss / (n - 1)) if n > 1 else np.nan
        out[g, 2], out[g, 3] = quantile7(x, n, 0.05), quantile7(x, n, 0.95)
        if n <= 2:
            out[g, 4] = mu
        else:  # the pairwise means that can be the median, as stats.hodges_lehmann keeps them
            k = cand_n[n]
            for c in range(k):
                pairs[c] = (x[cand_a[n, c]] + x[cand_b[n, c]]) * 0.5
            sort_values(pairs, k)
            out[g, 4] = (pairs[cand_lo[n]] + pairs[cand_hi[n]]) / 2.0
        if n >= 2:
            half = n // 2
            med = x[half] if n % 2 else (x[half - 1] + x[half]) / 2.0
            for i in range(n):
                dev[i] = abs(x[i] - med)
            sort_values(dev, n)
            out[g, 5] = 1.4826 * (dev[half] if n % 2 else (dev[half - 1] + dev[half]) / 2.0)
        else:
            out[g, 5] = np.nan
        sw = sxw = swp = sxwp = sw2 = 0.0
        n_pos = 0
        for i in range(n):
            w = pair_weight[pair_code[idx[i]]]
            sw += w
            sxw += w * x[i]
            if w > 0:
                swp += w
                sxwp += w * x[i]
                sw2 += w * w
                n_pos += 1
        out[g, 6] = sxw / sw if sw != 0 else np.nan
        out[g, 7] = np.nan
        if n_pos > 1:
            mw, acc = sxwp / swp, 0.0
            for i in range(n):
                w = pair_weight[pair_code[idx[i]]]
                if w > 0:
                    acc += w * (x[i] - mw) ** 2
            out[g, 7] = np.sqrt(swp / (swp * swp - sw2) * acc)


@njit(cache=True, parallel=True)
def two_threads(points, flat, starts, sizes, pair_code, pair_weight, cand_a, cand_b, cand_n, cand_lo,
                cand_hi, out):
    """The players split in two halves, one thread each (the machine has two cores)."""
    half = (sizes.size + 1) // 2
    for c in prange(2):
        lo, hi = c * half, min(sizes.size, (c + 1) * half)
        chunk(points, flat, starts[lo:hi], sizes[lo:hi], pair_code, pair_weight, cand_a, cand_b, cand_n,
              cand_lo, cand_hi, out[lo:hi])


def candidate_tables(max_n: int) -> tuple[np.ndarray, ...]:
    """stats._median_pair_candidates for every n up to max_n, padded into arrays the kernel can index."""
    found = {n: stats._median_pair_candidates(n) for n in range(3, max_n + 1)}
    width = max((len(f[0]) for f in found.values()), default=1)
    cand_a, cand_b = np.zeros((max_n + 1, width), np.int64), np.zeros((max_n + 1, width), np.int64)
    cand_n, cand_lo, cand_hi = (np.zeros(max_n + 1, np.int64) for _ in range(3))
    for n, (a, b, lo, hi) in found.items():
        cand_a[n, :a.size], cand_b[n, :b.size] = a, b
        cand_n[n], cand_lo[n], cand_hi[n] = a.size, lo, hi
    return cand_a, cand_b, cand_n, cand_lo, cand_hi


def median_ms(fn, repeats: int = 40) -> float:
    fn()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> int:
    raw = synthetic_raw(5000, 10)
    groups = group_rows(raw)
    rng = np.random.default_rng(1)
    points = np.round(rng.gamma(4.0, 3.0, raw.height), 2)
    pair_code = rng.integers(0, 10, raw.height)
    pair_weight = np.linspace(0.08, 0.17, 10)
    starts = np.cumsum(groups.sizes) - groups.sizes
    args = (points, groups.flat, starts, groups.sizes.astype(np.int64), pair_code, pair_weight,
            *candidate_tables(int(groups.sizes.max())))

    def numpy_stats() -> np.ndarray:
        out = np.empty((groups.count, len(STAT_NAMES)))
        for bucket, cols in (aggregate._sort_bucket(b, groups, points, pair_code, pair_weight)
                             for b in groups.buckets):
            g = bucket.groups
            out[g, 0], out[g, 1] = cols.mean_sd()
            out[g, 2], out[g, 3] = cols.quantile7(0.05), cols.quantile7(0.95)
            out[g, 4], out[g, 5] = cols.hodges_lehmann(), cols.mad()
            out[g, 6], out[g, 7] = cols.weighted_mean(), cols.weighted_sd()
        return out

    start = time.perf_counter()
    out = np.empty((groups.count, len(STAT_NAMES)))
    two_threads(*args, out)
    first_s = time.perf_counter() - start
    if "--load-only" in sys.argv:
        print(f"{IMPORT_S:.3f} {first_s:.3f}")
        return 0
    expected = numpy_stats()
    for i, name in enumerate(STAT_NAMES):
        if not np.allclose(out[:, i], expected[:, i], rtol=1e-12, atol=1e-12, equal_nan=True):
            print(f"kernel and NumPy disagree on {name}")
            return 1
    warm = subprocess.run([sys.executable, __file__, "--load-only"], capture_output=True, text=True, check=True,
                          env=os.environ).stdout.split()
    np_ms = median_ms(numpy_stats)
    serial_ms = median_ms(lambda: chunk(*args, out))
    parallel_ms = median_ms(lambda: two_threads(*args, out))
    print(f"players: {groups.count:,}, rows: {raw.height:,}; kernel results match NumPy (rtol 1e-12)")
    print(f"NumPy (_sort_bucket + average, robust, weighted mean/sd): {np_ms:6.2f} ms")
    print(f"Numba kernel, one thread:                                 {serial_ms:6.2f} ms")
    print(f"Numba kernel, two threads:                                {parallel_ms:6.2f} ms "
          f"(saves {np_ms - parallel_ms:.2f} ms)")
    print(f"per process: import numba {IMPORT_S:.2f} s; first use with an empty cache (compile) {first_s:.2f} s; "
          f"in a second process: import {float(warm[0]):.2f} s, load the cached kernels {float(warm[1]):.2f} s")
    return 0


if __name__ == "__main__":
    try:
        code = main()
    finally:
        if OWN_CACHE:
            shutil.rmtree(OWN_CACHE, ignore_errors=True)
    sys.exit(code)
