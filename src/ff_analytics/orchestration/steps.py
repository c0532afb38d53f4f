"""The pipeline's steps as plain functions (no Prefect): pre-check → fetch+snapshot → govern → summarize.

The flows wrap each step in a Prefect task (retries, timeouts, logs); the overhead benchmark and tests call the same
functions directly, so "with Prefect" and "without Prefect" run exactly the same work.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
from cronsim import CronSim

from ff_analytics.errors import ConfigError, SourceError
from ff_analytics.governance.findings import Finding, Severity, error
from ff_analytics.orchestration.outcomes import DatasetOutcome, SourceOutcome
from ff_analytics.orchestration.sources import call_with_supported, load_function, spec
from ff_analytics.platform_config import platform_config
from ff_analytics.settings import get_settings
from ff_analytics.snapshots.store import SnapshotStore, WriteResult

log = logging.getLogger(__name__)

# Where a source's base URL is empty (nflverse without a mirror) the pre-check probes the upstream host instead.
UPSTREAM_PROBES = {"nflverse": "https://github.com"}
LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "::1"}


# -- pre-check -----------------------------------------------------------------------------------------------------
@dataclass
class Precheck:
    source: str
    due: bool
    reasons: list[str] = field(default_factory=list)
    last_loaded: str | None = None


def base_url_for(source: str) -> str | None:
    """The URL a source's connector will call (replay server in the demo), or None for file-based sources."""
    setting = spec(source).base_url_setting
    if setting is None:
        return None
    return getattr(get_settings(), setting) or UPSTREAM_PROBES.get(source)


def is_loopback(url: str | None) -> bool:
    return bool(url) and (urlsplit(url).hostname or "") in LOOPBACK_HOSTS


def check_credentials(source: str) -> None:
    """Raise ConfigError when the source needs credentials or ids that are not configured (names only, no values)."""
    s = get_settings()
    url = base_url_for(source)
    if source == "sleeper" and not s.sleeper_league_id:
        raise ConfigError("no Sleeper league id configured (set FFA_SLEEPER_LEAGUE_ID)", source=source)
    if spec(source).needs_google_credentials and not is_loopback(url):
        # A loopback replay/mirror does not authenticate; the real Google APIs do.
        if not (s.google_application_credentials or s.google_service_account_json.get_secret_value()):
            raise ConfigError("no Google credentials configured (set GOOGLE_APPLICATION_CREDENTIALS or "
                              "FFA_GOOGLE_SERVICE_ACCOUNT_JSON)", source=source)
        if not s.sheet_id:
            raise ConfigError("no commissioner sheet id configured (set FFA_SHEET_ID)", source=source)


def check_reachable(source: str, timeout: float = 10.0) -> str | None:
    """GET the source's base URL: any HTTP answer counts as reachable; no answer raises SourceError."""
    url = base_url_for(source)
    if url is None:
        return None
    try:
        httpx.get(url, timeout=timeout, follow_redirects=False,
                  headers={"User-Agent": get_settings().user_agent})
    except httpx.HTTPError as exc:
        raise SourceError(f"base URL not reachable: {type(exc).__name__}: {exc}", source=source, url=url) from None
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


def precheck(source: str, *, force: bool = False, store: SnapshotStore | None = None,
             now: datetime | None = None) -> Precheck:
    """Credentials present, base URL reachable, and a load is due (or forced)."""
    check_credentials(source)
    check_reachable(source)
    result = load_due(source, store or SnapshotStore(), now)
    if force and not result.due:
        result.due = True
        result.reasons.append("forced")
    return result


# -- fetch + snapshot ----------------------------------------------------------------------------------------------
def fetch(source: str, *, store: SnapshotStore | None = None, run_id: str | None = None,
          dt: date | str | None = None, options: dict[str, Any] | None = None) -> list[WriteResult]:
    """Call the source's ingest entry point (fetch, validate, write pending snapshots) and return what it wrote."""
    sp = spec(source)
    if source == "sheets":
        return [copy_sheet(store=store, run_id=run_id, dt=dt, options=options)]
    fn = load_function(sp.module, sp.ingest, source=source)
    options = dict(options or {})
    if source == "ffanalytics" and not options.get("raw_path"):
        options.setdefault("run_r", True)  # production: run the R ffanalytics scrape (the demo passes a raw file)
    result = call_with_supported(fn, store=store, run_id=run_id, dt=dt, **options)
    return _as_results(result, source)


def copy_sheet(*, store: SnapshotStore | None = None, run_id: str | None = None, dt: date | str | None = None,
               options: dict[str, Any] | None = None) -> WriteResult:
    fn = load_function("ff_analytics.sources.sheets", "copy_league_sheet", source="sheets")
    results = _as_results(call_with_supported(fn, store=store, run_id=run_id, dt=dt, **(options or {})), "sheets")
    if len(results) != 1:
        raise SourceError(f"copy_league_sheet returned {len(results)} snapshots, expected 1", source="sheets")
    return results[0]


def parse_sheet(raw_dt: date | str | None, *, store: SnapshotStore | None = None, run_id: str | None = None,
                dt: date | str | None = None, options: dict[str, Any] | None = None) -> list[WriteResult]:
    fn = load_function("ff_analytics.sources.sheets", "parse_league_sheet", source="sheets")
    return _as_results(call_with_supported(fn, raw_dt, store=store, run_id=run_id, dt=dt, **(options or {})),
                       "sheets")


def _as_results(value: Any, source: str) -> list[WriteResult]:
    items = [value] if isinstance(value, WriteResult) else list(value or [])
    bad = [type(v).__name__ for v in items if not isinstance(v, WriteResult)]
    if bad:
        raise SourceError(f"ingest returned {', '.join(bad)} instead of WriteResult", source=source)
    if not items:
        raise SourceError("ingest wrote no snapshots", source=source)
    return items


# -- governance ----------------------------------------------------------------------------------------------------
def source_checks(source: str, results: Sequence[WriteResult], store: SnapshotStore) -> list[Finding]:
    """Run the source's own checks (value ranges, mapping rate, roster sizes, ...); a crash is an error finding."""
    from ff_analytics.orchestration.checks import SOURCE_CHECKS

    check = SOURCE_CHECKS.get(source)
    if check is None or not results:
        return []
    try:
        return list(check(results, store))
    except Exception as exc:  # noqa: BLE001 - a broken check must block promotion, not crash the run
        return [error("source", "check_crashed", f"{source} checks raised {type(exc).__name__}: {exc}",
                      source=source, dataset=r.dataset, dt=r.dt) for r in results]


def govern(source: str, results: Sequence[WriteResult], *, store: SnapshotStore | None = None,
           extra_findings: Iterable[Finding] = ()) -> list[DatasetOutcome]:
    """Validate each pending snapshot and promote it only if no check errored; current ones are left as they are."""
    store = store or SnapshotStore()
    govern_pending = load_function("ff_analytics.governance.gate", "govern_pending", source=source)
    extra = list(extra_findings)
    outcomes = []
    for r in results:
        row = next((x for x in store.registry.rows_for(source, r.dataset) if x.dt == r.dt), None)
        outcome = DatasetOutcome(source, r.dataset, r.dt.isoformat(), r.status, r.row_count,
                                 state=row.status if row else "unregistered")
        if row is not None and row.status == "pending":
            mine = [f for f in extra if f.dataset in (None, r.dataset)]
            gate = govern_pending(store, source, r.dataset, r.dt, extra_findings=mine)
            findings = list(getattr(gate, "findings", []))
            outcome.promoted = bool(getattr(gate, "promoted", False))
            outcome.checks_run = max(1, len(findings))
            outcome.errors = [f.line() for f in findings if f.severity is Severity.error]
            outcome.warnings = [f.line() for f in findings if f.severity is Severity.warning]
            after = next((x for x in store.registry.rows_for(source, r.dataset) if x.dt == r.dt), None)
            outcome.state = after.status if after else outcome.state
        outcomes.append(outcome)
    return outcomes


def source_outcome(source: str, datasets: list[DatasetOutcome], seconds: float = 0.0) -> SourceOutcome:
    status = "blocked" if any(d.errors for d in datasets) else "warning" if any(d.warnings for d in datasets) \
        else "ok"
    return SourceOutcome(source, status, datasets, seconds=seconds)


# -- one source end to end, without Prefect (used by the benchmark and as the reference behaviour) ----------------
def run_source_direct(source: str, *, force: bool = True, dt: date | str | None = None,
                      options: dict[str, Any] | None = None, run_id: str | None = None) -> SourceOutcome:
    store = SnapshotStore()
    started = datetime.now(UTC)
    pre = precheck(source, force=force, store=store)
    if not pre.due:
        return SourceOutcome(source, "skipped", notes=pre.reasons)
    if source == "sheets":
        raw = copy_sheet(store=store, run_id=run_id, dt=dt, options=(options or {}).get("copy"))
        datasets = govern(source, [raw], store=store, extra_findings=source_checks(source, [raw], store))
        parsed = parse_sheet(raw.dt, store=store, run_id=run_id, dt=dt, options=(options or {}).get("parse"))
        datasets += govern(source, parsed, store=store, extra_findings=source_checks(source, parsed, store))
    else:
        results = fetch(source, store=store, run_id=run_id, dt=dt, options=options)
        datasets = govern(source, results, store=store, extra_findings=source_checks(source, results, store))
    return source_outcome(source, datasets, (datetime.now(UTC) - started).total_seconds())


# -- governance report ---------------------------------------------------------------------------------------------
def report_dir() -> Path:
    """FFA_REPORT_DIR, else ``reports/`` next to a local data root, else ``reports/`` in the working directory."""
    s = get_settings()
    if s.report_dir:
        return Path(s.report_dir)
    return Path(s.data_root).resolve().parent / "reports" if "://" not in s.data_root else Path("reports")


def write_report(store: SnapshotStore | None = None) -> str:
    """Write the governance report (HTML + JSON); returns the HTML path."""
    fn = load_function("ff_analytics.governance.report", "write_report", source="governance")
    html_path, _json_path = fn(report_dir(), store or SnapshotStore())
    return str(html_path)
