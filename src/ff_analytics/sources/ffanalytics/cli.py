"""``ffa ingest ffanalytics --raw FILE | --run-r``: aggregate raw projections into the consensus snapshots."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console

from ff_analytics.errors import ConfigError
from ff_analytics.sources.ffanalytics.aggregate import AVG_TYPES
from ff_analytics.sources.ffanalytics.r_runner import RRunOptions

console = Console()


def _pairs(values: list[str], kind: type, option: str) -> dict:
    out = {}
    for item in values:
        pos, sep, val = item.partition("=")
        try:
            out[pos.strip().upper()] = kind(val)
        except ValueError:
            sep = ""
        if not sep:
            raise ConfigError(f"{option} expects POS=VALUE (e.g. QB=12), got {item!r}", source="ffanalytics")
    return out


def register(ingest_app: typer.Typer) -> None:
    @ingest_app.command("ffanalytics")
    def ffanalytics(
        raw: Path | None = typer.Option(None, "--raw", help="CSV/Parquet of raw per-source projections."),
        run_r: bool = typer.Option(False, "--run-r", help="Scrape with the R package ffanalytics first."),
        season: int | None = typer.Option(None, "--season", help="Season (for --run-r, or a file without one)."),
        week: int | None = typer.Option(None, "--week", help="Week, 0 = season-long."),
        sources: str | None = typer.Option(None, "--sources", help="--run-r: comma-separated ffanalytics sites."),
        positions: str | None = typer.Option(None, "--positions", help="--run-r: comma-separated positions."),
        rscript: str | None = typer.Option(None, "--rscript", help="--run-r: path of Rscript (default: PATH)."),
        avg_type: list[str] = typer.Option(list(AVG_TYPES), "--avg-type", help="average, robust, weighted."),
        rules: Path | None = typer.Option(
            None, "--rules", help="Scoring rules (.yaml Sleeper export or .csv); default: the league's. "
                                  "config/league/ffanalytics_r_default_scoring.yaml gives R's numbers."),
        weights: Path | None = typer.Option(None, "--weights", help="Source weights CSV."),
        vor_baseline: list[str] = typer.Option([], "--vor-baseline", help="POS=RANK, e.g. QB=12 (repeatable)."),
        tier_threshold: list[str] = typer.Option([], "--tier-threshold", help="POS=X, e.g. DST=0.1."),
        dt: str | None = typer.Option(None, "--dt", help="Snapshot date (default: today)."),
    ) -> None:
        """Raw projections -> projections_raw + projections_consensus (average, robust, weighted)."""
        from ff_analytics.sources.ffanalytics.ingest import ingest_ffanalytics

        if (raw is None) == (not run_r):
            raise ConfigError("use exactly one of --raw FILE or --run-r", source="ffanalytics")
        r_options = None
        if run_r:
            if season is None or week is None:
                raise ConfigError("--run-r needs --season and --week", source="ffanalytics")
            r_options = RRunOptions(season=season, week=week, rscript=rscript)
            if sources:
                r_options.sources = [s.strip() for s in sources.split(",") if s.strip()]
            if positions:
                r_options.positions = [p.strip().upper() for p in positions.split(",") if p.strip()]
        with console.status("aggregating projections"):
            results = ingest_ffanalytics(
                raw, run_r=run_r, dt=dt, avg_types=tuple(avg_type), rules_path=rules, weights_path=weights,
                season=season, week=week, r_options=r_options,
                vor_baseline=_pairs(vor_baseline, int, "--vor-baseline"),
                tier_thresholds=_pairs(tier_threshold, float, "--tier-threshold"),
            )
        for r in results:
            console.print(f"{r.source}/{r.dataset} {r.dt}: {r.status}, {r.row_count} rows")
        params = results[-1].manifest.params
        mapping = params.get("player_mapping", {})
        console.print(f"player mapping: {mapping.get('mapped_players')}/{mapping.get('total_players')} "
                      f"({mapping.get('mapping_rate')}) {mapping.get('note') or ''}".rstrip())
        for key in ("ignored_columns", "players_dropped_missing_id", "negative_values_kept"):
            if params.get(key):
                console.print(f"{key.replace('_', ' ')}: {params[key]}")
        for f in params.get("findings", []):
            console.print(f"{f['level']}: {f['message']}")
