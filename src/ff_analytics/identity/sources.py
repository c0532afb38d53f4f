"""Player-bearing datasets of every source, each read into the resolver's row shape.

One function per (source, dataset): what the row's key is, which ids it carries, its name, position, team. Rows
are collapsed to one per source key (``row_count`` keeps how many source rows it stands for). ``rostered`` marks the
current rosters: the sheet's active contracts and the Sleeper rosters of the newest season.
"""

from __future__ import annotations

from collections.abc import Callable

import polars as pl

from ff_analytics.errors import SnapshotError
from ff_analytics.identity.resolver import ROW_COLUMNS
from ff_analytics.snapshots.store import SnapshotStore

Reader = Callable[[str, str], pl.DataFrame | None]


def _col(frame: pl.DataFrame, *names: str) -> pl.Expr:
    """The first of ``names`` the frame has, as text (else null): sources rename columns between versions."""
    for name in names:
        if name in frame.columns:
            return pl.col(name).cast(pl.String)
    return pl.lit(None, pl.String)


def _sheet_names(frame: pl.DataFrame, name: str, slot: str | None, *, rostered: bool) -> pl.DataFrame:
    hint = pl.coalesce(_col(frame, "position"), _col(frame, slot) if slot else pl.lit(None, pl.String), pl.lit(""))
    named = frame.filter(pl.col(name).is_not_null() & (pl.col(name).str.strip_chars() != ""))
    return named.select(
        (pl.col(name).str.strip_chars() + "|" + hint).alias("source_key"), pl.col(name).str.strip_chars()
        .alias("name"), _col(named, "position").alias("position"),
        (_col(named, slot) if slot else pl.lit(None, pl.String)).alias("slot"),
        pl.lit(rostered).alias("rostered"))


def sheets_contracts_active(read: Reader) -> pl.DataFrame | None:
    frame = read("sheets", "contracts_active")
    return None if frame is None else _sheet_names(frame, "player_name", "roster_slot", rostered=True)


def sheets_contracts_cut(read: Reader) -> pl.DataFrame | None:
    frame = read("sheets", "contracts_cut")
    return None if frame is None else _sheet_names(frame, "player_name", None, rostered=False)


def sheets_transactions(read: Reader) -> pl.DataFrame | None:
    frame = read("sheets", "transactions")
    if frame is None:
        return None
    if "asset_type" in frame.columns:
        frame = frame.filter(pl.col("asset_type") == "player")
    return _sheet_names(frame, "asset_name", None, rostered=False)


def _sleeper_player_cols(frame: pl.DataFrame) -> list[pl.Expr]:
    full = pl.coalesce(_col(frame, "full_name"),
                       pl.concat_str([_col(frame, "first_name"), _col(frame, "last_name")], separator=" "))
    return [full.alias("name"), _col(frame, "position").alias("position"), _col(frame, "team").alias("team"),
            _col(frame, "birth_date").alias("birth_date"), _col(frame, "gsis_id").str.strip_chars().alias("gsis_id"),
            _col(frame, "espn_id").alias("espn_id"), _col(frame, "yahoo_id").alias("yahoo_id"),
            _col(frame, "sportradar_id").alias("sportradar_id")]


def sleeper_players(read: Reader) -> pl.DataFrame | None:
    frame = read("sleeper", "players")
    if frame is None:
        return None
    return frame.filter(pl.col("player_id").is_not_null()).select(
        pl.col("player_id").cast(pl.String).alias("source_key"), pl.col("player_id").cast(pl.String)
        .alias("sleeper_id"), *_sleeper_player_cols(frame))


def sleeper_rosters(read: Reader) -> pl.DataFrame | None:
    """Roster spots by Sleeper id, with the player's name, position and team from Sleeper's catalogue."""
    frame = read("sleeper", "rosters")
    if frame is None:
        return None
    frame = frame.filter(pl.col("player_id").is_not_null())
    newest = pl.col("season").cast(pl.Int64) == pl.col("season").cast(pl.Int64).max() \
        if "season" in frame.columns else pl.lit(True)
    rows = frame.select(pl.col("player_id").cast(pl.String).alias("source_key"),
                        pl.col("player_id").cast(pl.String).alias("sleeper_id"), newest.alias("rostered"))
    catalogue = sleeper_players(read)
    if catalogue is not None:
        rows = rows.join(catalogue.drop("sleeper_id"), on="source_key", how="left")
    return rows


def ktc_players(read: Reader) -> pl.DataFrame | None:
    frame = read("ktc", "players")
    if frame is None:
        return None
    if "asset_type" in frame.columns:
        frame = frame.filter(pl.col("asset_type") == "player")
    key = _col(frame, "ktc_id", "playerID", "player_id").str.replace(r"\.0+$", "")
    return frame.select(key.alias("source_key"), key.alias("ktc_id"),
                        _col(frame, "mflid", "mfl_id").str.replace(r"\.0+$", "").alias("mfl_id"),
                        _col(frame, "player_name").alias("name"), _col(frame, "position").alias("position"),
                        _col(frame, "team").alias("team")).filter(pl.col("source_key").is_not_null())


def _ffanalytics(read: Reader, dataset: str) -> pl.DataFrame | None:
    frame = read("ffanalytics", dataset)
    if frame is None:
        return None
    mfl = _col(frame, "id").str.replace(r"\.0+$", "")
    mfl = pl.when(mfl.is_in(["", "NA"])).then(None).otherwise(mfl)
    return frame.select(
        pl.coalesce(mfl, _col(frame, "player") + "|" + _col(frame, "pos")).alias("source_key"), mfl.alias("mfl_id"),
        _col(frame, "player_id").alias("gsis_id"), _col(frame, "sleeper_id").alias("sleeper_id"),
        _col(frame, "player").alias("name"), _col(frame, "pos").alias("position"), _col(frame, "team").alias("team"))


def ffanalytics_projections_consensus(read: Reader) -> pl.DataFrame | None:
    return _ffanalytics(read, "projections_consensus")


def ffanalytics_projections_raw(read: Reader) -> pl.DataFrame | None:
    return _ffanalytics(read, "projections_raw")


def _gsis_rows(read: Reader, dataset: str, key: str, name: str, team: str) -> pl.DataFrame | None:
    frame = read("nflverse", dataset)
    if frame is None:
        return None
    if "week" in frame.columns:
        frame = frame.sort(["season", "week"] if "season" in frame.columns else ["week"], descending=True)
    return frame.filter(pl.col(key).is_not_null()).select(
        pl.col(key).cast(pl.String).alias("source_key"), pl.col(key).cast(pl.String).alias("gsis_id"),
        _col(frame, name).alias("name"), _col(frame, "position").alias("position"), _col(frame, team).alias("team"))


def nflverse_weekly(read: Reader) -> pl.DataFrame | None:
    return _gsis_rows(read, "weekly", "player_id", "player_display_name", "team")


def nflverse_ff_opportunity(read: Reader) -> pl.DataFrame | None:
    return _gsis_rows(read, "ff_opportunity", "player_id", "full_name", "posteam")


def nflverse_players(read: Reader) -> pl.DataFrame | None:
    frame = read("nflverse", "players")
    if frame is None:
        return None
    return frame.filter(pl.col("gsis_id").is_not_null()).select(
        pl.col("gsis_id").cast(pl.String).alias("source_key"), pl.col("gsis_id").cast(pl.String).alias("gsis_id"),
        _col(frame, "display_name").alias("name"), _col(frame, "position").alias("position"),
        _col(frame, "latest_team").alias("team"), _col(frame, "birth_date").str.slice(0, 10).alias("birth_date"),
        _col(frame, "pfr_id").alias("pfr_id"), _col(frame, "espn_id").alias("espn_id"))


def nflverse_snap_counts(read: Reader) -> pl.DataFrame | None:
    frame = read("nflverse", "snap_counts")
    if frame is None:
        return None
    frame = frame.sort(["season", "week"], descending=True) if {"season", "week"} <= set(frame.columns) else frame
    return frame.filter(pl.col("pfr_player_id").is_not_null()).select(
        pl.col("pfr_player_id").cast(pl.String).alias("source_key"),
        pl.col("pfr_player_id").cast(pl.String).alias("pfr_id"), _col(frame, "player").alias("name"),
        _col(frame, "position").alias("position"), _col(frame, "team").alias("team"))


EXTRACTORS: dict[tuple[str, str], Callable[[Reader], pl.DataFrame | None]] = {
    ("sheets", "contracts_active"): sheets_contracts_active,
    ("sheets", "contracts_cut"): sheets_contracts_cut,
    ("sheets", "transactions"): sheets_transactions,
    ("sleeper", "players"): sleeper_players,
    ("sleeper", "rosters"): sleeper_rosters,
    ("ktc", "players"): ktc_players,
    ("ffanalytics", "projections_consensus"): ffanalytics_projections_consensus,
    ("ffanalytics", "projections_raw"): ffanalytics_projections_raw,
    ("nflverse", "weekly"): nflverse_weekly,
    ("nflverse", "snap_counts"): nflverse_snap_counts,
    ("nflverse", "ff_opportunity"): nflverse_ff_opportunity,
    ("nflverse", "players"): nflverse_players,
}


def store_reader(store: SnapshotStore) -> Reader:
    """Current snapshots through the store, cached per run; a dataset with no snapshot yet reads as None."""
    cache: dict[tuple[str, str], pl.DataFrame | None] = {}

    def read(source: str, dataset: str) -> pl.DataFrame | None:
        if (source, dataset) not in cache:
            try:
                cache[(source, dataset)] = store.read(source, dataset)
            except SnapshotError as exc:
                if "no snapshot exists" not in str(exc) and "no current snapshot" not in str(exc):
                    raise
                cache[(source, dataset)] = None
        return cache[(source, dataset)]

    return read


def collect_rows(read: Reader) -> tuple[pl.DataFrame, list[str]]:
    """Every source's rows, one per (source, dataset, source_key), and the datasets that had no snapshot."""
    frames, missing = [], []
    for (source, dataset), extract in EXTRACTORS.items():
        frame = extract(read)
        if frame is None:
            missing.append(f"{source}/{dataset}")
            continue
        frame = frame.with_columns(pl.lit(source).alias("source"), pl.lit(dataset).alias("dataset"))
        frames.append(_one_per_key(frame))
    if not frames:
        return pl.DataFrame(schema=ROW_COLUMNS), missing
    # sorted once here: the resolver keeps row order, so the table (and its hash) depends on the data only
    return pl.concat(frames, how="diagonal_relaxed").sort("source", "dataset", "source_key"), missing


def _one_per_key(frame: pl.DataFrame) -> pl.DataFrame:
    """Collapse repeated keys (weekly rows, contract seasons): first non-null of each attribute, rows counted."""
    attrs = [c for c in frame.columns if c not in ("source", "dataset", "source_key", "rostered")]
    aggs = [pl.col(c).drop_nulls().first().alias(c) for c in attrs]
    aggs.append(pl.len().cast(pl.UInt32).alias("row_count"))
    if "rostered" in frame.columns:
        aggs.append(pl.col("rostered").fill_null(False).any().alias("rostered"))
    return frame.group_by("source", "dataset", "source_key", maintain_order=True).agg(aggs)
