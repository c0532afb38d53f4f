"""KTC team codes → nflverse team codes, from ``config/league/ktc_team_codes.csv`` (data, not code).

KTC writes its own three-letter codes (``KCC``, ``GBP``, ``NOS``, ``SFO``, ``LVR``, ``TBB``, ``NEP``, ``JAC``,
``LAR``) and ``FA`` for free agents and picks; the warehouse joins on nflverse's (``KC``, ``GB``, ``NO``, ``SF``,
``LV``, ``TB``, ``NE``, ``JAX``, ``LA``). ``FA`` maps to null (no team). A code missing from the table also maps
to null; the raw code stays in the ``ktc_team`` column and the KTC checks report it.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import polars as pl

from ff_analytics.errors import ConfigError
from ff_analytics.settings import get_settings

TABLE = "ktc_team_codes.csv"


def team_codes_path(config_dir: Path | None = None) -> Path:
    return Path(config_dir or get_settings().config_dir) / "league" / TABLE


@cache
def _load(path: Path) -> dict[str, str | None]:
    try:
        table = pl.read_csv(path, infer_schema=False)
    except (OSError, pl.exceptions.PolarsError) as exc:
        raise ConfigError(f"cannot read the KTC team-code table {path}: {exc}", source="ktc") from None
    missing = {"ktc_team", "nfl_team"} - set(table.columns)
    dupes = table.filter(pl.col("ktc_team").is_duplicated())["ktc_team"].unique().to_list() if not missing else []
    if missing or dupes:
        what = f"lacks column(s) {sorted(missing)}" if missing else f"lists {sorted(dupes)} more than once"
        raise ConfigError(f"KTC team-code table {path} {what}", source="ktc")
    return {r["ktc_team"].strip(): (r["nfl_team"] or "").strip() or None for r in table.iter_rows(named=True)}


def team_map(config_dir: Path | None = None) -> dict[str, str | None]:
    """``{ktc_code: nflverse_code or None}``; ``FA`` → None."""
    return _load(team_codes_path(config_dir).resolve())
