"""The sheet's data policy: which tabs must exist, the salary cap, bounds, and the franchise lookup.

Read from the ``sheets`` block of ``config/platform.yaml`` (the typed platform config drops keys it does not know,
so this block is validated here) and from ``config/league/dim_franchise.csv``, the league's source of truth for
which GM tabs exist. Nothing about tabs or owners is hard-coded in code.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ValidationError

from ff_analytics.errors import ConfigError
from ff_analytics.settings import get_settings

SOURCE = "sheets"


class TabPolicy(BaseModel):
    franchise_table: str
    transactions: str


class RowBounds(BaseModel):
    min: int
    max: int


class SheetsPolicy(BaseModel):
    tabs: TabPolicy
    salary_cap: int
    gm_tab_rows: RowBounds
    transactions_min_rows: int
    max_transactions_qa_pct: float
    transaction_types: list[str]


@dataclass(frozen=True)
class FranchiseOwner:
    franchise_id: str
    owner_name: str
    gm_tab: str
    season_start: int
    season_end: int
    is_current_owner: bool


@dataclass(frozen=True)
class ExpectedTabs:
    """The tabs a copy must find: GM tabs of current owners plus TRANSACTIONS, minus an explicit exclusion list."""

    gm_tabs: tuple[str, ...]
    transactions_tab: str
    excluded: tuple[str, ...]

    @property
    def extra_tabs(self) -> tuple[str, ...]:
        return (self.transactions_tab,)

    @property
    def required_gm_tabs(self) -> tuple[str, ...]:
        return tuple(t for t in self.gm_tabs if t not in self.excluded)

    @property
    def required(self) -> tuple[str, ...]:
        return (*self.required_gm_tabs, self.transactions_tab)


def _config_path() -> Path:
    return get_settings().config_dir / "platform.yaml"


@lru_cache(maxsize=4)
def _load_policy(path: Path) -> SheetsPolicy:
    try:
        with open(path, encoding="utf-8") as fh:
            block = (yaml.safe_load(fh) or {}).get("sources", {}).get(SOURCE)
    except OSError as exc:
        raise ConfigError(f"cannot read {path}: {exc}", source=SOURCE) from None
    if not block:
        raise ConfigError(f"no 'sources.{SOURCE}' block in {path}", source=SOURCE)
    try:
        return SheetsPolicy.model_validate(block)
    except ValidationError as exc:
        raise ConfigError(f"invalid sources.{SOURCE} block in {path}: {exc}", source=SOURCE) from None


def sheets_policy() -> SheetsPolicy:
    return _load_policy(_config_path())


@lru_cache(maxsize=4)
def _load_franchises(path: Path) -> tuple[FranchiseOwner, ...]:
    try:
        with open(path, encoding="utf-8", newline="") as fh:
            rows = list(csv.DictReader(fh))
    except OSError as exc:
        raise ConfigError(f"cannot read franchise table {path}: {exc}", source=SOURCE) from None
    try:
        return tuple(FranchiseOwner(r["franchise_id"], r["owner_name"].strip(), r["gm_tab"].strip(),
                                    int(r["season_start"]), int(r["season_end"]),
                                    r["is_current_owner"].strip().lower() == "true") for r in rows)
    except (KeyError, ValueError) as exc:
        raise ConfigError(f"franchise table {path} is malformed: {exc!r}", source=SOURCE) from None


def franchise_owners() -> tuple[FranchiseOwner, ...]:
    return _load_franchises(get_settings().config_dir / sheets_policy().tabs.franchise_table)


def excluded_tabs() -> tuple[str, ...]:
    """Tabs the operator declared absent from this spreadsheet (FFA_SHEETS_EXCLUDED_TABS), e.g. in the demo."""
    return tuple(t.strip() for t in get_settings().sheets_excluded_tabs.split(",") if t.strip())


def expected_tabs() -> ExpectedTabs:
    owners = franchise_owners()
    gm_tabs = tuple(dict.fromkeys(o.gm_tab for o in owners if o.is_current_owner))
    excluded = excluded_tabs()
    known = set(gm_tabs)
    unknown = [t for t in excluded if t not in known]
    if unknown:
        raise ConfigError(f"FFA_SHEETS_EXCLUDED_TABS names tabs that are not current GM tabs: {unknown}",
                          source=SOURCE)
    return ExpectedTabs(gm_tabs, sheets_policy().tabs.transactions, excluded)


def franchise_by_tab() -> dict[str, str]:
    """Current owners' GM tab → franchise_id."""
    return {o.gm_tab: o.franchise_id for o in franchise_owners() if o.is_current_owner}


def owner_lookup_rows() -> list[dict[str, object]]:
    """Owner name (case-folded) with its franchise and seasons: used to map names in TRANSACTIONS and picks."""
    return [{"owner_key": o.owner_name.casefold(), "franchise_id": o.franchise_id,
             "season_start": o.season_start, "season_end": o.season_end} for o in franchise_owners()]
