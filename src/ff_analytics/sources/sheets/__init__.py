"""The commissioner Google Sheet: copy (sheet → raw_tabs snapshot) and parse (raw_tabs → tables).

Library entry points for the flows: :func:`copy_league_sheet`, :func:`parse_league_sheet` and
:func:`sheets_checks` (copy-completeness, required-column, PII and reconciliation checks for governance).
Imported lazily so ``ffa --help`` does not load gspread.
"""

from __future__ import annotations

from typing import Any

__all__ = ["SheetCheck", "copy_league_sheet", "parse_league_sheet", "sheets_checks"]
_HOMES = {"copy_league_sheet": "copy", "parse_league_sheet": "parse", "sheets_checks": "validation",
          "SheetCheck": "validation"}


def __getattr__(name: str) -> Any:
    if name in _HOMES:
        import importlib

        return getattr(importlib.import_module(f"{__name__}.{_HOMES[name]}"), name)
    raise AttributeError(name)
