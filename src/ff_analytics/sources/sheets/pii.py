"""Personal data in the commissioner sheet: recognise it and scrub it before anything is written or logged.

The GM tabs' header row holds "GM: <first> <surname>", "Cell Phone: (...) ...-....", "Email: ...@...". Those cells
(and any other cell that contains a phone number or an e-mail address, in any tab) are replaced whole by
``REDACTED`` in the copy step, so no snapshot, table or log line ever holds them.
"""

from __future__ import annotations

import re

REDACTED = "[redacted]"

EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
PHONE = re.compile(r"(?<!\d)(?:\+?1[\s.-]?)?\(?\d{3}\)?[\s.-]?\d{3}[\s.-]\d{4}(?!\d)")
# Header labels whose value is personal, whatever it looks like (a surname matches no pattern).
PERSONAL_LABELS = re.compile(r"^\s*(?:GM|General Manager|Owner|Cell(?:\s*Phone)?|Phone|E-?mail)\s*:", re.IGNORECASE)

# Vectorised forms of the same rules (Polars / Rust regex syntax has no look-around).
EMAIL_RX = r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+"
PHONE_RX = r"(?:^|[^0-9])(?:\+?1[\s.-]?)?\(?[0-9]{3}\)?[\s.-]?[0-9]{3}[\s.-][0-9]{4}(?:[^0-9]|$)"
LABEL_RX = r"(?i)^\s*(?:GM|General Manager|Owner|Cell(?:\s*Phone)?|Phone|E-?mail)\s*:"


def is_personal(cell: str) -> bool:
    """True for a cell that must not leave the copy step."""
    if not cell:
        return False
    return bool(PERSONAL_LABELS.match(cell) or EMAIL.search(cell) or PHONE.search(cell))


def contains_contact(text: str) -> bool:
    """True if text holds a phone number or an e-mail address (used to scan outputs and logs)."""
    return bool(EMAIL.search(text) or PHONE.search(text))


def redact_grid(grid: list[list[str]]) -> tuple[list[list[str]], int]:
    """A copy of the grid with personal cells replaced, and how many cells were replaced."""
    count = 0
    out: list[list[str]] = []
    for row in grid:
        new_row = row
        for j, cell in enumerate(row):
            if cell and is_personal(cell):
                if new_row is row:
                    new_row = list(row)
                new_row[j] = REDACTED
                count += 1
        out.append(new_row)
    return out, count
