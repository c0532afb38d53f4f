"""Parse the TRANSACTIONS tab (vectorised): one row per transaction line, or a QA row saying why not.

Columns: Time Frame → season, period ("rookie_draft", "offseason", "faad", "preseason", "regular_season") and
week; From/To/Original Order → franchise ids through dim_franchise owner names (season-aware when a name was
used by more than one franchise; "Waiver Wire" and "-" are not franchises); Contract "total/years"; Split
"a-b-c" → per-year amounts; RFA Matched, FAAD Comp, Type, Sort. Lines that move a draft pick or cap space keep
the pick round/number or the amount (Split) and an ``asset_type``.

Dropped to QA: blank lines, an unparsable Time Frame, Contract, Split, Round, Pick or Sort, an owner name not in
dim_franchise, an unknown Type. A split that does not sum to the contract total is kept (extensions and traded
contracts show the remaining years) and marked ``split_matches_contract = false``.

Speed (the benchmark's target is twice the time of reading the raw files): on a few thousand rows every Polars
string operation or regex pass costs 0.05–0.5 ms, and a join several times that. Time Frame (about 140 distinct
values feeding four columns) and From/To/Original Order (about 20 each, owner names looked up in a dict) are
parsed once per distinct cell in Python (the regexes mirror the Rust ones exactly: Rust's ``$`` is the end of the
text) into small lookup tables, which are gathered back onto the lines by each cell's code in an ``Enum`` of the
column's distinct cells: no joins. The rest is one lazy plan (cleaning, gathers, checks, output) collected into
one result, every line with the index of its first failed check; the few bad lines are split off afterwards
(asking for them as a second result makes Polars cache the whole shared plan) and their QA reasons and texts are
formatted in Python. Parsing Contract, Split, Position, Type or RFA per distinct cell as well was measured and is
no faster (each lookup costs a column in the distinct pass, an Enum cast and gathers), and so was running the
Contract and Split regexes on the distinct cells in Polars. Building the plan (``plan_transactions``) is apart
from collecting it, so the whole-sheet parse collects it in another thread while the GM tabs are parsed. Measured
stage by stage on the real tab; see bench/bench_sheets_parse.py.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

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

# The checks in the order they are tried (a bad line's QA reason is its first failed check): reason template and
# the column whose text fills it. A check is either a lookup's ``_fail_<column>`` (its index where the distinct
# cell fails it) or a per-line expression (``_LINE_CHECKS``, and the Type check).
CHECKS: tuple[tuple[str, str], ...] = (
    ("Time Frame {} is not '<season> <Rookie Draft|Offseason|FAAD|Preseason Week n|Week n>'", TIME_FRAME),
    ("Contract {} is not '<total>/<years>'", CONTRACT),
    ("Split {} is not '<amount>-<amount>-…'", SPLIT),
    ("Round {} is not a number", ROUND),
    ("Pick {} is not a number or TBD", PICK),
    ("Sort {} is not a number", SORT),
    ("From {} is not an owner in dim_franchise", FROM),
    ("To {} is not an owner in dim_franchise", TO),
    ("Type {} is not one of the known types", TYPE),
)
_CHECK = {col: i for i, (_, col) in enumerate(CHECKS)}
_FAIL = pl.Int8


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


def _fail_if(condition: pl.Expr, column: str) -> pl.Expr:
    """The column's check index where ``condition`` holds, else null."""
    return pl.when(condition).then(pl.lit(_CHECK[column], dtype=_FAIL))


# -- lookup tables: one row per distinct cell (row i ↔ Enum code i; the last row ↔ a null cell) ------------------
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


def _time_frame_table(cells: list[str | None], owners: OwnerTable) -> list[pl.Series]:
    """Time Frame: season, period, week, trade deadline, and the check an unparsable one fails."""
    texts = [text or "" for text in cells]
    season, period, week, deadline = zip(*map(_time_frame, texts), strict=True)
    failed = [_CHECK[TIME_FRAME] if s is None or p is None else None for s, p in zip(season, period, strict=True)]
    return [pl.Series("time_frame", texts, pl.String), pl.Series("season", season, pl.Int32),
            pl.Series("period", period, pl.String), pl.Series("week", week, pl.Int32),
            pl.Series("is_trade_deadline", deadline, pl.Boolean), pl.Series(f"_fail_{TIME_FRAME}", failed, _FAIL)]


def _owner_table(side: str, column: str) -> Callable[[list[str | None], OwnerTable], list[pl.Series]]:
    """From/To: franchise id, kind, the lower-cased name (for shared names) and the check a non-franchise fails."""
    def table(cells: list[str | None], owners: OwnerTable) -> list[pl.Series]:
        keys = [strip_like_polars(text).lower() for text in cells]
        ids = [owners.unique.get(k) for k in keys]
        kinds = ["waiver_wire" if k == "waiver wire" else "franchise" if f else None
                 for k, f in zip(keys, ids, strict=True)]
        failed = [_CHECK[column] if f is None and k not in NOT_A_FRANCHISE else None
                  for k, f in zip(keys, ids, strict=True)]
        return [pl.Series(f"{side}_franchise_id", ids, pl.String), pl.Series(f"{side}_kind", kinds, pl.String),
                pl.Series(f"_key_{column}", keys, pl.String), pl.Series(f"_fail_{column}", failed, _FAIL)]
    return table


def _original_table(cells: list[str | None], owners: OwnerTable) -> list[pl.Series]:
    """Original Order "James via Chip" → the franchise of James, and the text itself unless it is a dash."""
    texts = [strip_like_polars(text) for text in cells]
    keys = [_VIA.sub("", text.lower(), count=1) for text in texts]
    return [pl.Series("original_franchise_id", [owners.unique.get(k) for k in keys], pl.String),
            pl.Series(f"_key_{ORIGINAL}", keys, pl.String),
            pl.Series("original_order_text", [None if t in _DASH else t for t in texts], pl.String)]


# column → its lookup table (one Series per field), built from the distinct cells followed by a null
_LOOKUPS: dict[str, Callable[[list[str | None], OwnerTable], list[pl.Series]]] = {
    TIME_FRAME: _time_frame_table, FROM: _owner_table("from", FROM), TO: _owner_table("to", TO),
    ORIGINAL: _original_table}


def _lookups(raw: pl.DataFrame, owners: OwnerTable) -> list[list[pl.Expr]]:
    """Each lookup column's code in an Enum of its distinct cells, then each table column gathered onto the lines
    by that code. The ``_key_*`` columns are only kept to map names several franchises used."""
    distinct = raw.select(pl.col(c).unique().drop_nulls().implode() for c in _LOOKUPS).row(0)
    codes, gathered = [], []
    for column, categories in zip(_LOOKUPS, distinct, strict=True):
        table = _LOOKUPS[column]([*categories, None], owners)
        code = f"_code_{column}"
        codes.append(pl.col(column).cast(pl.Enum(categories)).to_physical().fill_null(len(categories)).alias(code))
        gathered.extend(pl.lit(values).gather(pl.col(code)) for values in table
                        if owners.by_season.height or not values.name.startswith("_key_"))
    return [codes, gathered]


# -- per line ----------------------------------------------------------------------------------------------------
def _is_dash(column: str) -> pl.Expr:
    """The cell is "-" or "" (two comparisons: cheaper than ``is_in`` on a column of strings)."""
    return (pl.col(column) == "-") | (pl.col(column) == "")


# The cells per-line checks and outputs read, cleaned ("" for a null; name columns stripped) where a null would
# read differently from "". (A null Round, Contract, Split or FAAD Comp makes its check null, that is passed, and
# its output null, as "" does.) The other columns feed the lookups (which clean their distinct cells) and the QA
# text of bad lines (cleaned in Python).
_CLEANED = (PICK, POSITION, PLAYER, RFA, TYPE)
_CLEAN = [*[(cell(c) if c in _STRIPPED else pl.col(c).fill_null("")).alias(c) for c in _CLEANED],
          # a null cell casts to null just as "" does, so the numbers need no cleaned copy first
          pl.col(ROUND).cast(pl.Int32, strict=False).alias("round"),
          pl.col(PICK).cast(pl.Int32, strict=False).alias("pick"),
          pl.col(SORT).str.replace_all(",", "", literal=True).cast(pl.Int64, strict=False).alias("sort_order"),
          # one regex pass for both numbers of "total/years" (a null cell parses like "": to nulls)
          pl.col(CONTRACT).str.extract_groups(r"^(?<contract_total>[0-9]+) */ *(?<contract_years>[0-9]+)$")
          .cast(pl.Struct({"contract_total": pl.Int64, "contract_years": pl.Int32}), strict=False).struct.unnest(),
          pl.when(pl.col(SPLIT).str.contains(r"^[0-9]+(?:-[0-9]+)*$"))
          .then(pl.col(SPLIT).str.split("-").cast(pl.List(pl.Int64))).alias("split")]


def _clean(column: str, text: str | None) -> str:
    """One cell as the checks see it, in Python (idempotent: cleaning a cleaned cell changes nothing)."""
    return strip_like_polars(text) if column in _STRIPPED else text or ""


# The checks not decided per distinct cell, as ``_fail_<column>`` columns, built once (each expression operator
# costs microseconds to build; only the Type check, which depends on the configured types, is built per call).
_LINE_CHECKS = [
    _fail_if(~_is_dash(CONTRACT) & pl.col("contract_total").is_null(), CONTRACT).alias(f"_fail_{CONTRACT}"),
    _fail_if(~_is_dash(SPLIT) & pl.col("split").is_null(), SPLIT).alias(f"_fail_{SPLIT}"),
    _fail_if(~_is_dash(ROUND) & pl.col("round").is_null(), ROUND).alias(f"_fail_{ROUND}"),
    _fail_if(~_is_dash(PICK) & (pl.col(PICK) != "TBD") & pl.col("pick").is_null(), PICK).alias(f"_fail_{PICK}"),
    _fail_if(pl.col("sort_order").is_null(), SORT).alias(f"_fail_{SORT}")]
# a line's first failed check (null for a good line): the smallest failed index
_FIRST_FAILED = pl.min_horizontal(f"_fail_{col}" for _, col in CHECKS).alias("_why")


def _qa(bad: pl.DataFrame) -> pl.DataFrame:
    """One QA row per bad line (tab, row_number, _why, A…N), the reason being its first failed check (few rows:
    built in Python)."""
    rows = []
    for tab, number, why, *raw in bad.iter_rows():
        cells = [_clean(c, v) for c, v in zip(TRANSACTION_COLUMNS, raw, strict=True)]
        template, col = CHECKS[why]
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
    "time_frame", "season", "period", "week", "is_trade_deadline",
    pl.col(TYPE).alias("transaction_type"),
    "from_kind", "from_franchise_id", "to_kind", "to_franchise_id", "original_franchise_id",
    "original_order_text",
    "round", "pick", (pl.col(PICK) == "TBD").alias("pick_tbd"),
    pl.when(~_is_dash(POSITION)).then(pl.col(POSITION).str.to_uppercase()).alias("position"),
    pl.when(~_is_dash(PLAYER)).then(pl.col(PLAYER)).alias("asset_name"),
    _asset_type().alias("asset_type"),
    "contract_total", "contract_years", "split",
    _SPLIT_SUM.alias("split_total"),
    pl.when(pl.col("contract_total").is_not_null() & pl.col("split").is_not_null())
    .then((_SPLIT_SUM == pl.col("contract_total"))
          & (pl.col("split").list.len() == pl.col("contract_years"))).alias("split_matches_contract"),
    pl.col(RFA).is_in(_YES).alias("rfa_matched"),
    pl.when(~pl.col(RFA).is_in([*_YES, "-", ""])).then(pl.col(RFA)).alias("rfa_note"),
    pl.when(~_is_dash(FAAD)).then(pl.col(FAAD)).alias("faad_compensation"),
]


def parse_transactions(raw: pl.DataFrame, owners: OwnerTable, known_types: list[str]) -> tuple[pl.DataFrame,
                                                                                                pl.DataFrame]:
    """``raw``: the TRANSACTIONS tab's raw rows without the header row. Returns (transactions, qa)."""
    return finish_transactions(raw, plan_transactions(raw, owners, known_types).collect(engine="in-memory"))


def plan_transactions(raw: pl.DataFrame, owners: OwnerTable, known_types: list[str]) -> pl.LazyFrame:
    """The lazy plan of every line's outputs and first failed check (``_why``). Apart from collecting it, so that
    the caller can collect it in another thread (Polars releases the GIL) while Python parses the GM tabs."""
    codes, gathered = _lookups(raw, owners)
    lines = raw.lazy().with_columns(*codes, *_CLEAN).with_columns(gathered)
    if owners.by_season.height:
        lines = _map_shared_owners(lines, owners)
    type_check = _fail_if(~pl.col(TYPE).is_in(known_types), TYPE).alias(f"_fail_{TYPE}")
    lines = lines.with_columns(*_LINE_CHECKS, type_check).with_columns(_FIRST_FAILED)
    # One result, every line with its first failed check: a second result for the bad lines would make Polars
    # cache the whole shared plan (about a millisecond). Instead the bad lines are moved to the end (a stable sort,
    # in the plan: when collected in another thread, off the critical path) with their position in ``raw``, so
    # finish_transactions splits them off with slices rather than a filter.
    return lines.select(*_OUTPUT, "_why", pl.int_range(pl.len(), dtype=pl.UInt32).alias("_pos")).sort(
        pl.col("_why").is_not_null(), maintain_order=True)


def finish_transactions(raw: pl.DataFrame, out: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The collected plan (good lines first, then the bad ones) → (transactions, qa): the bad lines split off
    into QA rows."""
    good = out.get_column("_why").null_count()  # a good line has no failed check
    bad = out.slice(good)
    bad_lines = raw.select("tab", "row_number", *TRANSACTION_COLUMNS)[bad.get_column("_pos")].insert_column(
        2, bad.get_column("_why"))
    out = out.head(good).drop("_why", "_pos")
    if not out.get_column("sort_order").is_sorted(descending=True):  # the sheet is kept sorted: usually no-op
        out = out.sort("sort_order", descending=True, maintain_order=True)
    return out, _qa(bad_lines)


def _map_shared_owners(t: pl.LazyFrame, owners: OwnerTable) -> pl.LazyFrame:
    """Names several franchises used → the franchise whose seasons cover the line's season; then the owner checks
    again, since such a name is only a franchise in some seasons."""
    for key_col, out, kind in ((f"_key_{FROM}", "from_franchise_id", "from_kind"),
                               (f"_key_{TO}", "to_franchise_id", "to_kind"),
                               (f"_key_{ORIGINAL}", "original_franchise_id", None)):
        hits = t.select("row_number", key_col, "season").join(
            owners.by_season.lazy(), left_on=key_col, right_on="owner_key").filter(
            (pl.col("season") >= pl.col("season_start")) & (pl.col("season") <= pl.col("season_end"))) \
            .group_by("row_number").agg(pl.col("franchise_id").first().alias("_fid"))
        t = t.join(hits, on="row_number", how="left", maintain_order="left").with_columns(
            pl.coalesce(out, "_fid").alias(out)).drop("_fid")
        if kind:
            t = t.with_columns(pl.when(pl.col(key_col) == "waiver wire").then(pl.lit("waiver_wire"))
                               .when(pl.col(out).is_not_null()).then(pl.lit("franchise")).alias(kind))
    return t.with_columns(
        _fail_if(~pl.col(f"_key_{col}").is_in(NOT_A_FRANCHISE) & pl.col(f"{side}_franchise_id").is_null(), col)
        .alias(f"_fail_{col}") for col, side in ((FROM, "from"), (TO, "to")))
