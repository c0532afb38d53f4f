"""The commissioner Google Sheet: copy (sheet → raw_tabs snapshot) and parse (raw_tabs → tables).

Library entry points: :func:`copy_league_sheet`, :func:`parse_league_sheet` and :func:`sheets_checks`
(copy-completeness, required-column, PII and reconciliation checks for governance).
"""

from ff_analytics.sources.sheets.copy import copy_league_sheet
from ff_analytics.sources.sheets.parse import parse_league_sheet
from ff_analytics.sources.sheets.validation import SheetCheck, sheets_checks

__all__ = ["SheetCheck", "copy_league_sheet", "parse_league_sheet", "sheets_checks"]
