"""Run R's own statistics on the same numbers our port sees (used by test_ffanalytics_r_crosscheck.py).

The R side uses base R for ``quantile(type = 7)``, ``sd``, ``mad``, ``mean``, ``median``, ``weighted.mean``
and ``pbeta``; the Hodges-Lehmann location, reliability-weighted sd and weighted Harrell-Davis quantile are
written here in R from their definitions (as ffanalytics defines them), independently of the Python code.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import polars as pl

R_SCRIPT = r"""
args <- commandArgs(trailingOnly = TRUE)
d <- utils::read.csv(args[[1]], stringsAsFactors = FALSE)
hl <- function(x) {
  if (length(x) <= 2L) return(mean(x))
  m <- outer(x, x, "+") / 2
  median(m[upper.tri(m, diag = TRUE)])
}
mad2 <- function(x) if (length(x) < 2L) NA_real_ else mad(x, constant = 1.4826)
wsd <- function(x, w) {
  keep <- w > 0
  x <- x[keep]; w <- w[keep]
  if (length(x) <= 1L) return(NA_real_)
  v1 <- sum(w); v2 <- sum(w^2); m <- sum(w * x) / v1
  sqrt(v1 / (v1^2 - v2) * sum(w * (x - m)^2))
}
# pin_end = TRUE: the CDF's last point is exactly 1. ffanalytics' whdquantile uses cumsum(w / sum(w)), which
# can round to 0.99999999999999989; with a small second beta parameter (p = .95) pbeta there is visibly < 1,
# so some probability mass is lost. pin_end = FALSE reproduces that, to measure the difference.
whd <- function(x, w, p, pin_end = TRUE) {
  keep <- w > 0
  x <- x[keep]; w <- w[keep]
  if (length(x) <= 1L) return(NA_real_)
  n <- sum(w)^2 / sum(w^2)
  o <- order(x); x <- x[o]; w <- w[o] / sum(w)
  probs <- cumsum(c(0, w))
  if (pin_end) probs[length(probs)] <- 1
  cdf <- pbeta(probs, (n + 1) * p, (n + 1) * (1 - p))
  sum(diff(cdf) * x)
}
out <- do.call(rbind, lapply(split(d, d$grp), function(g) {
  x <- g$x; w <- g$w
  q <- quantile(x, c(0.05, 0.95), type = 7, names = FALSE)
  data.frame(grp = g$grp[1], mean = mean(x), sd = if (length(x) > 1) sd(x) else NA_real_,
             q05 = q[1], q95 = q[2], mad = mad2(x), hl = hl(x), wmean = weighted.mean(x, w),
             wsd = wsd(x, w), whd05 = whd(x, w, 0.05), whd95 = whd(x, w, 0.95),
             whd95_ffa = whd(x, w, 0.95, pin_end = FALSE))
}))
utils::write.csv(out, args[[2]], row.names = FALSE, na = "NA")
"""


def rscript() -> str | None:
    return shutil.which("Rscript")


def r_statistics(groups: pl.DataFrame, workdir: Path) -> pl.DataFrame:
    """``groups`` has columns grp, x, w; returns one row per grp with R's statistics (NA as null)."""
    data, script, out = workdir / "in.csv", workdir / "stats.R", workdir / "out.csv"
    groups.select("grp", "x", "w").write_csv(data, float_precision=17)
    script.write_text(R_SCRIPT, encoding="utf-8")
    proc = subprocess.run([rscript() or "Rscript", "--vanilla", str(script), str(data), str(out)],
                          capture_output=True, text=True, timeout=120)
    if proc.returncode != 0:
        raise RuntimeError(f"Rscript failed: {proc.stderr[-1000:]}")
    return pl.read_csv(out, null_values=["NA"], infer_schema_length=None)
