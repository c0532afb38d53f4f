"""Parse: the latest ``sheets/raw_tabs`` snapshot → contracts_active, contracts_cut, cap_space, draft_picks,
transactions and parse_qa.

Which raw snapshot: the given ``raw_dt``, else the newest raw_tabs snapshot that is pending or current in the
registry (the flow parses what copy has just written, before governance promotes it; a snapshot that was rolled
back is historical and not picked). The parsed snapshots get the raw snapshot's date unless ``dt`` is given, so
each parsed table says which copy of the sheet it came from (``params.raw_dt`` / ``raw_content_hash`` too).

Speed: the TRANSACTIONS tab's Polars plan is collected in a second thread (Polars releases the GIL) while the GM
tabs' row-by-row Python parse runs in this one, so on a machine with a free core the two overlap; errors are raised
in the same order as a one-after-the-other parse (GM tabs first).

Everything is parsed and validated in memory first; only then are the six datasets written. A layout problem
(missing tab, renamed header, blank/merged row, "$1O" in a salary, empty or too-short tab) or too many unparsable
TRANSACTIONS lines raises before any write, so the current parsed snapshots stay as they were.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import polars as pl

from ff_analytics.errors import SnapshotError, SourceError
from ff_analytics.snapshots.paths import parse_dt
from ff_analytics.snapshots.store import SnapshotStore, WriteResult
from ff_analytics.sources.sheets.layout import TRANSACTION_COLUMNS, check_transactions_header
from ff_analytics.sources.sheets.parse_tabs import GmContext, parse_gm_tabs
from ff_analytics.sources.sheets.parse_transactions import OwnerTable, finish_transactions, plan_transactions
from ff_analytics.sources.sheets.policy import (
    SOURCE,
    ExpectedTabs,
    SheetsPolicy,
    expected_tabs,
    franchise_by_tab,
    franchise_owners,
    owner_lookup_rows,
    sheets_policy,
)

log = logging.getLogger(__name__)

RAW_DATASET = "raw_tabs"
PARSED_DATASETS = ("contracts_active", "contracts_cut", "cap_space", "draft_picks", "transactions", "parse_qa")


@dataclass
class ParsedSheet:
    tables: dict[str, pl.DataFrame]
    stats: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ParseInputs:
    """Everything the pure parse needs besides the raw frame (built once; the benchmark reuses it)."""

    expected: ExpectedTabs
    policy: SheetsPolicy
    gm: GmContext
    owners: OwnerTable

    @classmethod
    def from_config(cls) -> ParseInputs:
        policy = sheets_policy()
        current = {o.owner_name.casefold(): o.franchise_id for o in franchise_owners() if o.is_current_owner}
        gm = GmContext(franchise_by_tab=franchise_by_tab(), owner_franchise=current, salary_cap=policy.salary_cap,
                       min_rows=policy.gm_tab_rows.min, max_rows=policy.gm_tab_rows.max)
        owners = OwnerTable.from_rows(owner_lookup_rows())
        return cls(expected_tabs(), policy, gm, owners)


def tab_spans(raw: pl.DataFrame) -> dict[str, list[tuple[int, int]]]:
    """Each tab's runs of rows (offset, length), in raw order. The copy step writes one file per tab, so a tab is
    usually one run, which can be sliced (no copy, unlike a filter over all 33 columns)."""
    runs = raw.get_column("tab").rle().struct.unnest()
    spans: dict[str, list[tuple[int, int]]] = {}
    offset = 0
    for length, tab in zip(runs.get_column("len").to_list(), runs.get_column("value").to_list(), strict=True):
        spans.setdefault(tab, []).append((offset, length))
        offset += length
    return spans


def tabs_frame(raw: pl.DataFrame, spans: dict[str, list[tuple[int, int]]], tabs: list[str]) -> pl.DataFrame:
    """The rows of ``tabs``, in raw order: one slice when they form one block (as the copy writes the GM tabs),
    else the runs concatenated."""
    runs = sorted(run for tab in tabs for run in spans[tab])
    if all(a + n == b for (a, n), (b, _) in zip(runs, runs[1:], strict=False)):
        return raw.slice(runs[0][0], sum(n for _, n in runs)) if runs else raw.clear()
    return pl.concat([raw.slice(a, n) for a, n in runs], rechunk=False)


def header_and_body(tab: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """A tab's row 1 and the rows below it, in raw order: slices when row 1 comes first and only once (as the
    copy step writes it), else filters."""
    numbers = tab.get_column("row_number")
    if tab.height and numbers[0] == 1 and not numbers.has_nulls() and (tab.height == 1 or numbers.slice(1).min() > 1):
        return tab.head(1), tab.slice(1)
    return tab.filter(pl.col("row_number") == 1), tab.filter(pl.col("row_number") > 1)


class _Collecting:
    """A lazy plan collected in a thread of its own: Polars releases the GIL while it runs, so the GM tabs' Python
    parse runs meanwhile on the other core. Only the collect runs there: each further Polars call would have to win
    the GIL back from the busy main thread (up to the 5 ms switch interval). (Polars' own
    ``collect(background=True)`` is unstable and aborts the process if its handle is dropped before the result is
    fetched, as it would be when a GM tab fails first.)"""

    def __init__(self, plan: pl.LazyFrame) -> None:
        self._result: pl.DataFrame | None = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, args=(plan,), name="sheets-parse-collect", daemon=True)
        self._thread.start()

    def _run(self, plan: pl.LazyFrame) -> None:
        try:
            self._result = plan.collect(engine="in-memory")
        except BaseException as exc:  # noqa: BLE001 - re-raised in the caller's thread by result()
            self._error = exc

    def wait(self) -> None:
        self._thread.join()

    def result(self) -> pl.DataFrame:
        self.wait()
        if self._error is not None:
            raise self._error
        assert self._result is not None
        return self._result


@dataclass
class _TransactionsJob:
    """The TRANSACTIONS tab's parse, started before the GM tabs. A problem with the tab is kept and raised after
    the GM tabs are parsed: their errors come first, as when the tabs are parsed one after the other."""

    body: pl.DataFrame
    error: Exception | None = None
    collecting: _Collecting | None = None

    def result(self) -> tuple[pl.DataFrame, pl.DataFrame]:
        if self.error is not None:
            raise self.error
        assert self.collecting is not None
        return finish_transactions(self.body, self.collecting.result())

    def abandon(self) -> None:
        """Wait for the thread to end (none outlives the parse), ignoring its outcome."""
        if self.collecting is not None:
            self.collecting.wait()


def _start_transactions(raw: pl.DataFrame, spans: dict[str, list[tuple[int, int]]],
                        inputs: ParseInputs) -> _TransactionsJob:
    """Check the TRANSACTIONS header and row count, then start collecting its plan in the background."""
    trans_tab = inputs.expected.transactions_tab
    # all raw columns come along (a select would cost more than it saves): parse_transactions reads A…N by name
    header, body = header_and_body(tabs_frame(raw, spans, [trans_tab]))
    try:
        check_transactions_header(trans_tab, [(header.get_column(c)[0] or "") if header.height and c in header.columns
                                              else "" for c in TRANSACTION_COLUMNS])
        if body.height < inputs.policy.transactions_min_rows:
            raise SourceError(f"tab {trans_tab!r} has {body.height} transaction rows, expected at least "
                              f"{inputs.policy.transactions_min_rows}", source=SOURCE, dataset="transactions")
        plan = plan_transactions(body, inputs.owners, inputs.policy.transaction_types)
    except Exception as exc:  # kept, not swallowed: raised after the GM tabs, as a one-after-the-other parse would
        return _TransactionsJob(body, error=exc)
    return _TransactionsJob(body, collecting=_Collecting(plan))


def parse_raw_tabs(raw: pl.DataFrame, inputs: ParseInputs | None = None) -> ParsedSheet:
    """The pure parse: one frame holding every raw tab (tab, row_number, A…) → the six tables. The TRANSACTIONS
    plan is collected in another thread while the GM tabs are parsed in this one."""
    inputs = inputs or ParseInputs.from_config()
    expected = inputs.expected
    spans = tab_spans(raw)
    missing = [t for t in expected.required if t not in spans]
    if missing:
        raise SourceError(f"raw snapshot lacks expected tabs {missing} (has {sorted(spans)})", source=SOURCE,
                          dataset=RAW_DATASET)
    gm_tabs = [t for t in expected.gm_tabs if t in spans]
    job = _start_transactions(raw, spans, inputs)
    try:
        gm = parse_gm_tabs(tabs_frame(raw, spans, gm_tabs), inputs.gm)
    except BaseException:
        job.abandon()
        raise
    transactions, trans_qa = job.result()
    body_rows = job.body.height
    pct = 100.0 * trans_qa.height / body_rows
    if pct > inputs.policy.max_transactions_qa_pct:
        sample = "; ".join(f"row {r}: {why}" for r, why in trans_qa.select("sheet_row", "reason").head(5).iter_rows())
        raise SourceError(f"{trans_qa.height} of {body_rows} TRANSACTIONS rows ({pct:.1f}%) could not be parsed, "
                          f"more than the {inputs.policy.max_transactions_qa_pct}% allowed: {sample}",
                          source=SOURCE, dataset="transactions")
    qa = pl.concat([gm.qa, trans_qa], how="vertical").sort("tab", "sheet_row", "dataset")
    tables = {"contracts_active": gm.contracts_active, "contracts_cut": gm.contracts_cut, "cap_space": gm.cap_space,
              "draft_picks": gm.draft_picks, "transactions": transactions, "parse_qa": qa}
    stats = {"gm_tabs_parsed": sorted(gm_tabs), "empty_roster_slots": gm.empty_roster_slots,
             "transaction_rows": body_rows, "transactions_qa_rows": trans_qa.height, "qa_rows": qa.height,
             "cap_rows_not_reconciling": int((~gm.cap_space["reconciles"]).sum())}
    return ParsedSheet(tables, stats)


def resolve_raw_dt(store: SnapshotStore, raw_dt: str | date | None = None) -> date:
    """The raw snapshot to parse: the given date, else the newest pending or current raw_tabs snapshot."""
    if raw_dt is not None:
        day = parse_dt(raw_dt)
        store.read_manifest(SOURCE, RAW_DATASET, day)  # raises SnapshotError naming the path when absent
        return day
    rows = store.registry.rows_for(SOURCE, RAW_DATASET)
    if rows:
        live = sorted(r.dt for r in rows if r.status in ("pending", "current"))
        if not live:
            raise SnapshotError("no pending or current raw_tabs snapshot to parse; run `ffa ingest sheets copy`",
                                source=SOURCE, dataset=RAW_DATASET)
        return live[-1]
    days = store.partition_dates(SOURCE, RAW_DATASET)
    if not days:
        raise SnapshotError("no raw_tabs snapshot to parse; run `ffa ingest sheets copy` first", source=SOURCE,
                            dataset=RAW_DATASET)
    return days[-1]


def parse_league_sheet(raw_dt: str | date | None = None, *, store: SnapshotStore | None = None,
                       run_id: str | None = None, dt: str | date | None = None) -> list[WriteResult]:
    """Parse one raw_tabs snapshot and write the six parsed datasets (each registered pending)."""
    store = store or SnapshotStore()
    raw_day = resolve_raw_dt(store, raw_dt)
    raw_manifest = store.read_manifest(SOURCE, RAW_DATASET, raw_day)
    raw = store.read(SOURCE, RAW_DATASET, raw_day)
    parsed = parse_raw_tabs(raw)
    out_day = parse_dt(dt) if dt is not None else raw_day
    params = {"raw_dt": raw_day.isoformat(), "raw_content_hash": raw_manifest.content_hash, **parsed.stats}
    upstream = store.root.uri(f"raw/{SOURCE}/{RAW_DATASET}/dt={raw_day.isoformat()}")
    results = []
    for dataset in PARSED_DATASETS:
        results.append(store.write(SOURCE, dataset, parsed.tables[dataset], dt=out_day, params=params,
                                   upstream_url=upstream, loader=__name__, run_id=run_id))
    log.info("sheets: parsed raw_tabs dt=%s → %s; %d QA rows", raw_day,
             ", ".join(f"{r.dataset}={r.row_count}" for r in results), parsed.stats["qa_rows"])
    return results
