"""The pipeline's steps as plain functions (no Prefect): pre-check → stage (fetch + snapshot) → checks → govern.

:mod:`ff_analytics.orchestration.pipeline` runs them in order, directly or each as a Prefect task, so "with
Prefect" and "without Prefect" run exactly the same work.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import httpx
from cronsim import CronSim

from ff_analytics.errors import ConfigError, SourceError
from ff_analytics.findings import Finding, Severity, error
from ff_analytics.governance.gate import govern_pending
from ff_analytics.governance.mapping_check import mapping_findings
from ff_analytics.governance.report import write_report as write_governance_report
from ff_analytics.identity.quality import identity_findings
from ff_analytics.identity.step import resolve_player_identity
from ff_analytics.orchestration.outcomes import DatasetOutcome, SourceOutcome
from ff_analytics.platform_config import platform_config
from ff_analytics.settings import get_settings
from ff_analytics.snapshots.store import SnapshotStore, WriteResult
from ff_analytics.sources.contract import IngestOptions, Source, Stage, StageContext, as_results

log = logging.getLogger(__name__)


# -- pre-check -----------------------------------------------------------------------------------------------------
@dataclass
class Precheck:
    source: str
    due: bool
    reasons: list[str] = field(default_factory=list)
    last_loaded: str | None = None


def missing_settings(source: Source) -> list[str]:
    """Settings and credentials the source needs that are not configured (names only, never values)."""
    settings = get_settings()
    return source.missing_settings(settings, source.base_url(settings))


def preflight(sources: Sequence[Source]) -> None:
    """Every chosen source's settings and credentials, before any network call: one line per missing item."""
    missing = [f"[{s.name}] not configured: {item}" for s in sources for item in missing_settings(s)]
    if missing:
        raise ConfigError("\n".join(missing))


def check_credentials(source: Source) -> None:
    missing = missing_settings(source)
    if missing:
        raise ConfigError("not configured: " + "; ".join(missing), source=source.name)


def check_reachable(source: Source, timeout: float = 10.0) -> str | None:
    """GET the source's base URL: any HTTP answer counts as reachable; no answer raises SourceError."""
    url = source.base_url(get_settings())
    if url is None:
        return None
    try:
        httpx.get(url, timeout=timeout, follow_redirects=False, headers={"User-Agent": get_settings().user_agent})
    except httpx.HTTPError as exc:
        raise SourceError(f"base URL not reachable: {type(exc).__name__}: {exc}", source=source.name,
                          url=url) from None
    return url


def load_due(source: str, store: SnapshotStore, now: datetime | None = None) -> Precheck:
    """A load is due when a dataset has no current snapshot, or the cadence fired since the oldest last load."""
    now = now or datetime.now(UTC)
    cfg = platform_config().sources[source]
    loaded: list[datetime] = []
    for dataset in cfg.datasets:
        row = store.registry.current(source, dataset)
        manifest = store.read_manifest(source, dataset, row.dt, missing_ok=True) if row else None
        if manifest is None:
            return Precheck(source, True, [f"{dataset} has no current snapshot"])
        asof = manifest.asof_datetime
        loaded.append(asof if asof.tzinfo else asof.replace(tzinfo=UTC))
    oldest = min(loaded)
    next_fire = next(iter(CronSim(cfg.cadence.cron, oldest.astimezone(UTC))))
    due = next_fire <= now
    why = (f"cadence '{cfg.cadence.cron}' fired at {next_fire.isoformat()} after the last load"
           if due else f"not due until {next_fire.isoformat()} (cadence '{cfg.cadence.cron}')")
    return Precheck(source, due, [why], oldest.isoformat())


def precheck(source: Source, *, force: bool = False, store: SnapshotStore | None = None,
             now: datetime | None = None) -> Precheck:
    """Credentials present, base URL reachable, and a load is due (or forced)."""
    check_credentials(source)
    check_reachable(source)
    result = load_due(source.name, store or SnapshotStore(), now)
    if force and not result.due:
        result.due = True
        result.reasons.append("forced")
    return result


# -- a stage: fetch + snapshot -------------------------------------------------------------------------------------
def run_stage(source: Source, stage: Stage, ctx: StageContext, options: IngestOptions,
              before: Sequence[WriteResult]) -> list[WriteResult]:
    """Call the stage's ingest (fetch, validate, write pending snapshots) and return what it wrote."""
    return as_results(stage.run(ctx, options, before), source.name)


# -- checks and governance -----------------------------------------------------------------------------------------
def source_checks(source: Source, results: Sequence[WriteResult], store: SnapshotStore) -> list[Finding]:
    """The source's own checks (value ranges, roster sizes, ...) and the id-crosswalk mapping rate; a check that
    crashes is an error finding."""
    if not results:
        return []
    try:
        own = list(source.checks(results, store)) if source.checks is not None else []
        return own + mapping_findings(results, store)
    except Exception as exc:  # noqa: BLE001 - a broken check must block promotion, not crash the run
        return [error("source", "check_crashed", f"{source.name} checks raised {type(exc).__name__}: {exc}",
                      source=source.name, dataset=r.dataset, dt=r.dt) for r in results]


def govern(source: str, results: Sequence[WriteResult], *, store: SnapshotStore | None = None,
           extra_findings: Iterable[Finding] = ()) -> list[DatasetOutcome]:
    """Validate each pending snapshot and promote it only if no check errored; current ones are left as they are."""
    store = store or SnapshotStore()
    extra = list(extra_findings)
    outcomes = []
    for r in results:
        row = next((x for x in store.registry.rows_for(source, r.dataset) if x.dt == r.dt), None)
        outcome = DatasetOutcome(source, r.dataset, r.dt.isoformat(), r.status, r.row_count,
                                 state=row.status if row else "unregistered")
        if row is not None and row.status == "pending":
            mine = [f for f in extra if f.dataset in (None, r.dataset)]
            gate = govern_pending(store, source, r.dataset, r.dt, extra_findings=mine)
            outcome.promoted = gate.promoted
            outcome.checks_run = max(1, len(gate.findings))
            outcome.errors = [f.line() for f in gate.findings if f.severity is Severity.error]
            outcome.warnings = [f.line() for f in gate.findings if f.severity is Severity.warning]
            after = next((x for x in store.registry.rows_for(source, r.dataset) if x.dt == r.dt), None)
            outcome.state = after.status if after else outcome.state
        outcomes.append(outcome)
    return outcomes


def source_outcome(source: str, datasets: list[DatasetOutcome], seconds: float = 0.0) -> SourceOutcome:
    status = "blocked" if any(d.errors for d in datasets) else "warning" if any(d.warnings for d in datasets) \
        else "ok"
    return SourceOutcome(source, status, datasets, seconds=seconds)


# -- player identity (after the sources, before dbt) ---------------------------------------------------------------
def resolve_identity(store: SnapshotStore, run_id: str | None = None) -> SourceOutcome:
    """Resolve every source's players to one id (the ``identity/player_identity`` snapshot) and govern it: its
    match-rate findings (a rostered player unresolved, a falling rate) go through the gate like any check's."""
    started = datetime.now(UTC)
    try:
        result = resolve_player_identity(store, run_id=run_id)
        findings = identity_findings(store, dt=result.dt) if result.status != "unchanged" else []
        datasets = govern("identity", [result], store=store, extra_findings=findings)
    except Exception as exc:  # noqa: BLE001 - reported as the identity step's failure; dbt still runs
        return SourceOutcome("identity", "failed", error=f"{type(exc).__name__}: {exc}", failed_step="resolve")
    return source_outcome("identity", datasets, (datetime.now(UTC) - started).total_seconds())


# -- governance report ---------------------------------------------------------------------------------------------
def report_dir(store: SnapshotStore) -> Path:
    """FFA_REPORT_DIR, else the data root's reports folder."""
    configured = get_settings().report_dir
    return Path(configured) if configured else store.root.reports_dir


def write_report(store: SnapshotStore | None = None) -> str:
    """Write the governance report (HTML + JSON); returns the HTML path."""
    store = store or SnapshotStore()
    html_path, _json_path = write_governance_report(report_dir(store), store)
    return str(html_path)
