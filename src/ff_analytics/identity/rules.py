"""The analyst's rules: curated name aliases (with their position scope) and manual overrides.

Aliases (``config/league/dim_name_alias.csv``): ``alias_name`` means ``canonical_name``. A ``position`` limits the
alias to source rows of that position's family (the "Josh Allen" → Josh Hines-Allen alias applies to DL/DE/LB rows
only); ``treat_as_position`` declares the target's position when the source mislabels it (the sheet lists Cam
Heyward as WR: the alias applies to WR rows and points at the DL player).

Overrides (``config/league/player_overrides.csv``): ``source, source_key, player_name, player_id, reason``. One of
``source_key`` (the exact key in ``player_identity``) or ``player_name`` (matched on its name key) names the rows;
``player_id`` must exist among the canonical players, else the whole run fails before anything is written.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from ff_analytics.errors import ConfigError
from ff_analytics.identity.normalize import family, name_key

ALIAS_FILE = "league/dim_name_alias.csv"
OVERRIDE_FILE = "league/player_overrides.csv"
OVERRIDE_COLUMNS = ("source", "source_key", "player_name", "player_id", "reason")


def load_aliases(path: Path) -> pl.DataFrame:
    """alias_key, canonical_key, scope (family a source row must be in, or null), target_family (or null)."""
    if not path.exists():
        return pl.DataFrame(schema={"alias_key": pl.String, "canonical_key": pl.String, "scope": pl.String,
                                    "target_family": pl.String})
    raw = pl.read_csv(path, infer_schema=False)
    for col in ("alias_name", "canonical_name"):
        if col not in raw.columns:
            raise ConfigError(f"{path}: missing column {col!r}")
    pos = pl.col("position") if "position" in raw.columns else pl.lit(None, pl.String)
    treat = pl.col("treat_as_position") if "treat_as_position" in raw.columns else pl.lit(None, pl.String)
    return raw.select(
        name_key(pl.col("alias_name")).alias("alias_key"), name_key(pl.col("canonical_name")).alias("canonical_key"),
        family(pos).alias("scope"), family(pl.coalesce(treat, pos)).alias("target_family"),
    ).filter((pl.col("alias_key") != pl.col("canonical_key")) & (pl.col("alias_key") != "")).unique().sort(
        "alias_key", "canonical_key", "scope", nulls_last=True)


def load_overrides(path: Path, known_ids: set[str]) -> pl.DataFrame:
    """The override table; a row without a target, naming no rows, or pointing at an unknown id is a ConfigError."""
    schema = {c: pl.String for c in OVERRIDE_COLUMNS}
    if not path.exists():
        return pl.DataFrame(schema=schema | {"name_key": pl.String})
    raw = pl.read_csv(path, infer_schema=False, comment_prefix="#")
    missing = [c for c in OVERRIDE_COLUMNS if c not in raw.columns]
    if missing:
        raise ConfigError(f"{path}: missing columns {missing} (expected {', '.join(OVERRIDE_COLUMNS)})")
    raw = raw.select(pl.col(c).str.strip_chars() for c in OVERRIDE_COLUMNS)
    problems = []
    for i, row in enumerate(raw.iter_rows(named=True), start=2):
        where = f"{path.name} line {i} ({row['source']} {row['source_key'] or row['player_name']!r})"
        if not row["source"]:
            problems.append(f"{where}: no source")
        if not (row["source_key"] or row["player_name"]):
            problems.append(f"{where}: neither source_key nor player_name given")
        if not row["player_id"]:
            problems.append(f"{where}: no player_id")
        elif row["player_id"] not in known_ids:
            problems.append(f"{where}: player_id {row['player_id']!r} is not in the crosswalk")
        if not row["reason"]:
            problems.append(f"{where}: no reason")
    if problems:
        raise ConfigError("invalid player overrides: " + "; ".join(problems), source="identity",
                          dataset="player_identity")
    return raw.with_columns(
        pl.when(pl.col("player_name").is_not_null()).then(name_key(pl.col("player_name"))).alias("name_key"))
