"""Parse the TRANSACTIONS tab (vectorised): one row per transaction line, or a QA row saying why not.

Columns: Time Frame → season, period ("rookie_draft", "offseason", "faad", "preseason", "regular_season") and
week; From/To/Original Order → franchise ids through dim_franchise owner names (season-aware when a name was
used by more than one franchise; "Waiver Wire" and "-" are not franchises); Contract "total/years"; Split
"a-b-c" → per-year amounts; RFA Matched, FAAD Comp, Type, Sort. Lines that move a draft pick or cap space keep
the pick round/number or the amount (Split) and an ``asset_type``.

Dropped to QA: blank lines, an unparsable Time Frame, Contract, Split, Round, Pick or Sort, an owner name not in
dim_franchise, an unknown Type. A split that does not sum to the contract total is kept (extensions and traded
contracts show the remaining years) and marked ``split_matches_contract = false``.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from ff_analytics.sources.sheets.layout import TRANSACTION_COLUMNS
from ff_analytics.sources.sheets.parse_common import cell, qa_rows

DATASET = "transactions"
# Free-typed name columns are stripped; the others are typed-by-format and compared as they are.
_STRIPPED = frozenset({"B", "C", "D", "G", "H", "M"})
NOT_A_FRANCHISE = ("waiver wire", "-", "")
_PERIODS = {"rookie draft": "rookie_draft", "offseason": "offseason", "faad": "faad", "preseason": "preseason",
            "week": "regular_season"}


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


def parse_transactions(raw: pl.DataFrame, owners: OwnerTable, known_types: list[str]) -> tuple[pl.DataFrame,
                                                                                                pl.DataFrame]:
    """``raw``: the TRANSACTIONS tab's raw rows without the header row. Returns (transactions, qa)."""
    (time_frame, from_, to, original, round_, pick, position, player, contract, split, rfa, faad, type_,
     sort) = TRANSACTION_COLUMNS
    dash = ("-", "")
    t = raw.lazy().select(
        "tab", "row_number",
        *[(cell(c) if c in _STRIPPED else pl.col(c).fill_null("")).alias(c) for c in TRANSACTION_COLUMNS],
    ).with_columns(
        pl.col(time_frame).str.extract_groups(r"^([0-9]{4}) +(.*)$").alias("_tf"),
        pl.col(contract).str.extract_groups(r"^([0-9]+) */ *([0-9]+)$").alias("_ct"),
        pl.col(time_frame).str.extract(r"[Ww]eek +([0-9]+)", 1).cast(pl.Int32, strict=False).alias("week"),
        pl.col(time_frame).str.to_lowercase().str.contains("deadline", literal=True).alias("is_trade_deadline"),
        pl.when(pl.col(split).str.contains(r"^[0-9]+(?:-[0-9]+)*$")).then(
            pl.col(split).str.split("-").cast(pl.List(pl.Int64))).alias("split"),
        pl.col(round_).cast(pl.Int32, strict=False).alias("round"),
        pl.col(pick).cast(pl.Int32, strict=False).alias("pick"),
        pl.col(sort).str.replace_all(",", "", literal=True).cast(pl.Int64, strict=False).alias("sort_order"),
        pl.col(from_).str.to_lowercase().alias("_from_key"),
        pl.col(to).str.to_lowercase().alias("_to_key"),
        pl.col(original).str.to_lowercase().str.replace(r" +via .*$", "").alias("_orig_key"),
    ).with_columns(
        pl.col("_tf").struct.field("1").cast(pl.Int32, strict=False).alias("season"),
        pl.col("_tf").struct.field("2").str.to_lowercase().alias("_period_text"),
        pl.col("_ct").struct.field("1").cast(pl.Int64, strict=False).alias("contract_total"),
        pl.col("_ct").struct.field("2").cast(pl.Int32, strict=False).alias("contract_years"),
    )
    period = pl.col("_period_text")
    t = t.with_columns(
        pl.when(period.str.starts_with("preseason")).then(pl.lit("preseason"))
        .when(period.str.starts_with("week")).then(pl.lit("regular_season"))
        .otherwise(period.replace_strict(_PERIODS, default=None, return_dtype=pl.String)).alias("period"),
    )
    t = _map_owners(t, owners)
    checks = [
        (~pl.any_horizontal([pl.col(c) != "" for c in TRANSACTION_COLUMNS]), pl.lit("blank row")),
        (pl.col("season").is_null() | pl.col("period").is_null(),
         pl.format("Time Frame {} is not '<season> <Rookie Draft|Offseason|FAAD|Preseason Week n|Week n>'",
                   pl.col(time_frame))),
        (~pl.col(contract).is_in(dash) & pl.col("contract_total").is_null(),
         pl.format("Contract {} is not '<total>/<years>'", pl.col(contract))),
        (~pl.col(split).is_in(dash) & pl.col("split").is_null(),
         pl.format("Split {} is not '<amount>-<amount>-…'", pl.col(split))),
        (~pl.col(round_).is_in(dash) & pl.col("round").is_null(), pl.format("Round {} is not a number",
                                                                             pl.col(round_))),
        (~pl.col(pick).is_in((*dash, "TBD")) & pl.col("pick").is_null(),
         pl.format("Pick {} is not a number or TBD", pl.col(pick))),
        (pl.col("sort_order").is_null(), pl.format("Sort {} is not a number", pl.col(sort))),
        (~pl.col("_from_key").is_in(NOT_A_FRANCHISE) & pl.col("from_franchise_id").is_null(),
         pl.format("From {} is not an owner in dim_franchise", pl.col(from_))),
        (~pl.col("_to_key").is_in(NOT_A_FRANCHISE) & pl.col("to_franchise_id").is_null(),
         pl.format("To {} is not an owner in dim_franchise", pl.col(to))),
        (~pl.col(type_).is_in(known_types), pl.format("Type {} is not one of the known types", pl.col(type_))),
    ]
    t = t.with_columns(pl.any_horizontal([c for c, _ in checks]).alias("_bad"))
    reason = pl.when(checks[0][0]).then(checks[0][1])
    for cond, text in checks[1:]:
        reason = reason.when(cond).then(text)
    bad = t.filter("_bad")  # reasons are formatted for the few bad rows only
    qa = qa_rows(bad, DATASET, "dropped", reason.otherwise(pl.lit("unparsable")), TRANSACTION_COLUMNS)
    split_sum = pl.col("split").list.sum()
    out = t.filter(~pl.col("_bad")).select(
        pl.col("sort_order"),
        pl.col("row_number").cast(pl.Int32).alias("sheet_row"),
        pl.col(time_frame).alias("time_frame"),
        "season", "period", "week", "is_trade_deadline",
        pl.col(type_).alias("transaction_type"),
        pl.when(pl.col("_from_key") == "waiver wire").then(pl.lit("waiver_wire"))
        .when(pl.col("from_franchise_id").is_not_null()).then(pl.lit("franchise")).alias("from_kind"),
        "from_franchise_id",
        pl.when(pl.col("_to_key") == "waiver wire").then(pl.lit("waiver_wire"))
        .when(pl.col("to_franchise_id").is_not_null()).then(pl.lit("franchise")).alias("to_kind"),
        "to_franchise_id",
        "original_franchise_id",
        pl.when(~pl.col(original).is_in(dash)).then(pl.col(original)).alias("original_order_text"),
        "round", "pick", (pl.col(pick) == "TBD").alias("pick_tbd"),
        pl.when(~pl.col(position).is_in(dash)).then(pl.col(position).str.to_uppercase()).alias("position"),
        pl.when(~pl.col(player).is_in(dash)).then(pl.col(player)).alias("asset_name"),
        _asset_type(player).alias("asset_type"),
        "contract_total", "contract_years", "split",
        split_sum.alias("split_total"),
        pl.when(pl.col("contract_total").is_not_null() & pl.col("split").is_not_null())
        .then((split_sum == pl.col("contract_total"))
              & (pl.col("split").list.len() == pl.col("contract_years"))).alias("split_matches_contract"),
        (pl.col(rfa).str.to_lowercase() == "yes").alias("rfa_matched"),
        pl.when(~pl.col(rfa).str.to_lowercase().is_in(["yes", "-", ""])).then(pl.col(rfa)).alias("rfa_note"),
        pl.when(~pl.col(faad).is_in(dash)).then(pl.col(faad)).alias("faad_compensation"),
    ).sort("sort_order", descending=True)
    out, qa = pl.collect_all([out, qa])
    return out, qa


def _asset_type(player: str) -> pl.Expr:
    """ASCII patterns on the lower-cased name: Unicode classes and word boundaries make Rust regexes much slower."""
    name = pl.col(player).str.to_lowercase()
    return (pl.when(name.str.contains(r"^[0-9]{4} +cap +space$")).then(pl.lit("cap_space"))
            .when(name.str.contains(r"^[0-9]{4} +[0-9]+(?:st|nd|rd|th) +round")).then(pl.lit("draft_pick"))
            .when(name.is_in(["no nomination", "no selection", "-", ""])).then(pl.lit("none"))
            .otherwise(pl.lit("player")))


def _map_owners(t: pl.LazyFrame, owners: OwnerTable) -> pl.LazyFrame:
    """Owner names → franchise ids: by name when the name belongs to one franchise, else by season range."""
    for key_col, out in (("_from_key", "from_franchise_id"), ("_to_key", "to_franchise_id"),
                         ("_orig_key", "original_franchise_id")):
        t = t.with_columns(pl.col(key_col).replace_strict(owners.unique, default=None, return_dtype=pl.String)
                           .alias(out))
        if owners.by_season.height:
            hits = t.select("row_number", key_col, "season").join(
                owners.by_season.lazy(), left_on=key_col, right_on="owner_key").filter(
                (pl.col("season") >= pl.col("season_start")) & (pl.col("season") <= pl.col("season_end"))) \
                .group_by("row_number").agg(pl.col("franchise_id").first().alias("_fid"))
            t = t.join(hits, on="row_number", how="left").with_columns(
                pl.coalesce(out, "_fid").alias(out)).drop("_fid")
    return t
