"""``projections_raw`` + ``projections_consensus`` snapshots from a raw export (or from R, when installed).

Everything is read, checked, aggregated, mapped and sanity-checked before the first ``store.write``; a bad
file, a weights file missing a source or a failed sanity check raises and leaves the store untouched.
"""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path

import polars as pl

from ff_analytics.errors import SourceError
from ff_analytics.snapshots.store import SnapshotStore, WriteResult
from ff_analytics.sources.ffanalytics.aggregate import AVG_TYPES, build_consensus
from ff_analytics.sources.ffanalytics.crosswalk import map_player_ids, read_crosswalk
from ff_analytics.sources.ffanalytics.r_runner import RRunOptions, run_r_projections
from ff_analytics.sources.ffanalytics.raw import read_raw
from ff_analytics.sources.ffanalytics.sanity import errors, sanity_check
from ff_analytics.sources.ffanalytics.scoring import build_scoring_table, load_scoring_rules
from ff_analytics.sources.ffanalytics.weights import load_weights

SOURCE = "ffanalytics"
LOADER = "ff_analytics.sources.ffanalytics.ingest"


def ingest_ffanalytics(raw_path: Path | None = None, *, run_r: bool = False, store: SnapshotStore | None = None,
                       run_id: str | None = None, dt: str | date | None = None,
                       avg_types: tuple[str, ...] = AVG_TYPES, rules_path: Path | None = None,
                       weights_path: Path | None = None, season: int | None = None, week: int | None = None,
                       r_options: RRunOptions | None = None, vor_baseline: dict[str, int] | None = None,
                       tier_thresholds: dict[str, float] | None = None) -> list[WriteResult]:
    """Aggregate raw projections into a consensus and write both datasets (raw first, then consensus)."""
    if (raw_path is None) == (not run_r):
        raise SourceError("give exactly one of a raw projections file or run_r=True", source=SOURCE)
    store = store or SnapshotStore()
    version = "raw-export"
    with tempfile.TemporaryDirectory(prefix="ffa-ffanalytics-") as tmp:
        if run_r:
            opts = r_options or RRunOptions(season=season or date.today().year, week=week or 0)
            raw_path, r_version = run_r_projections(opts, Path(tmp))
            version = f"ffanalytics {r_version} (R)"
            season, week = season if season is not None else opts.season, week if week is not None else opts.week
        raw = read_raw(Path(raw_path))
        origin = f"raw projections {Path(raw_path).name}"
        season_rules = season if season is not None else _single_season(raw)
        rules = load_scoring_rules(rules_path, season=season_rules)
        table = build_scoring_table(rules)
        weights = load_weights(weights_path)
        result = build_consensus(raw, table, weights, avg_types=avg_types, vor_baseline=vor_baseline,
                                 tier_thresholds=tier_thresholds, season=season, week=week, origin=origin)
    crosswalk, xw_dt, note = read_crosswalk(store)
    checked_raw = result.raw.frame
    frame, mapping = map_player_ids(result.frame, checked_raw, crosswalk, xw_dt, note)
    frame = frame.with_columns(pl.lit(version).alias("source_version"))
    findings = sanity_check(frame, checked_raw)
    if errors(findings):
        raise SourceError("consensus failed sanity checks, nothing written: "
                          + "; ".join(f.message for f in errors(findings)), source=SOURCE,
                          dataset="projections_consensus")
    params = {
        "input": Path(raw_path).name, "rules": Path(rules.origin).name, "weights": Path(weights.origin).name,
        "avg_types": list(avg_types), "seasons": sorted(checked_raw["season"].unique().to_list()),
        "weeks": sorted(checked_raw["week"].unique().to_list()),
        "sources": sorted(checked_raw["data_src"].unique().to_list()),
    }
    raw_params = {**params, **result.raw.report()}
    cons_params = {**params, **result.report(), "player_mapping": mapping.as_dict(),
                   "findings": [f.as_dict() for f in findings]}
    common = {"dt": dt, "source_version": version, "loader": LOADER, "run_id": run_id}
    written = [store.write(SOURCE, "projections_raw", checked_raw, params=raw_params, **common)]
    written.append(store.write(SOURCE, "projections_consensus", frame, params=cons_params, **common))
    return written


def _single_season(raw: pl.DataFrame) -> int | None:
    if "season" not in raw.columns:
        return None
    seasons = raw["season"].drop_nulls().unique().to_list()
    return int(seasons[0]) if len(seasons) == 1 else None
