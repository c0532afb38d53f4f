"""The commissioner sheet's layout: where each block sits in a GM tab, the TRANSACTIONS header, and the checks
that fail loudly (naming the tab, the row and the expected header) when the layout changes.

A GM tab (31 columns, A–AE):
  row 1  block titles      A "Active Roster", M "Cut Contracts", U "Draft Picks", AE "Trade Contingencies"
  row 2  personal header   (GM name, phone, e-mail: redacted by the copy step; never parsed)
  row 3  cap rows          A "Available Cap Space" C–G, M "Dead Cap Space" O–S, U "Traded Cap Space" V–Z
  row 4  column headers    A Pos. | B Player | C–G seasons | H Total | I RFA | K Fr. ||
                           M Player | N Pos. | O–S seasons | T Total ||
                           U Draft Pick Owner | V–Z draft seasons | AA Trade Conditions
  rows 5+ one roster slot / cut contract / own draft pick per row; in U a "Draft Pick Acquried" row (sic) starts the
          picks acquired from others (V–Z seasons again, AA "Conditions for Acquisition").
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ff_analytics.errors import SourceError
from ff_analytics.sources.sheets.grid import column_index, column_letter
from ff_analytics.sources.sheets.policy import SOURCE

# Column letters of each block.
ACTIVE_SEASONS = ("C", "D", "E", "F", "G")
CUT_SEASONS = ("O", "P", "Q", "R", "S")
PICK_SEASONS = ("V", "W", "X", "Y", "Z")
GM_COLUMNS = tuple(column_letter(i) for i in range(column_index("AE") + 1))
MONEY_COLUMNS = (*ACTIVE_SEASONS, "H", *CUT_SEASONS, "T")

SEASON = "<season>"  # placeholder in expected headers: a 4-digit year, consecutive across the block
TITLE_ROW, CAP_ROW, HEADER_ROW, FIRST_BODY_ROW = 1, 3, 4, 5
GM_HEADERS: dict[int, dict[str, str]] = {
    TITLE_ROW: {"A": "Active Roster", "M": "Cut Contracts", "U": "Draft Picks", "AE": "Trade Contingencies"},
    CAP_ROW: {"A": "Available Cap Space", "M": "Dead Cap Space", "U": "Traded Cap Space"},
    HEADER_ROW: {"A": "Pos.", "B": "Player", **dict.fromkeys(ACTIVE_SEASONS, SEASON), "H": "Total", "I": "RFA",
                 "K": "Fr.", "M": "Player", "N": "Pos.", **dict.fromkeys(CUT_SEASONS, SEASON), "T": "Total",
                 "U": "Draft Pick Owner", **dict.fromkeys(PICK_SEASONS, SEASON), "AA": "Trade Conditions"},
}
ACQUIRED_MARKER = re.compile(r"(?i)^\s*draft picks? acqu")  # the sheet spells it "Acquried"
_YEAR = re.compile(r"\d{4}")
ACQUIRED_HEADER = {**dict.fromkeys(PICK_SEASONS, SEASON), "AA": "Conditions for Acquisition"}

ROSTER_SLOTS = ("QB", "RB", "WR", "TE", "FLEX", "DL", "LB", "DB", "D/ST", "K", "BN", "IDP BN", "IR", "TAXI",
                "IDP TAXI")
POSITION_SLOTS = ("QB", "RB", "WR", "TE", "DL", "LB", "DB", "D/ST", "K")

TRANSACTION_HEADER = ("Time Frame", "From", "To", "Original Order", "Round", "Pick", "Position", "Player",
                      "Contract", "Split", "RFA Matched", "FAAD Comp", "Type", "Sort")
TRANSACTION_COLUMNS = tuple(column_letter(i) for i in range(len(TRANSACTION_HEADER)))


def norm(text: str) -> str:
    return " ".join(text.split()).casefold()


def _fail(tab: str, row: int, expected: dict[str, str], found: dict[str, str], problem: str,
          dataset: str) -> SourceError:
    first, last = min(expected, key=column_index), max(expected, key=column_index)
    exp = ", ".join(f"{c}{row}={v!r}" for c, v in expected.items())
    got = ", ".join(f"{c}{row}={found.get(c, '')!r}" for c in expected)
    return SourceError(f"tab {tab!r} row {row}: {problem}; expected header {first}{row}:{last}{row} [{exp}], "
                       f"found [{got}] (has the sheet's layout changed?)", source=SOURCE, dataset=dataset)


def check_header_row(tab: str, row: int, cells: dict[str, str], expected: dict[str, str],
                     dataset: str = "raw_tabs") -> list[int]:
    """Validate one header row; returns the seasons found in SEASON cells (in column order)."""
    seasons: list[int] = []
    for col, want in expected.items():
        got = cells.get(col, "") or ""
        if want == SEASON:
            if not _YEAR.fullmatch(got.strip()):
                raise _fail(tab, row, expected, cells, f"cell {col}{row} is {got!r}, expected a season year", dataset)
            seasons.append(int(got))
        elif got != want and norm(got) != norm(want):  # an exact match (the usual case) needs no normalising
            raise _fail(tab, row, expected, cells, f"cell {col}{row} is {got!r}, expected {want!r}", dataset)
    return seasons


def check_consecutive(tab: str, row: int, seasons: Sequence[int], columns: Sequence[str], dataset: str) -> None:
    if list(seasons) != list(range(seasons[0], seasons[0] + len(seasons))):
        raise SourceError(f"tab {tab!r} row {row}: seasons in {columns[0]}{row}:{columns[-1]}{row} are "
                          f"{list(seasons)}, expected consecutive years", source=SOURCE, dataset=dataset)


def check_gm_tab_header(tab: str, rows: dict[int, dict[str, str]], dataset: str = "raw_tabs") -> dict[str, list[int]]:
    """Validate rows 1, 3 and 4 of a GM tab; returns {"active": seasons, "picks": draft seasons}."""
    for row in (TITLE_ROW, CAP_ROW):
        check_header_row(tab, row, rows.get(row, {}), GM_HEADERS[row], dataset)
    seasons = check_header_row(tab, HEADER_ROW, rows.get(HEADER_ROW, {}), GM_HEADERS[HEADER_ROW], dataset)
    active, cut, picks = seasons[:5], seasons[5:10], seasons[10:]
    check_consecutive(tab, HEADER_ROW, active, ACTIVE_SEASONS, dataset)
    check_consecutive(tab, HEADER_ROW, picks, PICK_SEASONS, dataset)
    if cut != active:
        raise SourceError(f"tab {tab!r} row {HEADER_ROW}: cut-contract seasons {cut} (O–S) differ from active "
                          f"roster seasons {active} (C–G)", source=SOURCE, dataset=dataset)
    return {"active": active, "picks": picks}


def check_transactions_header(tab: str, cells: Sequence[str], dataset: str = "transactions") -> None:
    expected = dict(zip(TRANSACTION_COLUMNS, TRANSACTION_HEADER, strict=True))
    found = {c: (cells[i] if i < len(cells) else "") for i, c in enumerate(TRANSACTION_COLUMNS)}
    for col, want in expected.items():
        if found[col] != want and norm(found[col]) != norm(want):
            raise _fail(tab, 1, expected, found, f"cell {col}1 is {found[col]!r}, expected {want!r}", dataset)
