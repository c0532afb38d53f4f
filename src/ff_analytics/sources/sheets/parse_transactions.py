"""Parse the TRANSACTIONS tab (vectorised): one row per transaction line, or a QA row saying why not.

Columns: Time Frame → season, period ("rookie_draft", "offseason", "faad", "preseason", "regular_season") and
week; From/To/Original Order → franchise ids through dim_franchise owner names (season-aware when a name was
used by more than one franchise; "Waiver Wire" and "-" are not franchises); Contract "total/years"; Split
"a-b-c" → per-year amounts; RFA Matched, FAAD Comp, Type, Sort. Lines that move a draft pick or cap space keep
the pick round/number or the amount (Split) and an ``asset_type``.

Dropped to QA: blank lines, an unparsable Time Frame, Contract, Split, Round, Pick or Sort, an owner name not in
dim_franchise, an unknown Type. A split that does not sum to the contract total is kept (extensions and traded
contracts show the remaining years) and marked ``split_matches_contract = false``.

Speed (the benchmark's target is twice the time of reading the raw files): on a few thousand rows each Polars
string operation or regex pass costs a few hundred microseconds, about as much as a join. Time Frame (about 140
distinct values feeding four columns) and From/To/Original Order (about 500 distinct triples feeding seven) are
parsed once per distinct value in Python and joined back; the Python regexes mirror the Rust ones exactly (Rust's
``$`` is the end of the text, ``.`` stops at a newline). The rest is one cleaning context, then one lazy plan
(joins, checks, output) collected once for both the parsed lines and the few bad ones; QA reasons and row texts
are formatted in Python for the bad lines only. Measured stage by stage on the real tab; see
bench/bench_sheets_parse.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import polars as pl

from ff_analytics.sources.sheets.layout import TRANSACTION_COLUMNS
from ff_analytics.sources.sheets.parse_common import QA_SCHEMA, cell, frame_from_rows, strip_like_polars

DATASET = "transactions"
# Free-typed name columns are stripped; the others are typed-by-format and compared as they are.
_STRIPPED = frozenset({"B", "C", "D", "G", "H", "M"})
NOT_A_FRANCHISE = ("waiver wire", "-", "")
_PERIODS = {"rookie draft": "rookie_draft", "offseason": "offseason", "faad": "faad", "preseason": "preseason",
            "week": "regular_season"}
(TIME_FRAME, FROM, TO, ORIGINAL, ROUND, PICK, POSITION, PLAYER, CONTRACT, SPLIT, RFA, FAAD, TYPE,
 SORT) = TRANSACTION_COLUMNS
_DASH = ("-", "")
_INT32_MAX = 2**31 - 1

# Python twins of the Rust patterns: fullmatch = ^…$ (Rust's $ is the end of the text), \Z likewise.
_TIME_FRAME = re.compile(r"([0-9]{4}) +(.*)")
_WEEK = re.compile(r"[Ww]eek +([0-9]+)")
_VIA = re.compile(r" +via .*\Z")

_CLEAN = [pl.col("tab"), pl.col("row_number"),
          *[(cell(c) if c in _STRIPPED else pl.col(c).fill_null("")).alias(c) for c in TRANSACTION_COLUMNS],
          # a null cell casts to null just as "" does, so the numbers need no cleaned copy first
          pl.col(ROUND).cast(pl.Int32, strict=False).alias("round"),
          pl.col(PICK).cast(pl.Int32, strict=False).alias("pick"),
          pl.col(SORT).str.replace_all(",", "", literal=True).cast(pl.Int64, strict=False).alias("sort_order"),
          # one regex pass for both numbers of "total/years" (a null cell parses like "": to nulls)
          pl.col(CONTRACT).str.extract_groups(r"^(?<contract_total>[0-9]+) */ *(?<contract_years>[0-9]+)$")
          .cast(pl.Struct({"contract_total": pl.Int64, "contract_years": pl.Int32}), strict=False).struct.unnest(),
          pl.when(pl.col(SPLIT).str.contains(r"^[0-9]+(?:-[0-9]+)*$"))
          .then(pl.col(SPLIT).str.split("-").cast(pl.List(pl.Int64))).alias("split")]


@dataclass(frozen=True)
class OwnerTable:
    """Owner names (lower case) → franchise: ``unique`` for names one franchise ever used, ``by_season`` rows
    (owner_key, franchise_id, season_start, season_end) for names several franchises used."""

    unique: dict[str, str]
    by_season: pl.DataFrame

    @classmethod
    def from_rows(cls, rows: list[dict[str, object]]) -> OwnerTable:
        ids: dict[str, set[str]] = {}
        for r in rows:
            ids.setdefault(str(r["owner_key"]), set()).add(str(r["franchise_id"]))
        unique = {k: next(iter(v)) for k, v in ids.items() if len(v) == 1}
        shared = [r for r in rows if str(r["owner_key"]) not in unique]
        return cls(unique, pl.DataFrame(shared, schema={"owner_key": pl.String, "franchise_id": pl.String,
                                                        "season_start": pl.Int32, "season_end": pl.Int32}))


# -- per distinct value (Python) -------------------------------------------------------------------------------
def _int_or_none(digits: str | None, limit: int) -> int | None:
    """A digit string as Polars' non-strict cast gives it: None when absent or out of range."""
    if digits is None:
        return None
    value = int(digits)
    return value if value <= limit else None


def _time_frame(text: str) -> tuple[int | None, str | None, int | None, bool]:
    """"2020 Preseason Week 4" → (season, period, week, is_trade_deadline)."""
    m = _TIME_FRAME.fullmatch(text)
    season, period = None, None
    if m:
        season = int(m.group(1))
        words = m.group(2).lower()
        period = ("preseason" if words.startswith("preseason") else "regular_season" if words.startswith("week")
                  else _PERIODS.get(words))
    week = _WEEK.search(text)
    return season, period, _int_or_none(week.group(1) if week else None, _INT32_MAX), "deadline" in text.lower()


def _owners_by_value(names: pl.DataFrame, owners: OwnerTable) -> pl.DataFrame:
    """Distinct (From, To, Original Order) → lower-cased keys, franchise ids and kinds."""
    out: dict[str, list[Any]] = {}
    for col, side in ((FROM, "from"), (TO, "to"), (ORIGINAL, "orig")):
        cells = names.get_column(col).to_list()
        keys = {c: c.lower() for c in set(cells)}
        if col == ORIGINAL:
            keys = {c: _VIA.sub("", k, count=1) for c, k in keys.items()}
        ids = {c: owners.unique.get(k) for c, k in keys.items()}
        out[col] = cells
        out[f"_{side}_key"] = [keys[c] for c in cells]
        name = "original" if side == "orig" else side
        out[f"{name}_franchise_id"] = [ids[c] for c in cells]
        if side != "orig":
            kinds = {c: "waiver_wire" if keys[c] == "waiver wire" else "franchise" if ids[c] else None for c in keys}
            out[f"{side}_kind"] = [kinds[c] for c in cells]
    return pl.DataFrame({k: out[k] for k in _OWNER_SCHEMA}, schema=_OWNER_SCHEMA)


_TF_SCHEMA = {TIME_FRAME: pl.String, "season": pl.Int32, "period": pl.String, "week": pl.Int32,
              "is_trade_deadline": pl.Boolean}
_OWNER_SCHEMA = {FROM: pl.String, TO: pl.String, ORIGINAL: pl.String, "from_franchise_id": pl.String,
                 "from_kind": pl.String, "_from_key": pl.String, "to_franchise_id": pl.String,
                 "to_kind": pl.String, "_to_key": pl.String, "original_franchise_id": pl.String,
                 "_orig_key": pl.String}


def _distinct_frames(t: pl.DataFrame, owners: OwnerTable) -> list[tuple[list[str], pl.DataFrame]]:
    """(join keys, parsed values) for each group of columns parsed per distinct value."""
    frames = []
    times = t.get_column(TIME_FRAME).unique().to_list()
    frames.append(([TIME_FRAME], pl.DataFrame(
        [times, *(list(c) for c in zip(*map(_time_frame, times), strict=True))] if times else None,
        schema=_TF_SCHEMA, orient="col")))
    frames.append(([FROM, TO, ORIGINAL], _owners_by_value(t.select(FROM, TO, ORIGINAL).unique(), owners)))
    return frames


# -- checks ----------------------------------------------------------------------------------------------------
def _checks(known_types: list[str]) -> list[tuple[pl.Expr, str, str]]:
    """(bad-line condition, QA reason template, column whose text fills the template); first match wins."""
    return [
        (pl.col("season").is_null() | pl.col("period").is_null(),
         "Time Frame {} is not '<season> <Rookie Draft|Offseason|FAAD|Preseason Week n|Week n>'", TIME_FRAME),
        (~pl.col(CONTRACT).is_in(_DASH) & pl.col("contract_total").is_null(),
         "Contract {} is not '<total>/<years>'", CONTRACT),
        (~pl.col(SPLIT).is_in(_DASH) & pl.col("split").is_null(), "Split {} is not '<amount>-<amount>-…'", SPLIT),
        (~pl.col(ROUND).is_in(_DASH) & pl.col("round").is_null(), "Round {} is not a number", ROUND),
        (~pl.col(PICK).is_in((*_DASH, "TBD")) & pl.col("pick").is_null(), "Pick {} is not a number or TBD", PICK),
        (pl.col("sort_order").is_null(), "Sort {} is not a number", SORT),
        (~pl.col("_from_key").is_in(NOT_A_FRANCHISE) & pl.col("from_franchise_id").is_null(),
         "From {} is not an owner in dim_franchise", FROM),
        (~pl.col("_to_key").is_in(NOT_A_FRANCHISE) & pl.col("to_franchise_id").is_null(),
         "To {} is not an owner in dim_franchise", TO),
        (~pl.col(TYPE).is_in(known_types), "Type {} is not one of the known types", TYPE),
    ]


def _first_failed(checks: list[tuple[pl.Expr, str, str]]) -> pl.Expr:
    """Index of a line's first failed check (null for a good line): one pass decides both "bad" and "why"."""
    return pl.coalesce([pl.when(cond).then(pl.lit(i, dtype=pl.Int8)) for i, (cond, _, _) in enumerate(checks)])


def _qa(bad: pl.DataFrame, checks: list[tuple[pl.Expr, str, str]]) -> pl.DataFrame:
    """One QA row per bad line (tab, row_number, _why, A…N), the reason being its first failed check (few rows:
    built in Python)."""
    rows = []
    for tab, number, why, *cells in bad.iter_rows():
        _, template, col = checks[why]
        # a blank line fails the Time Frame check too; it is named here rather than tested on every line
        reason = "blank row" if not any(cells) else template.format(cells[TRANSACTION_COLUMNS.index(col)])
        stripped = [strip_like_polars(c) for c in cells]
        text = " | ".join(f"{c}={v}" for c, v in zip(TRANSACTION_COLUMNS, stripped, strict=True) if v)
        rows.append((tab, number, DATASET, "dropped", reason, text))
    return frame_from_rows(rows, QA_SCHEMA)


def _asset_type() -> pl.Expr:
    """ASCII-only, case-insensitive patterns (``(?i-u)``): the same matches as lower-casing the name first (no
    non-ASCII letter lower-cases into these words), without a lower-cased copy of the column."""
    name = pl.col(PLAYER)
    return (pl.when(name.str.contains(r"(?i-u)^[0-9]{4} +cap +space$")).then(pl.lit("cap_space"))
            .when(name.str.contains(r"(?i-u)^[0-9]{4} +[0-9]+(?:st|nd|rd|th) +round")).then(pl.lit("draft_pick"))
            .when(name.str.contains(r"(?i-u)^(?:no nomination|no selection|-|)$")).then(pl.lit("none"))
            .otherwise(pl.lit("player")))


def _yes_spellings() -> list[str]:
    """Every spelling whose lower case is "yes" (only ASCII letters lower-case to y, e or s)."""
    return [a + b + c for a in "yY" for b in "eE" for c in "sS"]


_YES = _yes_spellings()
_SPLIT_SUM = pl.col("split").list.sum()
_OUTPUT = [
    pl.col("sort_order"),
    pl.col("row_number").cast(pl.Int32).alias("sheet_row"),
    pl.col(TIME_FRAME).alias("time_frame"),
    "season", "period", "week", "is_trade_deadline",
    pl.col(TYPE).alias("transaction_type"),
    "from_kind", "from_franchise_id", "to_kind", "to_franchise_id", "original_franchise_id",
    pl.when(~pl.col(ORIGINAL).is_in(_DASH)).then(pl.col(ORIGINAL)).alias("original_order_text"),
    "round", "pick", (pl.col(PICK) == "TBD").alias("pick_tbd"),
    pl.when(~pl.col(POSITION).is_in(_DASH)).then(pl.col(POSITION).str.to_uppercase()).alias("position"),
    pl.when(~pl.col(PLAYER).is_in(_DASH)).then(pl.col(PLAYER)).alias("asset_name"),
    _asset_type().alias("asset_type"),
    "contract_total", "contract_years", "split",
    _SPLIT_SUM.alias("split_total"),
    pl.when(pl.col("contract_total").is_not_null() & pl.col("split").is_not_null())
    .then((_SPLIT_SUM == pl.col("contract_total"))
          & (pl.col("split").list.len() == pl.col("contract_years"))).alias("split_matches_contract"),
    pl.col(RFA).is_in(_YES).alias("rfa_matched"),
    pl.when(~pl.col(RFA).is_in([*_YES, "-", ""])).then(pl.col(RFA)).alias("rfa_note"),
    pl.when(~pl.col(FAAD).is_in(_DASH)).then(pl.col(FAAD)).alias("faad_compensation"),
]


def parse_transactions(raw: pl.DataFrame, owners: OwnerTable, known_types: list[str]) -> tuple[pl.DataFrame,
                                                                                                pl.DataFrame]:
    """``raw``: the TRANSACTIONS tab's raw rows without the header row. Returns (transactions, qa)."""
    t = raw.select(_CLEAN)
    lines = t.lazy()
    for keys, parsed in _distinct_frames(t, owners):
        lines = lines.join(parsed.lazy(), on=keys, how="left", maintain_order="left", nulls_equal=True)
    if owners.by_season.height:
        lines = _map_shared_owners(lines, owners)
    checks = _checks(known_types)
    lines = lines.with_columns(_first_failed(checks).alias("_why"))
    good = lines.filter(pl.col("_why").is_null()).select(_OUTPUT)
    bad = lines.filter(pl.col("_why").is_not_null()).select("tab", "row_number", "_why", *TRANSACTION_COLUMNS)
    # one plan, two results: the shared part runs once; lazily, only the columns each result needs are filtered
    out, bad_lines = pl.collect_all([good, bad], engine="in-memory")
    if not out.get_column("sort_order").is_sorted(descending=True):  # the sheet is kept sorted: usually no-op
        out = out.sort("sort_order", descending=True, maintain_order=True)
    return out, _qa(bad_lines, checks)


def _map_shared_owners(t: pl.LazyFrame, owners: OwnerTable) -> pl.LazyFrame:
    """Names several franchises used → the franchise whose seasons cover the line's season."""
    for key_col, out, kind in (("_from_key", "from_franchise_id", "from_kind"),
                               ("_to_key", "to_franchise_id", "to_kind"),
                               ("_orig_key", "original_franchise_id", None)):
        hits = t.select("row_number", key_col, "season").join(
            owners.by_season.lazy(), left_on=key_col, right_on="owner_key").filter(
            (pl.col("season") >= pl.col("season_start")) & (pl.col("season") <= pl.col("season_end"))) \
            .group_by("row_number").agg(pl.col("franchise_id").first().alias("_fid"))
        t = t.join(hits, on="row_number", how="left", maintain_order="left").with_columns(
            pl.coalesce(out, "_fid").alias(out)).drop("_fid")
        if kind:
            t = t.with_columns(pl.when(pl.col(key_col) == "waiver wire").then(pl.lit("waiver_wire"))
                               .when(pl.col(out).is_not_null()).then(pl.lit("franchise")).alias(kind))
    return t
