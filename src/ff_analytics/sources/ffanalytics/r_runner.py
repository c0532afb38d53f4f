"""Optional: run the R package ffanalytics to scrape raw projections, for users who have R.

R is never required: the Python port aggregates any raw export. This runner only produces the raw CSV
(``scrape_data``) and says clearly what is missing when R or the package is not installed.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from ff_analytics.errors import SourceError

SOURCE = "ffanalytics"
DATASET = "projections_raw"
INSTALL_HINT = ("install it in R with: install.packages('remotes'); "
                "remotes::install_github('FantasyFootballAnalytics/ffanalytics')")

SCRAPE_SCRIPT = r"""
args <- commandArgs(trailingOnly = TRUE)
out <- args[[1]]
season <- as.integer(args[[2]])
week <- as.integer(args[[3]])
srcs <- strsplit(args[[4]], ",", fixed = TRUE)[[1]]
positions <- strsplit(args[[5]], ",", fixed = TRUE)[[1]]
suppressPackageStartupMessages(library(ffanalytics))
res <- scrape_data(src = srcs, pos = positions, season = season, week = week)
frames <- lapply(names(res), function(p) {
  d <- as.data.frame(res[[p]], stringsAsFactors = FALSE)
  d$pos <- p
  d
})
all <- do.call(dplyr::bind_rows, frames)
all$season <- season
all$week <- week
utils::write.csv(all, out, row.names = FALSE, na = "")
cat(sprintf("wrote %d rows\n", nrow(all)))
"""


@dataclass
class RRunOptions:
    season: int
    week: int
    sources: list[str] = field(default_factory=lambda: ["CBS", "ESPN", "FantasyPros", "FantasySharks", "FFToday",
                                                        "NFL", "NumberFire", "RTSports", "WalterFootball"])
    positions: list[str] = field(default_factory=lambda: ["QB", "RB", "WR", "TE", "K", "DST"])
    rscript: str | None = None
    timeout_seconds: float = 1800.0


def find_rscript(rscript: str | None = None) -> str:
    """Path of Rscript (given, or on PATH); a clear SourceError when R is not installed."""
    found = shutil.which(rscript or "Rscript")
    if not found:
        where = f"at {rscript!r}" if rscript else "on PATH"
        raise SourceError(f"R is not installed (Rscript not found {where}). Install R (e.g. apt-get install "
                          "r-base-core) and the ffanalytics package, or export raw projections and use --raw FILE",
                          source=SOURCE, dataset=DATASET)
    return found


def ffanalytics_version(rscript: str) -> str:
    """The installed ffanalytics version; a clear SourceError when the package is missing."""
    code = ("if (!requireNamespace('ffanalytics', quietly = TRUE)) quit(status = 3); "
            "cat(as.character(utils::packageVersion('ffanalytics')))")
    proc = subprocess.run([rscript, "--vanilla", "-e", code], capture_output=True, text=True, timeout=120)
    if proc.returncode == 3:
        raise SourceError(f"R is installed ({rscript}) but the R package ffanalytics is not; {INSTALL_HINT}",
                          source=SOURCE, dataset=DATASET)
    if proc.returncode != 0:
        raise SourceError(f"Rscript failed while checking for ffanalytics: {proc.stderr.strip()[-500:]}",
                          source=SOURCE, dataset=DATASET)
    return proc.stdout.strip()


def run_r_projections(options: RRunOptions, out_dir: Path) -> tuple[Path, str]:
    """Scrape raw projections with R; returns the CSV path and the ffanalytics version used."""
    rscript = find_rscript(options.rscript)
    version = ffanalytics_version(rscript)
    out_dir.mkdir(parents=True, exist_ok=True)
    script = out_dir / "scrape_ffanalytics.R"
    script.write_text(SCRAPE_SCRIPT, encoding="utf-8")
    out = out_dir / f"projections_raw_{options.season}_w{options.week}.csv"
    cmd = [rscript, "--vanilla", str(script), str(out), str(options.season), str(options.week),
           ",".join(options.sources), ",".join(options.positions)]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=options.timeout_seconds)
    except subprocess.TimeoutExpired:
        raise SourceError(f"ffanalytics scrape timed out after {options.timeout_seconds:.0f} s",
                          source=SOURCE, dataset=DATASET) from None
    if proc.returncode != 0 or not out.exists():
        raise SourceError(f"ffanalytics scrape failed (exit {proc.returncode}): {proc.stderr.strip()[-800:]}",
                          source=SOURCE, dataset=DATASET)
    return out, version
