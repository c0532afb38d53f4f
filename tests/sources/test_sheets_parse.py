"""Parse step on the 9 real GM tabs + the real TRANSACTIONS tab, and on broken copies of them."""

from __future__ import annotations

import copy
import threading

import polars as pl
import pytest

from ff_analytics.errors import SnapshotError, SourceError
from ff_analytics.replay.sheets import load_recorded_spreadsheet
from ff_analytics.settings import get_settings
from ff_analytics.snapshots.store import SnapshotStore
from ff_analytics.sources.sheets.grid import grid_to_frame, tab_file_name
from ff_analytics.sources.sheets.layout import TRANSACTION_COLUMNS
from ff_analytics.sources.sheets.parse import PARSED_DATASETS, parse_league_sheet
from ff_analytics.sources.sheets.parse_common import strip_like_polars
from ff_analytics.sources.sheets.parse_transactions import OwnerTable, parse_transactions
from ff_analytics.sources.sheets.pii import redact_grid


@pytest.fixture(autouse=True)
def recorded_tabs_only(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("FFA_SHEETS_EXCLUDED_TABS", "McCreary,Piper,TJ")
    get_settings.cache_clear()


@pytest.fixture(scope="module")
def recorded() -> dict[str, list[list[str]]]:
    return load_recorded_spreadsheet().tabs


def write_raw(grids: dict[str, list[list[str]]], dt: str = "2025-10-01") -> SnapshotStore:
    """A raw_tabs snapshot as the copy step writes it (PII redacted, one file per tab)."""
    store = SnapshotStore()
    store.write("sheets", "raw_tabs", {tab_file_name(t): grid_to_frame(t, redact_grid(g)[0]) for t, g in grids.items()},
                dt=dt)
    return store


def tables(store: SnapshotStore, dt: str = "2025-10-01") -> dict[str, pl.DataFrame]:
    return {d: store.read("sheets", d, dt) for d in PARSED_DATASETS}


def test_every_row_is_parsed_or_in_qa_and_totals_reconcile(recorded):
    store = write_raw(recorded)
    results = parse_league_sheet()
    assert [r.dataset for r in results] == list(PARSED_DATASETS)
    assert all(r.status == "new" and r.dt.isoformat() == "2025-10-01" for r in results)
    t = tables(store)
    qa = t["parse_qa"]

    # Roster rows: every slot row with a player or an amount is a contract, or a QA row saying why not.
    for tab, grid in recorded.items():
        if tab == "TRANSACTIONS":
            continue
        roster_rows = {i + 1 for i, r in enumerate(grid) if i >= 4 and (r[1].strip() or any(
            c.strip() not in ("", "$0") for c in r[2:8]))}
        parsed = set(t["contracts_active"].filter(pl.col("gm_tab") == tab)["sheet_row"].to_list())
        dropped = set(qa.filter((pl.col("tab") == tab) & (pl.col("dataset") == "contracts_active")
                                & (pl.col("action") == "dropped"))["sheet_row"].to_list())
        assert roster_rows == parsed | dropped, tab
        cut_rows = {i + 1 for i, r in enumerate(grid) if i >= 4 and r[12].strip()}
        assert cut_rows == set(t["contracts_cut"].filter(pl.col("gm_tab") == tab)["sheet_row"].to_list()), tab

    # Transactions: every line parsed or in QA; QA under 1%.
    tx_qa = qa.filter(pl.col("dataset") == "transactions")
    assert t["transactions"].height + tx_qa.height == 3912
    assert tx_qa.height / 3912 < 0.01
    assert set(t["transactions"]["sheet_row"]).isdisjoint(tx_qa["sheet_row"])
    assert sorted(tx_qa["reason"].to_list()) == [
        "Contract 4.4 is not '<total>/<years>'", "Split Weekly is not '<amount>-<amount>-…'",
        "To Nick is not an owner in dim_franchise", "To Nick is not an owner in dim_franchise"]

    # Totals reconcile: season salaries = Total, and cap − active − dead + traded = the sheet's available cap.
    assert t["contracts_active"]["total_matches"].all() and t["contracts_cut"]["total_matches"].all()
    per_contract = t["contracts_active"].group_by("gm_tab", "sheet_row").agg(
        pl.col("salary").sum(), pl.col("contract_total").first())
    assert (per_contract["salary"] == per_contract["contract_total"]).all()
    cap = t["cap_space"]
    assert cap.height == 9 * 5 and cap["reconciles"].all()
    assert (cap["salary_cap"] - cap["active_salary"] - cap["dead_cap"] + cap["traded_cap"]
            == cap["available_cap"]).all()
    assert (cap["cut_contracts_dead_cap"] == cap["dead_cap"]).all()
    assert not qa.filter(pl.col("action") == "flagged").height


def test_parsed_values(recorded):
    store = write_raw(recorded)
    parse_league_sheet()
    t = tables(store)
    cmc = t["contracts_active"].filter(pl.col("player_name") == "Christian McCaffrey").row(0, named=True)
    assert (cmc["franchise_id"], cmc["season"], cmc["salary"], cmc["contract_total"], cmc["rfa"],
            cmc["franchise_tag"], cmc["position"]) == ("F003", 2025, 52, 52, True, True, "RB")
    ward = t["contracts_active"].filter(pl.col("player_name") == "Cam Ward")
    assert ward["rookie_status"].all() and ward["roster_slot"].to_list() == ["TAXI"] * 3
    andy = t["cap_space"].filter((pl.col("gm_tab") == "Andy") & (pl.col("season") == 2025)).row(0, named=True)
    assert (andy["available_cap"], andy["dead_cap"], andy["traded_cap"]) == (21, 13, 1)
    chip_first = t["draft_picks"].filter((pl.col("listed_on_tab") == "Chip") & (pl.col("sheet_row") == 5))
    assert chip_first.select("franchise_id", "original_franchise_id", "season", "round").row(0) == \
        ("F006", "F004", 2026, 1)
    comp = t["draft_picks"].filter(pl.col("is_compensation")).sort("listed_on_tab").row(0, named=True)
    assert comp["original_franchise_id"] is None and comp["compensation_note"].startswith("comp")
    bryce = t["contracts_cut"].filter(pl.col("player_name") == "Bryce Young")["cut_instance"].unique().sort()
    assert bryce.to_list() == [1, 2]

    tx = t["transactions"]
    pre = tx.filter(pl.col("time_frame") == "2020 Preseason Week 4").row(0, named=True)
    assert (pre["season"], pre["period"], pre["week"]) == (2020, "preseason", 4)
    deadline = tx.filter(pl.col("time_frame") == "2019 Week 13 Deadline").row(0, named=True)
    assert (deadline["period"], deadline["week"], deadline["is_trade_deadline"]) == ("regular_season", 13, True)
    tucker = tx.filter(pl.col("sort_order") == 3910).row(0, named=True)
    assert (tucker["from_kind"], tucker["to_franchise_id"], tucker["contract_total"], tucker["contract_years"],
            tucker["split"], tucker["transaction_type"]) == ("waiver_wire", "F010", 12, 4, [3, 3, 3, 3], "Cut")
    assert tx.filter(pl.col("time_frame").str.starts_with("2019"))["from_franchise_id"].is_in(["F008"]).any()  # 'Jp'
    assert tx.filter(pl.col("original_order_text") == "James via Chip")["original_franchise_id"].to_list() == \
        ["F006", "F006"]
    cap_move = tx.filter(pl.col("asset_type") == "cap_space").row(0, named=True)
    assert cap_move["asset_name"].endswith("Cap Space") and cap_move["split_total"] is not None
    assert tx["sort_order"].is_sorted(descending=True)


def _bad(recorded, tab: str, row: int, col: int, value: str) -> dict[str, list[list[str]]]:
    grids = copy.deepcopy(recorded)
    grids[tab][row - 1][col] = value
    return grids


def _insert_blank(recorded, tab: str, row: int) -> dict[str, list[list[str]]]:
    grids = copy.deepcopy(recorded)
    grids[tab].insert(row - 1, [""] * 31)
    return grids


BAD_INPUTS = {
    "renamed header": (lambda r: _bad(r, "Andy", 4, 1, "Name"),
                       r"tab 'Andy' row 4: cell B4 is 'Name', expected 'Player'; expected header A4:AA4"),
    "non-numeric salary": (lambda r: _bad(r, "Andy", 5, 2, "$1O"), r"tab 'Andy' cell C5 = '\$1O'"),
    "non-numeric cap": (lambda r: _bad(r, "Chip", 3, 2, "six"), r"tab 'Chip' cell C3 = 'six'"),
    "blank row": (lambda r: _insert_blank(r, "Chip", 12), r"blank row inside tab 'Chip' at row 12"),
    "merged title row": (lambda r: _bad(r, "Joe", 1, 12, ""),
                         r"tab 'Joe' row 1: cell M1 is '', expected 'Cut Contracts'"),
    "unknown slot": (lambda r: _bad(r, "Kevin", 7, 0, "SUPERFLEX"), r"tab 'Kevin' cell A7 = 'SUPERFLEX'"),
    "transactions header": (lambda r: _bad(r, "TRANSACTIONS", 1, 8, "Deal"),
                            r"tab 'TRANSACTIONS' row 1: cell I1 is 'Deal', expected 'Contract'"),
    "empty transactions": (lambda r: {**r, "TRANSACTIONS": r["TRANSACTIONS"][:1]},
                           r"tab 'TRANSACTIONS' has 0 transaction rows"),
    "missing tab": (lambda r: {k: v for k, v in r.items() if k != "Gordon"}, r"lacks expected tabs \['Gordon'\]"),
    "too many unparsable transactions": (
        lambda r: {**r, "TRANSACTIONS": [r["TRANSACTIONS"][0]] + [row[:8] + ["x/y"] + row[9:]
                                                                   for row in r["TRANSACTIONS"][1:100]]
                   + r["TRANSACTIONS"][100:]},
        r"TRANSACTIONS rows \(2\.\d%\) could not be parsed"),
}


@pytest.mark.parametrize("case", list(BAD_INPUTS))
def test_bad_input_fails_clearly_and_keeps_the_current_parse(recorded, case):
    store = write_raw(recorded, dt="2025-10-01")
    parse_league_sheet()
    for dataset in PARSED_DATASETS:
        store.registry.promote("sheets", dataset)
    make, message = BAD_INPUTS[case]
    write_raw(make(recorded), dt="2025-10-02")

    with pytest.raises(SourceError, match=message):
        parse_league_sheet()

    for dataset in PARSED_DATASETS:
        assert [d.isoformat() for d in store.partition_dates("sheets", dataset)] == ["2025-10-01"], dataset
        assert store.registry.current("sheets", dataset).snapshot_date == "2025-10-01"


def test_a_gm_tab_error_comes_first_and_no_parse_thread_outlives_the_parse(recorded):
    """TRANSACTIONS is collected in another thread while the GM tabs are parsed: with both broken, the GM tab's
    error is raised (as in a one-after-the-other parse) and the thread has ended."""
    grids = _bad(_bad(recorded, "Andy", 5, 2, "$1O"), "TRANSACTIONS", 1, 8, "Deal")
    write_raw(grids)
    with pytest.raises(SourceError, match=r"tab 'Andy' cell C5 = '\$1O'"):
        parse_league_sheet()
    assert not [t for t in threading.enumerate() if t.name == "sheets-parse-collect"]
    write_raw(_bad(recorded, "TRANSACTIONS", 1, 8, "Deal"), dt="2025-10-02")
    with pytest.raises(SourceError, match=r"cell I1 is 'Deal'"):
        parse_league_sheet()


def test_parse_reads_the_given_or_the_latest_raw_snapshot(recorded):
    store = write_raw(recorded, dt="2025-10-01")
    write_raw(_bad(recorded, "Andy", 5, 2, "$4"), dt="2025-10-02")  # Lawrence 2025 salary changed
    store.registry.promote("sheets", "raw_tabs", "2025-10-01")

    older = parse_league_sheet("2025-10-01")
    assert older[0].manifest.params["raw_dt"] == "2025-10-01"
    assert older[0].dt.isoformat() == "2025-10-01"
    newest = parse_league_sheet()  # the newest pending snapshot, the one copy just wrote
    assert newest[0].dt.isoformat() == "2025-10-02"
    cap = store.read("sheets", "cap_space", "2025-10-02")
    andy = cap.filter((pl.col("gm_tab") == "Andy") & (pl.col("season") == 2025)).row(0, named=True)
    assert not andy["reconciles"]  # the sheet's cap row was not updated with the salary
    qa = store.read("sheets", "parse_qa", "2025-10-02")
    assert qa.filter(pl.col("action") == "flagged").height == 2  # Total column and cap row

    with pytest.raises(SnapshotError, match="no manifest"):
        parse_league_sheet("2025-09-01")


def test_no_raw_snapshot_is_a_clear_error():
    with pytest.raises(SnapshotError, match="run `ffa ingest sheets copy`"):
        parse_league_sheet()


def _transaction_lines(lines: list[list[str]]) -> pl.DataFrame:
    return pl.DataFrame({"tab": ["TRANSACTIONS"] * len(lines), "row_number": list(range(2, 2 + len(lines))),
                         **{c: [line[i] for line in lines] for i, c in enumerate(TRANSACTION_COLUMNS)}},
                        schema_overrides={"row_number": pl.Int32})


def test_transaction_lines_map_shared_owner_names_by_season_and_name_each_qa_reason():
    owners = OwnerTable.from_rows([
        {"owner_key": "joe", "franchise_id": "F007", "season_start": 2012, "season_end": 2018},
        {"owner_key": "joe", "franchise_id": "F010", "season_start": 2019, "season_end": 9999},
        {"owner_key": "chip", "franchise_id": "F004", "season_start": 2012, "season_end": 9999}])
    raw = _transaction_lines([
        ["2015 Week 3", "Joe", "Chip", "Joe via Chip", "1", "4", "rb", "2016 1st Round", "-", "-", "-", "-",
         "Trade", "10"],
        ["2020 Preseason Week 2", "Waiver Wire", "joe ", "-", "-", "-", "WR", "Some Player", "12/3", "4-4-4", "Yes",
         "-", "Signing", "1,200"],
        [""] * 14,
        ["2021 Week 1", "Chip", "Nobody", "-", "-", "-", "QB", "X", "1/1", "1", "no", "-", "Cut", "7"],
        ["2021 Offseason", "Chip", "Joe", "-", "-", "x", "QB", "X", "1/1", "1", "-", "-", "Cut", "8"],
        ["2021 Offseason", "Chip", "Joe", "-", "-", "-", "QB", "X", "1/1", "1", "-", "-", "Swap", "9"],
        ["2021 Offseason", "Chip", "Joe", "-", "-", "TBD", "qb", "2022  Cap Space", "5/1", "5", "-", "-", "Trade",
         "11"],
    ])
    out, qa = parse_transactions(raw, owners, ["Trade", "Cut", "Signing"])

    assert out.select("sort_order", "sheet_row", "from_kind", "from_franchise_id", "to_franchise_id",
                      "original_franchise_id", "asset_type", "rfa_matched", "pick_tbd", "position").rows() == [
        (1200, 3, "waiver_wire", None, "F010", None, "player", True, False, "WR"),  # "joe" in 2020 → F010
        (11, 8, "franchise", "F004", "F010", None, "cap_space", False, True, "QB"),
        (10, 2, "franchise", "F007", "F004", "F007", "draft_pick", False, False, "RB"),  # "Joe" in 2015 → F007
    ]
    assert qa.select("sheet_row", "reason").rows() == [
        (4, "blank row"), (5, "To Nobody is not an owner in dim_franchise"),
        (6, "Pick x is not a number or TBD"), (7, "Type Swap is not one of the known types")]
    assert qa["row_text"][0] == "" and qa["row_text"][1].startswith("A=2021 Week 1 | B=Chip | C=Nobody | D=- |")


def test_python_strip_matches_the_polars_strip_of_cells():
    texts = [f"{chr(c)}x{chr(c)}" for c in range(0x3001)]
    assert [strip_like_polars(t) for t in texts] == pl.Series(texts).str.strip_chars().to_list()
    assert strip_like_polars(None) == ""
