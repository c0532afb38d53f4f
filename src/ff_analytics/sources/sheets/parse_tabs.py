"""Parse all GM tabs: contracts_active, contracts_cut, cap_space, draft_picks (+ their QA rows).

Rules, per row of the body (row 5 on):
- Active roster (A–K): an empty slot (slot label, no player, no salary) is layout, not a contract, and is counted.
  A slot with salary but no player name is a real cap charge: kept (player null) and listed in QA as "kept".
  A player with no salary in any season, or values without a slot label, is dropped and listed in QA.
- Cut contracts (M–T): same rules; the dead cap per season.
- Draft picks (U–AA): rows above the "Draft Pick Acquried" row are the tab owner's own picks ("Traded to X" = X
  owns it now); rows below are picks acquired from the named owner (or compensation picks).
- A money cell that is not an amount ("$1O"), an unknown slot label, a blank row between filled rows, a missing or
  renamed header, a tab with too few or too many rows: the whole parse fails with a message naming the tab,
  row/cell and what was expected.
- Season amounts must sum to the Total column, and per season cap − active − dead + traded must equal the sheet's
  Available Cap Space and the cut contracts must sum to its Dead Cap Space; mismatches are listed in QA as
  "flagged" (the rows are kept) and reported by the governance checks.

Why row-wise Python here and Polars expressions for TRANSACTIONS: a GM tab is a fixed ~37×31 form (12 tabs at
most, a few hundred body rows in all) whose rows mix three blocks with different rules. Measured on the 9 real
tabs, a vectorised Polars version (strip, money casts, explode per block) cost about twice this row pass, and
Polars' own strip of the 31 columns alone costs twice Python's. The row pass also runs while the TRANSACTIONS
plan is collected in another thread (see parse.py). It takes a few milliseconds: the cells come out as column
lists (not ``iter_rows``) stripped with a C-level ``map``; every money text of a tab is parsed once up front
(a sheet repeats a few dozen amounts hundreds of times; the first bad one raises, in sheet order), so the rows
read amounts with plain dict lookups; each block's empty rows are skipped in a comprehension, without a call per
row; the tables are built column-wise.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import chain
from operator import itemgetter
from typing import Any

import polars as pl

from ff_analytics.errors import SourceError
from ff_analytics.sources.sheets.grid import column_index
from ff_analytics.sources.sheets.layout import (
    ACQUIRED_HEADER,
    ACQUIRED_MARKER,
    ACTIVE_SEASONS,
    CAP_ROW,
    CUT_SEASONS,
    FIRST_BODY_ROW,
    GM_COLUMNS,
    GM_HEADERS,
    HEADER_ROW,
    PICK_SEASONS,
    POSITION_SLOTS,
    ROSTER_SLOTS,
    TITLE_ROW,
    check_consecutive,
    check_gm_tab_header,
    check_header_row,
)
from ff_analytics.sources.sheets.parse_common import QA_SCHEMA, frame_from_rows, parse_money
from ff_analytics.sources.sheets.policy import SOURCE

Row = tuple[str, ...]  # one sheet row's 31 stripped cells, A…AE
Grid = list[Row]  # a tab's rows; row i of the list is sheet row i+1
ACTIVE_TEXT = ("A", "B", *ACTIVE_SEASONS, "H", "I", "K")
CUT_TEXT = ("M", "N", *CUT_SEASONS, "T")
PICK_TEXT = ("U", *PICK_SEASONS, "AA")
_IDX = {c: column_index(c) for c in GM_COLUMNS}
_A, _B, _I, _K, _M, _N, _U, _AA = (_IDX[c] for c in ("A", "B", "I", "K", "M", "N", "U", "AA"))
# Money cells (letter, index, dataset) in the order a row-by-row pass meets them: body rows C–H then O–T; the cap
# row season by season (C, O, V, D, P, W, …).
_BODY_MONEY = (*((c, _IDX[c], "contracts_active") for c in (*ACTIVE_SEASONS, "H")),
               *((c, _IDX[c], "contracts_cut") for c in (*CUT_SEASONS, "T")))
_CAP_MONEY = tuple((c, _IDX[c], "cap_space") for trio in zip(ACTIVE_SEASONS, CUT_SEASONS, PICK_SEASONS, strict=True)
                   for c in trio)
_BODY_MONEY_TEXTS = itemgetter(*(i for _, i, _ in _BODY_MONEY))
_CAP_MONEY_TEXTS = itemgetter(*(i for _, i, _ in _CAP_MONEY))
_ACTIVE_AMOUNTS = itemgetter(*(_IDX[c] for c in (*ACTIVE_SEASONS, "H")))  # seasons, then the Total column
_CUT_AMOUNTS = itemgetter(*(_IDX[c] for c in (*CUT_SEASONS, "T")))
_PICK_IDX = tuple(_IDX[c] for c in PICK_SEASONS)
# A row's cells of one block, fetched at C speed: when all are empty the block has nothing to parse.
_PICK_CELLS = itemgetter(*(_IDX[c] for c in PICK_TEXT))
_ACTIVE_SEASON_TEXTS = itemgetter(*(_IDX[c] for c in ACTIVE_SEASONS))
_CUT_SEASON_TEXTS = itemgetter(*(_IDX[c] for c in CUT_SEASONS))
_SUFFIX = re.compile(r"\s*\((?:RS|x\d+)\)\s*$")
_CUT_INSTANCE = re.compile(r"\(x(\d+)\)\s*$")
_TRADED_TO = re.compile(r"(?i)^traded to\s+(.+)$")
_COMPENSATION = re.compile(r"(?i)^comp(?:ensation)?\b")
_SLOTS = frozenset(ROSTER_SLOTS)
_POSITIONS = frozenset(POSITION_SLOTS)

ACTIVE_SCHEMA = {"franchise_id": pl.String, "gm_tab": pl.String, "sheet_row": pl.Int32, "roster_slot": pl.String,
                 "position": pl.String, "player_name": pl.String, "rookie_status": pl.Boolean, "season": pl.Int32,
                 "salary": pl.Int64, "contract_total": pl.Int64, "rfa": pl.Boolean, "franchise_tag": pl.Boolean,
                 "total_matches": pl.Boolean}
CUT_SCHEMA = {"franchise_id": pl.String, "gm_tab": pl.String, "sheet_row": pl.Int32, "player_name": pl.String,
              "position": pl.String, "cut_instance": pl.Int32, "season": pl.Int32, "dead_cap": pl.Int64,
              "dead_cap_total": pl.Int64, "total_matches": pl.Boolean}
CAP_SCHEMA = {"franchise_id": pl.String, "gm_tab": pl.String, "season": pl.Int32, "available_cap": pl.Int64,
              "dead_cap": pl.Int64, "traded_cap": pl.Int64, "active_salary": pl.Int64,
              "cut_contracts_dead_cap": pl.Int64, "salary_cap": pl.Int64, "available_cap_computed": pl.Int64,
              "reconciles": pl.Boolean}
PICK_SCHEMA = {"franchise_id": pl.String, "owner_name": pl.String, "original_franchise_id": pl.String,
               "original_owner_name": pl.String, "season": pl.Int32, "round": pl.Int32, "conditions": pl.String,
               "is_compensation": pl.Boolean, "compensation_note": pl.String, "listed_on_tab": pl.String,
               "listed_in": pl.String, "sheet_row": pl.Int32}


@dataclass
class GmTables:
    contracts_active: pl.DataFrame
    contracts_cut: pl.DataFrame
    cap_space: pl.DataFrame
    draft_picks: pl.DataFrame
    qa: pl.DataFrame
    empty_roster_slots: int
    tabs: list[str]


@dataclass(frozen=True)
class GmContext:
    franchise_by_tab: dict[str, str]
    owner_franchise: dict[str, str]  # lower-cased owner name → franchise_id (current owners)
    salary_cap: int
    min_rows: int
    max_rows: int


@dataclass
class _Out:
    active: list[tuple[Any, ...]] = field(default_factory=list)
    cut: list[tuple[Any, ...]] = field(default_factory=list)
    cap: list[tuple[Any, ...]] = field(default_factory=list)
    picks: list[tuple[Any, ...]] = field(default_factory=list)
    qa: list[tuple[Any, ...]] = field(default_factory=list)
    empty_slots: int = 0
    # money text → amount ("" → None), every money cell parsed once up front: a sheet repeats a few dozen amounts
    # hundreds of times, and the row passes then read amounts with plain lookups
    amounts: dict[str, int | None] = field(default_factory=lambda: {"": None})

    def add_qa(self, tab: str, row: int, dataset: str, action: str, reason: str, cells: Row,
               columns: tuple[str, ...]) -> None:
        text = " | ".join(f"{c}={cells[_IDX[c]]}" for c in columns if cells[_IDX[c]])
        self.qa.append((tab, row, dataset, action, reason, text))


def _parse_amounts(tab: str, grid: Grid, amounts: dict[str, int | None]) -> None:
    """Add the tab's money texts to ``amounts``; a text that is not an amount ("$1O") raises, naming the first such
    cell in sheet order (body rows C–H, O–T, then the cap row)."""
    texts = set(chain.from_iterable(map(_BODY_MONEY_TEXTS, grid[FIRST_BODY_ROW - 1:])))
    texts.update(_CAP_MONEY_TEXTS(grid[CAP_ROW - 1]))
    bad = set()
    for text in texts.difference(amounts):
        value = parse_money(text)
        if value is None:
            bad.add(text)
        amounts[text] = value
    if bad:
        cells = [(number, c, i, dataset) for number in range(FIRST_BODY_ROW, len(grid) + 1)
                 for c, i, dataset in _BODY_MONEY] + [(CAP_ROW, c, i, dataset) for c, i, dataset in _CAP_MONEY]
        number, col, i, dataset = next(cell for cell in cells if grid[cell[0] - 1][cell[2]] in bad)
        raise SourceError(f"non-numeric amount in tab {tab!r} cell {col}{number} = {grid[number - 1][i]!r} "
                          "(expected an amount like '$52')", source=SOURCE, dataset=dataset)


def parse_gm_tabs(gm: pl.DataFrame, ctx: GmContext) -> GmTables:
    """``gm``: raw frames of every GM tab concatenated (tab, row_number, A…AE). Validates, then builds the tables."""
    grids = _grids(gm)
    tabs = sorted(grids)
    if not tabs:
        raise SourceError("no GM tabs to parse", source=SOURCE, dataset="contracts_active")
    layouts = {tab: _check_tab(tab, grids[tab], ctx) for tab in tabs}
    seasons_seen = {(tuple(s), tuple(p)) for s, p, _ in layouts.values()}
    if len(seasons_seen) > 1:
        raise SourceError(f"GM tabs disagree on seasons: {sorted(seasons_seen)}", source=SOURCE,
                          dataset="contracts_active")
    out = _Out()
    for tab in tabs:
        seasons, pick_seasons, marker = layouts[tab]
        _parse_amounts(tab, grids[tab], out.amounts)
        _parse_tab(tab, grids[tab], seasons, pick_seasons, marker, ctx, out)
    return GmTables(
        contracts_active=frame_from_rows(out.active, ACTIVE_SCHEMA), contracts_cut=frame_from_rows(out.cut, CUT_SCHEMA),
        cap_space=frame_from_rows(out.cap, CAP_SCHEMA), draft_picks=frame_from_rows(out.picks, PICK_SCHEMA),
        qa=frame_from_rows(out.qa, QA_SCHEMA), empty_roster_slots=out.empty_slots, tabs=tabs)


def _stripped(column: pl.Series) -> list[str]:
    """A column's cells stripped, "" for a null: ``str.strip`` mapped at C speed when the column has no null."""
    values = column.to_list()
    return [c.strip() if c else "" for c in values] if column.has_nulls() else list(map(str.strip, values))


def _grids(gm: pl.DataFrame) -> dict[str, Grid]:
    """tab → rows of 31 stripped cell strings, in sheet-row order (row i of the list is sheet row i+1). Built
    column by column (cheaper than ``iter_rows``) and zipped into row tuples."""
    present = [c for c in GM_COLUMNS if c in gm.columns]
    width = len(GM_COLUMNS)
    pad = ("",) * (width - len(present))
    cells = list(zip(*(_stripped(gm.get_column(c)) for c in present), strict=True)) if present else [()] * gm.height
    grids: dict[str, dict[int, Row]] = {}
    for tab, number, row in zip(gm.get_column("tab").to_list(), gm.get_column("row_number").to_list(), cells,
                                strict=True):
        grids.setdefault(tab, {})[number] = row + pad if pad else row
    blank = ("",) * width
    return {tab: [rows.get(i, blank) for i in range(1, max(rows) + 1)] for tab, rows in grids.items()}


# -- validation ----------------------------------------------------------------------------------------------------
def _cells(row: Row) -> dict[str, str]:
    return {c: row[i] for c, i in _IDX.items()}


def _check_tab(tab: str, grid: Grid, ctx: GmContext) -> tuple[list[int], list[int], int]:
    """Row-count bounds, header rows 1/3/4, the acquired-picks marker, blank rows, slot labels, money cells."""
    if not ctx.min_rows <= len(grid) <= ctx.max_rows:
        raise SourceError(f"tab {tab!r} has {len(grid)} rows, expected {ctx.min_rows}–{ctx.max_rows} "
                          "(has the sheet's layout changed?)", source=SOURCE, dataset="contracts_active")
    header = {r: _cells(grid[r - 1]) for r in (TITLE_ROW, CAP_ROW, HEADER_ROW)}
    found = check_gm_tab_header(tab, header, "contracts_active")
    u, slot = _IDX["U"], _IDX["A"]
    markers = [i + 1 for i in range(FIRST_BODY_ROW - 1, len(grid))
               if grid[i][u] and ACQUIRED_MARKER.match(grid[i][u])]
    if len(markers) != 1:
        raise SourceError(f"tab {tab!r}: expected exactly one 'Draft Pick Acquried' row in column U (rows "
                          f"{FIRST_BODY_ROW}+), found {len(markers)} at rows {markers}", source=SOURCE,
                          dataset="draft_picks")
    marker = markers[0]
    marker_seasons = check_header_row(tab, marker, _cells(grid[marker - 1]), ACQUIRED_HEADER, "draft_picks")
    check_consecutive(tab, marker, marker_seasons, PICK_SEASONS, "draft_picks")
    if marker_seasons != found["picks"]:
        raise SourceError(f"tab {tab!r} row {marker}: acquired-pick seasons {marker_seasons} differ from row "
                          f"{HEADER_ROW}'s {found['picks']}", source=SOURCE, dataset="draft_picks")
    for number in range(FIRST_BODY_ROW, len(grid) + 1):
        row = grid[number - 1]
        if not any(row):
            raise SourceError(f"blank row inside tab {tab!r} at row {number}: a merged or inserted row shifts the "
                              f"layout; expected one roster/cut/pick row per line from row {FIRST_BODY_ROW}",
                              source=SOURCE, dataset="contracts_active")
        if row[slot] and row[slot].upper() not in _SLOTS:
            raise SourceError(f"tab {tab!r} cell A{number} = {row[slot]!r} is not a roster slot; expected one of "
                              f"{list(ROSTER_SLOTS)} under header A{HEADER_ROW} {GM_HEADERS[HEADER_ROW]['A']!r}",
                              source=SOURCE, dataset="contracts_active")
    return found["active"], found["picks"], marker


# -- one tab -------------------------------------------------------------------------------------------------------
def _parse_tab(tab: str, grid: Grid, seasons: list[int], pick_seasons: list[int], marker: int,
               ctx: GmContext, out: _Out) -> None:
    """One tab's body, block by block: each block's empty rows are skipped in one comprehension (no call per
    row); the QA rows are then put in sheet order (row, then block), as a row-by-row pass lists them.

    An active row with no player, no season amount and no RFA/tag mark is an empty slot (a Total alone does not
    make a contract); a cut row with no player, position or season amount is empty."""
    franchise = ctx.franchise_by_tab.get(tab)
    body = list(enumerate(grid[FIRST_BODY_ROW - 1:], FIRST_BODY_ROW))
    qa_start = len(out.qa)
    active_sum = dict.fromkeys(seasons, 0)
    cut_sum = dict.fromkeys(seasons, 0)
    amount = out.amounts.__getitem__
    active = [(n, row) for n, row in body
              if row[_B] or row[_I] or row[_K] or any(map(amount, _ACTIVE_SEASON_TEXTS(row)))]
    out.empty_slots += sum(1 for _, row in body if row[_A]) - sum(1 for _, row in active if row[_A])
    for number, row in active:
        _active_row(tab, franchise, row, number, seasons, out, active_sum)
    for number, row in [(n, row) for n, row in body if row[_M] or row[_N] or any(map(amount, _CUT_SEASON_TEXTS(row)))]:
        _cut_row(tab, franchise, row, number, seasons, out, cut_sum)
    for number, row in [(n, row) for n, row in body if n != marker and any(_PICK_CELLS(row))]:
        _pick_row(tab, row, number, number < marker, pick_seasons, ctx, out)
    if len(out.qa) > qa_start + 1:  # the datasets sort in block order: contracts_active, contracts_cut, draft_picks
        out.qa[qa_start:] = sorted(out.qa[qa_start:], key=itemgetter(1, 2))
    _cap_rows(tab, franchise, grid[CAP_ROW - 1], seasons, ctx, out, active_sum, cut_sum)


def _strip_suffix(player: str) -> str | None:
    """"Cam Ward (RS)" → "Cam Ward"; "" → None. Cells are stripped, so only a name ending in ")" can match."""
    return (_SUFFIX.sub("", player) if player.endswith(")") else player) or None


def _active_row(tab: str, franchise: str | None, row: Row, number: int, seasons: list[int], out: _Out,
                active_sum: dict[int, int]) -> None:
    """A row with a player, a season amount or an RFA/tag mark."""
    slot, player = row[_A].upper(), row[_B]
    *amounts, total = map(out.amounts.__getitem__, _ACTIVE_AMOUNTS(row))
    rfa_cell, tag_cell = row[_I], row[_K]
    has_salary = any(amounts)
    if not slot:
        out.add_qa(tab, number, "contracts_active", "dropped",
                   "values in the active roster without a roster slot in column A", row, ACTIVE_TEXT)
        return
    if not has_salary:
        out.add_qa(tab, number, "contracts_active", "dropped", "player with no salary in any season (C–G)", row,
                   ACTIVE_TEXT)
        return
    if not player:
        out.add_qa(tab, number, "contracts_active", "kept",
                   "salary in a roster slot without a player name: kept as an unnamed cap charge", row, ACTIVE_TEXT)
    season_sum = sum(filter(None, amounts))
    matches = season_sum == total
    if not matches:
        out.add_qa(tab, number, "contracts_active", "flagged",
                   f"season amounts sum to {season_sum} but the Total column (H) shows {total}", row, ACTIVE_TEXT)
    name = _strip_suffix(player)
    position = slot if slot in _POSITIONS else None
    rookie = player.endswith("(RS)")
    rfa, tag = rfa_cell.lower() == "x", tag_cell.lower() == "x"
    for season, amount in zip(seasons, amounts, strict=True):
        if amount is not None:
            active_sum[season] += amount
            out.active.append((franchise, tab, number, slot, position, name, rookie, season, amount, total, rfa, tag,
                               matches))


def _cut_row(tab: str, franchise: str | None, row: Row, number: int, seasons: list[int], out: _Out,
             cut_sum: dict[int, int]) -> None:
    """A row with a player, a position or a season amount."""
    player, position = row[_M], row[_N].upper()
    *amounts, total = map(out.amounts.__getitem__, _CUT_AMOUNTS(row))
    has_salary = any(amounts)
    if not has_salary:
        reason = "cut contract with no dead cap in any season (O–S)" if player else \
            "cut-contract position without a player or amounts"
        out.add_qa(tab, number, "contracts_cut", "dropped", reason, row, CUT_TEXT)
        return
    if not player:
        out.add_qa(tab, number, "contracts_cut", "kept",
                   "dead cap without a player name: kept as an unnamed dead-cap charge", row, CUT_TEXT)
    season_sum = sum(filter(None, amounts))
    matches = season_sum == total
    if not matches:
        out.add_qa(tab, number, "contracts_cut", "flagged",
                   f"season amounts sum to {season_sum} but the Total column (T) shows {total}", row, CUT_TEXT)
    instance = _CUT_INSTANCE.search(player) if player.endswith(")") else None  # the pattern ends in ")"
    name = _strip_suffix(player)
    for season, amount in zip(seasons, amounts, strict=True):
        if amount is not None:
            cut_sum[season] += amount
            out.cut.append((franchise, tab, number, name, position or None, int(instance.group(1)) if instance else 1,
                            season, amount, total, matches))


def _pick_row(tab: str, row: Row, number: int, own: bool, pick_seasons: list[int], ctx: GmContext,
              out: _Out) -> None:
    """A row with something in U–AA."""
    owner_cell, conditions = row[_U], row[_AA]
    rounds = [(season, row[i]) for season, i in zip(pick_seasons, _PICK_IDX, strict=True) if row[i]]
    if not owner_cell:
        if rounds or conditions:
            out.add_qa(tab, number, "draft_picks", "dropped",
                       "draft pick round/conditions without an owner in column U", row, PICK_TEXT)
        return
    if not rounds:
        out.add_qa(tab, number, "draft_picks", "dropped",
                   "draft pick owner without a round in any season column (V–Z)", row, PICK_TEXT)
        return
    if not all(text.isdigit() for _, text in rounds):
        out.add_qa(tab, number, "draft_picks", "dropped", "a round in the season columns (V–Z) is not a number",
                   row, PICK_TEXT)
        return
    is_comp = not own and bool(_COMPENSATION.match(owner_cell))
    if own:
        traded = _TRADED_TO.match(owner_cell)
        owner, original = (traded.group(1).strip() if traded else owner_cell), tab
    else:
        owner, original = tab, (None if is_comp else owner_cell)
    owner_id = ctx.owner_franchise.get(owner.casefold())
    original_id = ctx.owner_franchise.get(original.casefold()) if original else None
    if owner_id is None or (original is not None and original_id is None):
        out.add_qa(tab, number, "draft_picks", "dropped",
                   f"owner {owner!r} / original owner {original!r} is not a current owner in dim_franchise", row,
                   PICK_TEXT)
        return
    condition = conditions if conditions not in ("", "-") else None
    for season, text in rounds:
        out.picks.append((owner_id, owner, original_id, original, season, int(text), condition, is_comp,
                          owner_cell if is_comp else None, tab, "own" if own else "acquired", number))


def _cap_rows(tab: str, franchise: str | None, row: Row, seasons: list[int], ctx: GmContext, out: _Out,
              active_sum: dict[int, int], cut_sum: dict[int, int]) -> None:
    cells = list(map(out.amounts.__getitem__, _CAP_MONEY_TEXTS(row)))
    for i, season in enumerate(seasons):
        available, dead, traded = cells[3 * i:3 * i + 3]
        computed = ctx.salary_cap - active_sum[season] - (dead or 0) + (traded or 0)
        ok = (available is None or computed == available) and cut_sum[season] == (dead or 0)
        out.cap.append((franchise, tab, season, available, dead, traded, active_sum[season], cut_sum[season],
                        ctx.salary_cap, computed, ok))
        if not ok:
            out.qa.append((tab, CAP_ROW, "cap_space", "flagged",
                           f"season {season}: cap {ctx.salary_cap} − active {active_sum[season]} − dead {dead} + "
                           f"traded {traded} = {computed}, sheet shows available {available}; cut contracts sum "
                           f"to {cut_sum[season]}, sheet shows dead {dead}", ""))
