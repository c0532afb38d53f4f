"""Name keys and position families: the two things every name-based match compares.

The name key is the dynastyprocess ``merge_name`` rule (the dbt macro ``name_key`` applies the same one): lower
case, no " (RS)" rookie marker, no punctuation, no generational suffix, single spaces.

Position families are the unit a match may never cross. They are coarser than positions because sources label the
same player differently (an edge rusher is DE on one site and LB on another; a gadget back is RB or WR), but never
so coarse that a quarterback and a defensive lineman share one:

======  ==========================================
family  positions
======  ==========================================
QB      QB
SKILL   RB, FB, HB, WR, TE
K       K, PK
P       P
DST     DST, DEF, D/ST, DEFENSE
FRONT   DL, DE, DT, NT, ED, EDGE, LB, ILB, OLB, MLB
DB      DB, CB, S, SS, FS, SAF
OL      OL, OT, G, C, LS, T, OG
======  ==========================================

A commissioner-sheet roster slot narrows the families without naming a position: the IDP slots hold FRONT, DB or
DST players; FLEX (this league's flex takes defenders too), BN, TAXI and IR say nothing.
"""

from __future__ import annotations

import polars as pl

FAMILY_OF: dict[str, str] = {
    "QB": "QB",
    "RB": "SKILL", "FB": "SKILL", "HB": "SKILL", "WR": "SKILL", "TE": "SKILL",
    "K": "K", "PK": "K",
    "P": "P",
    "DST": "DST", "DEF": "DST", "D/ST": "DST", "DEFENSE": "DST",
    "DL": "FRONT", "DE": "FRONT", "DT": "FRONT", "NT": "FRONT", "ED": "FRONT", "EDGE": "FRONT",
    "LB": "FRONT", "ILB": "FRONT", "OLB": "FRONT", "MLB": "FRONT",
    "DB": "DB", "CB": "DB", "S": "DB", "SS": "DB", "FS": "DB", "SAF": "DB",
    "OL": "OL", "OT": "OL", "G": "OL", "C": "OL", "LS": "OL", "T": "OL", "OG": "OL",
}
FAMILIES: tuple[str, ...] = ("QB", "SKILL", "K", "P", "DST", "FRONT", "DB", "OL")
# Roster slots that narrow the family without naming a position (the sheet's BN, TAXI, IR narrow nothing).
_IDP = ("FRONT", "DB", "DST")
SLOT_FAMILIES: dict[str, tuple[str, ...]] = {"IDP": _IDP, "IDP BN": _IDP, "IDP TAXI": _IDP, "IDP FLEX": _IDP,
                                             "IDP IR": _IDP}


def name_key(expr: pl.Expr) -> pl.Expr:
    """The merge-name key of a name column (same rule as the dbt macro ``name_key``)."""
    text = expr.fill_null("").str.to_lowercase()
    text = text.str.replace_all(r"\s*\(rs\)", "")
    text = text.str.replace_all(r"[.'’\-]", "")
    text = text.str.replace_all(r"\b(jr|sr|ii|iii|iv|v)\b", "")
    return text.str.replace_all(r"\s+", " ").str.strip_chars()


def suffix(expr: pl.Expr) -> pl.Expr:
    """The generational suffix a name ends with (jr, sr, ii ...), else null: the name key drops it, so it is kept
    to tell Marvin Harrison Jr. from his father when both are candidates."""
    return expr.str.to_lowercase().str.replace_all(r"\s*\(rs\)", "").str.extract(
        r"\b(jr|sr|ii|iii|iv|v)\.?\s*$", 1)


def name_key_of(name: str) -> str:
    """:func:`name_key` for one Python string (tests, overrides)."""
    return pl.select(name_key(pl.lit(name, dtype=pl.String))).item()


def family(expr: pl.Expr) -> pl.Expr:
    """The position family of a position column (null when the position is unknown or not a position)."""
    return expr.str.to_uppercase().str.strip_chars().replace_strict(FAMILY_OF, default=None, return_dtype=pl.String)


def family_of_values(values: pl.Series) -> dict[str, str | None]:
    """Position spelling -> family for the distinct spellings of a column: the mapping is built once per spelling
    (a handful) instead of normalising every row."""
    return {v: FAMILY_OF.get(v.upper().strip()) for v in values.drop_nulls().unique().to_list()}


def slot_families_of_values(values: pl.Series) -> dict[str, str | None]:
    """Slot spelling -> the families it allows as sorted comma-joined text (null: any)."""
    out = {}
    for v in values.drop_nulls().unique().to_list():
        fams = SLOT_FAMILIES.get(v.upper().strip())
        out[v] = ",".join(sorted(fams)) if fams else None
    return out


def families_text(position: pl.Expr, slot: pl.Expr) -> pl.Expr:
    """The allowed families as sorted comma-joined text (null: any), for the output table (no list work)."""
    by_slot = slot.str.to_uppercase().str.strip_chars().replace_strict(
        {k: ",".join(sorted(v)) for k, v in SLOT_FAMILIES.items()}, default=None, return_dtype=pl.String)
    return pl.coalesce(family(position), by_slot)


def allowed_families(position: pl.Expr, slot: pl.Expr | None = None) -> pl.Expr:
    """Families a source row may match: its position's family, else what its roster slot allows, else null (any)."""
    fam = family(position)
    one = pl.concat_list(fam)
    if slot is None:
        return pl.when(fam.is_not_null()).then(one).otherwise(pl.lit(None, dtype=pl.List(pl.String)))
    by_slot = slot.str.to_uppercase().str.strip_chars().replace_strict(
        {k: list(v) for k, v in SLOT_FAMILIES.items()}, default=None, return_dtype=pl.List(pl.String))
    return pl.when(fam.is_not_null()).then(one).otherwise(by_slot)
