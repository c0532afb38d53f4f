"""Raw rows checked, kickers' totals rebuilt, gaps imputed and every row scored: ffanalytics' ``source_points``.

The consensus aggregates these per-row points; :func:`source_points` returns them on their own (one row per
source and player), which is what R's ``source_points`` gives and what the reference test compares.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
import polars as pl

from ff_analytics.errors import SourceError
from ff_analytics.sources.ffanalytics.groups import Groups, group_rows
from ff_analytics.sources.ffanalytics.impute import (
    FG_BUCKETS,
    FG_MISS_BUCKETS,
    RATE_PARTNER,
    impute_missing,
    kicker_totals,
)
from ff_analytics.sources.ffanalytics.raw import RawCheck, check_raw, distinct_codes
from ff_analytics.sources.ffanalytics.scoring import (
    POSITIONS,
    ScoringRules,
    ScoringTable,
    build_scoring_table,
    load_scoring_rules,
    score_rows,
)

SOURCE = "ffanalytics"
_DUPLICATE_TABLE_MAX = 1 << 24  # (player, source) pairs checked with a flag table (one byte each) up to this


@dataclass(frozen=True)
class CheckedRows:
    """A checked raw frame with its players grouped, its positions and sources encoded."""

    check: RawCheck
    groups: Groups
    pos_names: list[str]
    group_pos: np.ndarray  # each player's index into pos_names
    sources: pl.Series  # distinct data_src values in order of appearance
    src_code: np.ndarray  # each row's index into sources

    @property
    def frame(self) -> pl.DataFrame:
        return self.check.frame

    @functools.cached_property
    def row_pos(self) -> np.ndarray:
        """Each raw row's index into pos_names."""
        return self.groups.broadcast(self.group_pos)


def checked_rows(raw: pl.DataFrame, table: ScoringTable, *, season: int | None = None, week: int | None = None,
                 origin: str = "raw projections") -> CheckedRows:
    """Validate a raw frame (see :func:`check_raw`) and encode its players, positions and sources."""
    check = check_raw(raw, table.columns(), season=season, week=week, origin=origin)
    df = check.frame
    sources = check.sources if check.sources is not None else df["data_src"].unique(maintain_order=True)
    src_code = (check.source_codes if check.source_codes is not None
                else df["data_src"].cast(pl.Enum(sources)).to_physical().to_numpy().astype(np.int64))
    groups = check.groups if check.groups is not None else group_rows(df)
    pos_names, group_pos = _positions(check.positions or distinct_codes(groups.keys["pos"]))
    return CheckedRows(check, groups, pos_names, group_pos, sources, src_code)


def score_checked(rows: CheckedRows, table: ScoringTable) -> tuple[np.ndarray, dict[str, int]]:
    """Every raw row's points after kickers' totals are rebuilt and gaps imputed; and what was filled.

    Raises :class:`SourceError` when a player has two rows from one source (one row per key is the contract).
    """
    _reject_duplicate_sources(rows.groups, rows.src_code, len(rows.sources), rows.frame)
    scored = {p: table.scored_columns(p) for p in rows.pos_names}
    columns, imputed = _stat_arrays(rows, table, scored)
    points = score_rows(table, columns, rows.pos_names, rows.row_pos, rows.frame["week"].to_numpy(),
                        maybe_missing=rows.check.gaps | set(imputed) if rows.check.gaps is not None else None)
    return points, imputed


def source_points(raw: pl.DataFrame, rules: ScoringRules | ScoringTable | None = None, *,
                  season: int | None = None, week: int | None = None) -> pl.DataFrame:
    """The points each source gives each player (R's ``source_points`` after its imputation), one row per raw
    row that has a player id: data_src, id, pos, season, week, raw_points."""
    table = rules if isinstance(rules, ScoringTable) else build_scoring_table(rules or load_scoring_rules())
    rows = checked_rows(raw, table, season=season, week=week)
    points, _ = score_checked(rows, table)
    return rows.frame.select("data_src", "id", "pos", "season", "week").with_columns(
        pl.Series("raw_points", points))


def _positions(encoded: tuple[pl.Series, np.ndarray]) -> tuple[list[str], np.ndarray]:
    """The positions present (QB, RB, ... order; others after, alphabetically) and each player's index into
    them, from the players' positions in order of appearance and each player's index into those."""
    seen = encoded[0].to_list()
    pos_names = sorted(seen, key=lambda p: (POSITIONS.index(p) if p in POSITIONS else len(POSITIONS), p))
    code = np.array([pos_names.index(p) for p in seen], dtype=np.int64)
    return pos_names, code[encoded[1]]


def _stat_arrays(rows: CheckedRows, table: ScoringTable, scored: dict[str, set[str]]
                 ) -> tuple[dict[str, np.ndarray], dict[str, int]]:
    """The stat columns scoring needs, as float arrays (NaN = missing), with gaps in scored columns filled.

    Columns are zero-copy views of the frame where Polars allows; only columns that get filled are copied.
    Kickers' FG totals are rebuilt from the distance buckets first (:func:`kicker_totals`).
    """
    df, check, groups, group_pos, pos_names = rows.frame, rows.check, rows.groups, rows.group_pos, rows.pos_names
    stat_cols = check.stat_columns
    used = set().union(*(table.linear.get(p, {}) for p in pos_names), *(table.brackets.get(p, {}) for p in pos_names))
    scored_any = set().union(*scored.values())
    todo = {c for c in stat_cols if c in scored_any and (check.gaps is None or c in check.gaps)}
    kick = "K" in pos_names
    needed = (used | todo | {RATE_PARTNER[c] for c in todo if c in RATE_PARTNER} | {"fg", "fg_att"}
              | (set(FG_BUCKETS) | set(FG_MISS_BUCKETS) if kick else set()))
    arrays = {s.name: s.to_numpy() for s in df.get_columns() if s.name in needed and s.name in stat_cols}
    imputed: dict[str, int] = {}
    if kick:
        kicker_rows = np.flatnonzero(rows.row_pos == pos_names.index("K"))
        imputed.update(kicker_totals(arrays, kicker_rows))
    if check.gaps is None:
        todo = {c for c in todo if np.isnan(arrays[c]).any()}
    if not todo:
        return arrays, imputed
    imputed.update(impute_missing(arrays, stat_cols, groups, group_pos, pos_names, scored, todo))
    return arrays, imputed


def _reject_duplicate_sources(groups: Groups, src_code: np.ndarray, n_sources: int, df: pl.DataFrame) -> None:
    """A player may have one row per source: every (player, source) code must occur once."""
    code = groups.row_group * n_sources + src_code
    size = groups.count * n_sources
    if size <= _DUPLICATE_TABLE_MAX:
        seen = np.zeros(size, dtype=bool)
        seen[code] = True
        if np.count_nonzero(seen) == code.size:
            return
    elif np.unique(code).size == code.size:
        return
    values, counts = np.unique(code, return_counts=True)
    players = np.unique(values[counts > 1] // n_sources)
    examples = np.flatnonzero(np.isin(groups.row_group, players[:3]))
    bad = df[examples].select("data_src", "id", "pos", "season", "week").unique(maintain_order=True)
    raise SourceError(f"{players.size} players have more than one row from the same source; "
                      f"examples: {bad.rows()}", source=SOURCE, dataset="projections_raw")
