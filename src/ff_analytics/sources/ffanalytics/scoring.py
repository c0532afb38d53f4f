"""League scoring applied to ffanalytics stat columns; the rules and the column mapping are both data.

The league's rules come from ``config/league/sleeper_scoring_rules.yaml`` (Sleeper keys) or
``config/league/dim_scoring_rule.csv`` (the warehouse's rule names). ``stat_map.csv`` next to this module says
which rule(s) price each ffanalytics column, for which positions (``*``: every position, as ffanalytics'
``projections_table`` and Sleeper both score a WR's passing TD), with which factor (e.g. FG yardage assumed per
distance bucket) and, for the DST points-allowed column, which bracket a projection falls in.
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import polars as pl
import yaml

from ff_analytics.errors import ConfigError
from ff_analytics.settings import get_settings

SOURCE = "ffanalytics"
STAT_MAP_PATH = Path(__file__).with_name("stat_map.csv")
POSITIONS = ("QB", "RB", "WR", "TE", "K", "DST", "DL", "LB", "DB")
POSITION_ALIASES = {"DEF": "DST", "D/ST": "DST", "DST": "DST", "PK": "K"}
ALL_POSITIONS = "*"


@dataclass(frozen=True)
class ScoringRules:
    """Points per unit by rule name, and which naming the rules use ("sleeper" keys or "dim" stat names)."""

    values: dict[str, float]
    naming: str
    origin: str


@dataclass(frozen=True)
class StatRule:
    ffa_column: str
    positions: tuple[str, ...]
    sleeper_key: str
    dim_stat_name: str
    factor: float
    bracket_max: float | None


@dataclass
class ScoringTable:
    """Per position: linear points per stat column, and points-allowed brackets (upper bound, points)."""

    linear: dict[str, dict[str, float]] = field(default_factory=dict)
    brackets: dict[str, dict[str, list[tuple[float, float]]]] = field(default_factory=dict)
    unused_rules: list[str] = field(default_factory=list)

    def columns(self) -> set[str]:
        cols = {c for per_pos in self.linear.values() for c in per_pos}
        return cols | {c for per_pos in self.brackets.values() for c in per_pos}

    def scored_columns(self, pos: str) -> set[str]:
        """Columns that earn points for ``pos`` (ffanalytics imputes only these)."""
        lin = {c for c, v in self.linear.get(pos, {}).items() if v != 0}
        return lin | set(self.brackets.get(pos, {}))


def default_rules_path() -> Path:
    return get_settings().config_dir / "league" / "sleeper_scoring_rules.yaml"


def load_scoring_rules(path: Path | None = None, season: int | None = None) -> ScoringRules:
    """Read the league's rules from the Sleeper YAML export or the ``dim_scoring_rule.csv`` table."""
    path = Path(path) if path is not None else default_rules_path()
    if not path.exists():
        raise ConfigError(f"scoring rules file not found: {path}", source=SOURCE)
    if path.suffix.lower() in (".yaml", ".yml"):
        return _rules_from_yaml(path)
    if path.suffix.lower() == ".csv":
        return _rules_from_csv(path, season)
    raise ConfigError(f"scoring rules must be .yaml or .csv, got {path.name}", source=SOURCE)


def _rules_from_yaml(path: Path) -> ScoringRules:
    with open(path, encoding="utf-8") as fh:
        doc = yaml.safe_load(fh) or {}
    scoring = doc.get("scoring") if isinstance(doc, dict) else None
    if not isinstance(scoring, dict) or not scoring:
        raise ConfigError(f"{path.name}: expected a non-empty 'scoring:' mapping", source=SOURCE)
    values = {}
    for key, value in scoring.items():
        try:
            values[str(key)] = float(value)
        except (TypeError, ValueError):
            raise ConfigError(f"{path.name}: rule {key!r} has a non-numeric value {value!r}", source=SOURCE) from None
    return ScoringRules(values, "sleeper", str(path))


def _rules_from_csv(path: Path, season: int | None) -> ScoringRules:
    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    needed = {"stat_name", "points_per_unit"}
    if not rows or not needed <= set(rows[0]):
        raise ConfigError(f"{path.name}: expected columns {sorted(needed)} and at least one rule", source=SOURCE)
    values = {}
    for row in rows:
        if season is not None and row.get("valid_from_season") and row.get("valid_to_season"):
            if not int(row["valid_from_season"]) <= season <= int(row["valid_to_season"]):
                continue
        elif str(row.get("is_current", "true")).strip().lower() not in ("true", "1", "yes", ""):
            continue
        try:
            values[row["stat_name"]] = float(row["points_per_unit"])
        except ValueError:
            raise ConfigError(f"{path.name}: rule {row['stat_name']!r} has a non-numeric points_per_unit "
                              f"{row['points_per_unit']!r}", source=SOURCE) from None
    return ScoringRules(values, "dim", str(path))


def load_stat_map(path: Path = STAT_MAP_PATH) -> list[StatRule]:
    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    out = []
    for row in rows:
        bracket = row["bracket_max"].strip()
        out.append(StatRule(
            ffa_column=row["ffa_column"], positions=_positions(row["positions"]),
            sleeper_key=row["sleeper_key"], dim_stat_name=row["dim_stat_name"], factor=float(row["factor"]),
            bracket_max=(math.inf if bracket == "inf" else float(bracket)) if bracket else None,
        ))
    return out


def _positions(spec: str) -> tuple[str, ...]:
    """``QB|RB`` -> those positions; ``*`` -> every position."""
    spec = spec.strip()
    return POSITIONS if spec == ALL_POSITIONS else tuple(p.strip() for p in spec.split("|") if p.strip())


def build_scoring_table(rules: ScoringRules, stat_map: list[StatRule] | None = None) -> ScoringTable:
    """Combine the rules with the column mapping: points per unit of each column, per position."""
    stat_map = stat_map if stat_map is not None else load_stat_map()
    table = ScoringTable()
    used: set[str] = set()
    for rule in stat_map:
        key = rule.sleeper_key if rules.naming == "sleeper" else rule.dim_stat_name
        if not key or key not in rules.values:
            continue
        used.add(key)
        points = rules.values[key] * rule.factor
        for pos in rule.positions:
            if rule.bracket_max is not None:
                table.brackets.setdefault(pos, {}).setdefault(rule.ffa_column, []).append((rule.bracket_max, points))
            else:
                per_pos = table.linear.setdefault(pos, {})
                per_pos[rule.ffa_column] = per_pos.get(rule.ffa_column, 0.0) + points
    for per_pos in table.brackets.values():
        for col in per_pos:
            per_pos[col].sort()
    table.unused_rules = sorted(k for k, v in rules.values.items() if k not in used and v != 0)
    return table


def _bracket_expr(value: pl.Expr, bracket: list[tuple[float, float]]) -> pl.Expr:
    """Points for a projected points-allowed value: the first bracket whose upper bound is >= the value."""
    expr = pl.when(value.is_null() | value.is_nan()).then(0.0)
    for upper, pts in bracket:
        expr = expr.when(value <= upper).then(pts)
    return expr.otherwise(bracket[-1][1] if bracket else 0.0)


def points_expr(table: ScoringTable, columns: list[str], positions: list[str]) -> pl.Expr:
    """Fantasy points of one raw row: sum of value x points per unit; missing values count 0 (R's rowSums).

    Points-allowed brackets apply per game. Season-long rows (week 0) hold season totals: R simulates 17
    games with team-specific coefficients; here the per-game average is bracketed and x 17 (documented).
    """
    branches = []
    for pos in positions:
        terms = [pl.col(c).fill_nan(0.0).fill_null(0.0) * v
                 for c, v in table.linear.get(pos, {}).items() if c in columns and v != 0]
        for col, bracket in table.brackets.get(pos, {}).items():
            if col in columns:
                weekly = _bracket_expr(pl.col(col), bracket)
                season = _bracket_expr(pl.col(col) / 17.0, bracket) * 17.0
                terms.append(pl.when(pl.col("week") == 0).then(season).otherwise(weekly))
        branches.append((pos, pl.sum_horizontal(terms) if terms else pl.lit(0.0)))
    if not branches:
        return pl.lit(0.0, dtype=pl.Float64).alias("points")
    expr = pl.when(pl.col("pos") == branches[0][0]).then(branches[0][1])
    for pos, branch in branches[1:]:
        expr = expr.when(pl.col("pos") == pos).then(branch)
    return expr.otherwise(0.0).cast(pl.Float64).alias("points")


def normalize_position(pos: str) -> str:
    up = pos.strip().upper()
    return POSITION_ALIASES.get(up, up)


def score_rows(table: ScoringTable, columns: dict[str, np.ndarray], positions: list[str], row_pos: np.ndarray,
               week: np.ndarray, maybe_missing: set[str] | None = None) -> np.ndarray:
    """NumPy twin of :func:`points_expr` (same terms, same order, so the same floating-point sums).

    ``columns`` maps stat column -> float values per raw row (NaN = missing), ``row_pos`` is each row's index
    into ``positions``. Positions with the same linear terms (all of them, when every rule applies to every
    position) are scored together, a term being a whole-array multiply and add, summed strictly left to right;
    the DST points-allowed brackets are added after, on the rows of the positions that have them.
    ``maybe_missing`` (optional) names the columns that can hold NaN; the others skip the check.
    """
    points = np.zeros(row_pos.size)
    for pos_codes, terms in _positions_by_terms(table, columns, positions).items():
        rows = None if len(pos_codes) == len(positions) else _rows_of(row_pos, pos_codes, len(positions))
        if not terms or (rows is not None and rows.size == 0):
            continue
        out = points if rows is None else np.zeros(rows.size)
        part = np.empty(out.size)
        for col, value in terms:
            if rows is None:
                np.multiply(columns[col], value, out=part)
            else:
                np.take(columns[col], rows, out=part, mode="clip")  # "clip": no buffering (rows are valid)
                part *= value
            if maybe_missing is None or col in maybe_missing:
                np.copyto(part, 0.0, where=np.isnan(part))  # missing counts 0, as in R's rowSums(na.rm = TRUE)
            out += part
        if rows is not None:
            points[rows] = out
    for k, pos in enumerate(positions):
        brackets = [(c, b) for c, b in table.brackets.get(pos, {}).items() if c in columns]
        rows = _rows_of(row_pos, (k,), len(positions)) if brackets else None
        if rows is None or rows.size == 0:
            continue
        wk = np.take(week, rows)
        season = wk == 0
        for col, bracket in brackets:
            value = np.take(columns[col], rows)
            pts = _bracket_points(value, bracket)
            if season.any():
                pts = np.where(season, _bracket_points(value / 17.0, bracket) * 17.0, pts)
            points[rows] += pts
    return points


def _positions_by_terms(table: ScoringTable, columns: dict[str, np.ndarray], positions: list[str]
                        ) -> dict[tuple[int, ...], list[tuple[str, float]]]:
    """The positions (as indices) that share the same linear scoring terms, with those terms."""
    by_terms: dict[tuple, list[int]] = {}
    for k, pos in enumerate(positions):
        terms = tuple((c, v) for c, v in table.linear.get(pos, {}).items() if v != 0 and c in columns)
        by_terms.setdefault(terms, []).append(k)
    return {tuple(codes): list(terms) for terms, codes in by_terms.items()}


def _rows_of(row_pos: np.ndarray, pos_codes: tuple[int, ...], n_positions: int) -> np.ndarray:
    """The rows (ascending) whose position is one of ``pos_codes``."""
    wanted = np.zeros(n_positions, dtype=bool)
    wanted[list(pos_codes)] = True
    return np.flatnonzero(wanted[row_pos])


def _bracket_points(value: np.ndarray, bracket: list[tuple[float, float]]) -> np.ndarray:
    """Points of the first bracket whose upper bound is >= the value (the last one above all); 0 if missing."""
    if not bracket:
        return np.zeros(value.shape)
    uppers = np.array([u for u, _ in bracket])
    pts = np.array([p for _, p in bracket])
    idx = np.minimum(np.searchsorted(uppers, value, side="left"), len(bracket) - 1)
    return np.where(np.isnan(value), 0.0, pts[idx])
