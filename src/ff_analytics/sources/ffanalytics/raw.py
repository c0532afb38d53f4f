"""Reading and checking raw per-source projections (the ``projections_raw`` dataset).

One row per (source, player, season, week, position). Problems that make the data unusable raise
:class:`SourceError` naming the file and what was wrong; recoverable oddities are kept and reported:
unknown columns are ignored and listed, rows without a player id are dropped (as ffanalytics does) and
listed, negative stat values (e.g. negative rushing yards) are kept and counted.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import polars as pl
import pyarrow.compute as pc

from ff_analytics.errors import SourceError
from ff_analytics.sources.ffanalytics.groups import Groups, group_rows
from ff_analytics.sources.ffanalytics.scoring import POSITION_ALIASES

SOURCE = "ffanalytics"
DATASET = "projections_raw"
KEY_COLUMNS = ("data_src", "id", "pos", "season", "week")
META_COLUMNS = ("player", "team", "src_id", "data_src_lower")
# Stat columns ffanalytics produces that are not scored by themselves but feed imputation or checks (the FG
# distance buckets rebuild a kicker's FG total even when the rules price no bucket).
AUX_STAT_COLUMNS = frozenset({
    "fg_0019", "fg_2029", "fg_3039", "fg_4049", "fg_50", "fg_miss", "fg_miss_0019", "fg_miss_2029",
    "fg_miss_3039", "fg_miss_4049", "fg_miss_50", "xp_miss",
    "pass_att", "pass_comp", "pass_inc", "pass_comp_pct", "pass_40_yds", "pass_300_yds", "pass_350_yds",
    "pass_400_yds", "rush_att", "rush_40_yds", "rush_100_yds", "rush_150_yds", "rush_200_yds", "rec_tgt",
    "rec_40_yds", "rec_100_yds", "rec_150_yds", "rec_200_yds", "fumbles_total", "sacks", "return_yds", "games",
    "fg", "fg_att", "fg_pct", "fg_0039", "fg_1019", "xp_att", "dst_ret_yds", "dst_fum_force", "dst_yds_allowed",
    "site_pts", "site_fppg",
})
COLUMN_ALIASES = {"position": "pos", "source": "data_src", "site": "data_src", "player_name": "player"}
NULL_IDS = ("", "NA", "NaN", "nan", "None", "null")


@dataclass
class RawCheck:
    """A raw frame ready for aggregation, plus what was ignored, dropped or merely noted."""

    frame: pl.DataFrame
    stat_columns: list[str]
    ignored_columns: list[str] = field(default_factory=list)
    dropped_missing_id: list[str] = field(default_factory=list)
    negative_values: dict[str, int] = field(default_factory=dict)
    groups: Groups | None = None  # each player's rows, reused by the consensus
    sources: pl.Series | None = None  # distinct data_src values in order of appearance
    gaps: set[str] | None = None  # stat columns with a missing (null or NaN) value
    source_codes: np.ndarray | None = None  # each row's index into ``sources``
    positions: tuple[pl.Series, np.ndarray] | None = None  # distinct positions, each group's index into them

    def report(self) -> dict:
        return {
            "ignored_columns": self.ignored_columns,
            "rows_dropped_missing_id": len(self.dropped_missing_id),
            "players_dropped_missing_id": self.dropped_missing_id[:50],
            "negative_values_kept": self.negative_values,
        }


def read_raw(path: Path) -> pl.DataFrame:
    """Read a CSV or Parquet export of raw projections; missing, empty or unreadable files raise SourceError."""
    path = Path(path)
    where = {"source": SOURCE, "dataset": DATASET}
    if not path.exists():
        raise SourceError(f"raw projections file not found: {path}", **where)
    if path.stat().st_size == 0:
        raise SourceError(f"raw projections file is empty: {path}", **where)
    try:
        if path.suffix.lower() == ".parquet":
            df = pl.read_parquet(path)
        elif path.suffix.lower() in (".csv", ".txt"):
            df = pl.read_csv(path, infer_schema_length=None, null_values=["NA", "NaN", ""])
        else:
            raise SourceError(f"raw projections must be .csv or .parquet, got {path.name}", **where)
    except (pl.exceptions.ComputeError, pl.exceptions.NoDataError, OSError) as exc:
        raise SourceError(f"cannot read raw projections {path}: {exc}", **where) from None
    if df.height == 0:
        raise SourceError(f"raw projections file has no rows: {path}", **where)
    return df


def check_raw(df: pl.DataFrame, known_stats: set[str], *, season: int | None = None,
              week: int | None = None, origin: str = "raw projections") -> RawCheck:
    """Validate and normalise a raw frame: key columns, numeric stats, ids; returns what was set aside.

    Every check is a vectorised pass: null counts come from Polars' metadata, sources from one dictionary
    encoding, negative values and gaps from one NumPy reduction per stat column. Players are grouped once; ids
    are checked on the groups' distinct keys (thousands, not tens of thousands of values), positions and sources
    on their few distinct values, and a column is rewritten (and the rows regrouped) only when some value
    needs fixing.
    """
    where = {"source": SOURCE, "dataset": DATASET}
    renames = {c: COLUMN_ALIASES[c] for c in df.columns if c in COLUMN_ALIASES and COLUMN_ALIASES[c]
               not in df.columns}
    if renames:
        df = df.rename(renames)
    if df.height == 0:
        raise SourceError(f"{origin} has no rows", **where)
    for name, value in (("season", season), ("week", week)):
        if name not in df.columns and value is not None:
            df = df.with_columns(pl.lit(value, dtype=pl.Int32).alias(name))
    missing = [c for c in KEY_COLUMNS if c not in df.columns]
    if missing:
        hint = " (pass --season/--week when the export has none)" if {"season", "week"} & set(missing) else ""
        raise SourceError(f"{origin} lacks required columns {missing}{hint}; has {df.columns}", **where)

    stat_cols = [c for c in df.columns if c in known_stats or c in AUX_STAT_COLUMNS]
    ignored = [c for c in df.columns if c not in stat_cols and c not in KEY_COLUMNS and c not in META_COLUMNS]
    if ignored:
        df = df.drop(ignored)
    df = _cast_keys(_numeric_stats(df, stat_cols, origin))
    for col in ("data_src", "pos", "season", "week"):  # normalising never adds or removes a null
        n_null = df[col].null_count()
        if n_null:
            raise SourceError(f"{origin}: {n_null} rows have no {col}", **where)
    groups = group_rows(df)
    sources, source_codes = _source_codes(df)
    positions = distinct_codes(groups.keys["pos"])
    fixes, ids_missing = _key_fixes(groups.keys, sources, positions[0])
    dropped_names: list[str] = []
    if fixes:
        df = df.with_columns(fixes)
    if ids_missing:
        no_id = pl.col("id").is_null() | pl.col("id").is_in(NULL_IDS)
        dropped = df.filter(no_id)
        dropped_names = (dropped["player"].cast(pl.String).fill_null("?").to_list() if "player" in dropped.columns
                         else ["?"] * dropped.height)
        df = df.filter(~no_id)
        if df.height == 0:
            raise SourceError(f"{origin}: no row has a player id ({dropped.height} rows without one)", **where)
    if fixes or ids_missing:
        groups = group_rows(df)
        sources, source_codes = _source_codes(df)
        positions = distinct_codes(groups.keys["pos"])
    negatives, gaps = _stat_scan(df, stat_cols)
    return RawCheck(df, stat_cols, ignored, dropped_names, negatives, groups, sources, gaps, source_codes,
                    positions)


def _source_codes(df: pl.DataFrame) -> tuple[pl.Series, np.ndarray]:
    """The distinct sources in order of appearance and each row's index into them."""
    return distinct_codes(df["data_src"])


def distinct_codes(values: pl.Series) -> tuple[pl.Series, np.ndarray]:
    """The distinct values in order of appearance and each value's index into them (one dictionary encoding)."""
    encoded = pc.dictionary_encode(values.to_arrow())
    return pl.Series(values.name, encoded.dictionary), encoded.indices.to_numpy().astype(np.int64)


def _stat_scan(df: pl.DataFrame, stat_cols: list[str]) -> tuple[dict[str, int], set[str]]:
    """Negative counts and the stat columns with a gap (null or NaN). A column's minimum is NaN when it holds a
    NaN and negative when it holds a negative value, so most columns cost one NumPy reduction over a view."""
    negatives: dict[str, int] = {}
    gaps: set[str] = set()
    columns = {s.name: s for s in df.get_columns()}
    for c in stat_cols:
        series = columns[c]
        values = series.to_numpy()  # Float64: a view, or a copy with NaN for nulls
        low = values.min()
        has_nan = bool(np.isnan(low))
        if has_nan or series.null_count():
            gaps.add(c)
        if has_nan or low < 0:
            n_neg = int(np.count_nonzero(values < 0))
            if n_neg:
                negatives[c] = n_neg
    return negatives, gaps


def _key_fixes(keys: pl.DataFrame, sources: pl.Series, positions: pl.Series) -> tuple[list[pl.Expr], bool]:
    """The normalisation rules that would change some id, position or source, and whether some (normalised) id
    is missing; one query. Ids are checked on the players' distinct keys, positions and sources on their few
    distinct values."""
    ids, pos, names = pl.col("id"), pl.lit(positions), pl.lit(sources)
    row = keys.select(
        # NORMALIZE["id"] strips (Unicode) whitespace, then a trailing ".0": it changes exactly these ids
        ids.str.contains(r"^\s|\s$|\.0$").any().alias("id"),
        (NORMALIZE["pos"](pos) != pos).any().alias("pos"),
        (NORMALIZE["data_src"](names) != names).any().alias("data_src"),
        (ids.is_null() | ids.is_in(NULL_IDS)).any().alias("_missing_id"),
    ).row(0, named=True)
    missing_id = bool(row.pop("_missing_id"))
    if row["id"]:  # a fixed id may become empty ("  " or ".0")
        fixed_id = NORMALIZE["id"](ids)
        missing_id = bool(keys.select((fixed_id.is_null() | fixed_id.is_in(NULL_IDS)).any()).item())
    return [NORMALIZE[c](pl.col(c)).alias(c) for c, changed in row.items() if changed], missing_id


KEY_TYPES = {"id": pl.String, "data_src": pl.String, "pos": pl.String, "season": pl.Int32, "week": pl.Int32}
NORMALIZE = {
    "id": lambda e: e.str.strip_chars().str.replace(r"\.0$", ""),
    "data_src": lambda e: e.str.strip_chars(),
    "pos": lambda e: e.str.strip_chars().str.to_uppercase().replace(POSITION_ALIASES),
}


def _cast_keys(df: pl.DataFrame) -> pl.DataFrame:
    """String ids/sources/positions, integer seasons/weeks (values that do not convert become null)."""
    schema = df.schema
    exprs = [pl.col(c).cast(t, strict=False) for c, t in KEY_TYPES.items() if schema[c] != t]
    return df.with_columns(exprs) if exprs else df


def _numeric_stats(df: pl.DataFrame, stat_cols: list[str], origin: str) -> pl.DataFrame:
    """Cast stat columns to Float64 (NaN becomes missing); text that is not a number is an error."""
    exprs, bad = [], []
    schema = df.schema
    for c in stat_cols:
        dtype = schema[c]
        if dtype == pl.Float64:
            continue  # NaN and null both mean "missing" downstream
        if dtype == pl.String:
            cast = pl.col(c).str.strip_chars().cast(pl.Float64, strict=False)
            n_bad = df.select((cast.is_null() & pl.col(c).is_not_null()
                               & ~pl.col(c).str.strip_chars().is_in(list(NULL_IDS))).sum()).item()
            if n_bad:
                bad.append(f"{c} ({n_bad} values)")
            exprs.append(cast.alias(c))
        elif dtype.is_numeric() or dtype == pl.Null:
            exprs.append(pl.col(c).cast(pl.Float64))
        else:
            bad.append(f"{c} (type {dtype})")
    if bad:
        raise SourceError(f"{origin}: non-numeric stat values in {', '.join(bad)}", source=SOURCE, dataset=DATASET)
    return df.with_columns(exprs) if exprs else df
