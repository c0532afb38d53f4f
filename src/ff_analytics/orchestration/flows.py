"""Prefect flows: one per source, two for the commissioner sheet, and ``ff_analytics_pipeline`` over all of them.

Flows stay thin: every step is a function in :mod:`ff_analytics.orchestration.steps`; the flows add retries with
jitter (fetch only), timeouts, ordering, concurrency, logs, artifacts and alerts. A source flow that hits a failing
check leaves its snapshot pending and ends Failed; the all-sources flow keeps going and ends Failed at the end.
"""

from __future__ import annotations

import time
from datetime import date
from typing import Any

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact, create_table_artifact
from prefect.runtime import flow_run as rt_flow_run

from ff_analytics.errors import FFAError
from ff_analytics.orchestration import dbt_steps, steps
from ff_analytics.orchestration.alerts import Alert, flow_failure_hook, run_url, send_alert, task_failure_hook
from ff_analytics.orchestration.outcomes import DbtOutcome, RunSummary, SourceOutcome
from ff_analytics.orchestration.sources import SOURCE_DEPENDS_ON, SOURCE_ORDER
from ff_analytics.orchestration.summary import source_markdown, summary_markdown, summary_table_rows
from ff_analytics.settings import get_settings
from ff_analytics.snapshots.store import SnapshotStore, WriteResult


class SourceRunFailed(FFAError):
    """A source flow did not finish cleanly; carries the outcome so the all-sources flow can report it."""

    def __init__(self, outcome: SourceOutcome) -> None:
        self.outcome = outcome
        what = outcome.error or "; ".join(outcome.errors()[:3]) or outcome.status
        step = outcome.failed_step or "governance"
        super().__init__(f"{step} failed: {what}", source=outcome.source)


# -- tasks ---------------------------------------------------------------------------------------------------------
@task(name="precheck")
def precheck_task(source: str, force: bool) -> steps.Precheck:
    return steps.precheck(source, force=force)


@task(name="fetch")
def fetch_task(source: str, dt: date | str | None, options: dict[str, Any] | None, run_id: str | None
               ) -> list[WriteResult]:
    return steps.fetch(source, run_id=run_id, dt=dt, options=options)


@task(name="copy-sheet")
def copy_sheet_task(dt: date | str | None, options: dict[str, Any] | None, run_id: str | None) -> WriteResult:
    return steps.copy_sheet(run_id=run_id, dt=dt, options=options)


@task(name="parse-sheet")
def parse_sheet_task(raw_dt: date | str | None, dt: date | str | None, options: dict[str, Any] | None,
                     run_id: str | None) -> list[WriteResult]:
    return steps.parse_sheet(raw_dt, run_id=run_id, dt=dt, options=options)


@task(name="source-checks")
def source_checks_task(source: str, results: list[WriteResult]) -> list:
    return steps.source_checks(source, results, SnapshotStore())


@task(name="govern")
def govern_task(source: str, results: list[WriteResult], extra: list) -> list:
    return steps.govern(source, results, extra_findings=extra)


def _fetching(t: Any, source: str) -> Any:
    """Network task options: retries with jitter, a timeout, and a 🚨 alert when the last attempt fails."""
    s = get_settings()
    return t.with_options(name=f"{t.name}-{source}", retries=s.fetch_retries,
                          retry_delay_seconds=s.fetch_retry_delay_seconds, retry_jitter_factor=0.5,
                          timeout_seconds=s.fetch_timeout_seconds, on_failure=[task_failure_hook(source)])


def _checking(t: Any, source: str) -> Any:
    """Validation tasks never retry (a failed check is an answer, not a glitch)."""
    return t.with_options(name=f"{t.name}-{source}", retries=0, on_failure=[task_failure_hook(source)])


# -- one source ------------------------------------------------------------------------------------------------
def _run_id() -> str | None:
    fid = rt_flow_run.id
    return str(fid) if fid else None


def _finish(outcome: SourceOutcome, flow_name: str) -> SourceOutcome:
    """Log, publish the source's artifact, alert on warnings, and fail the flow if a check failed."""
    logger = get_run_logger()
    for d in outcome.datasets:
        logger.info("%s/%s dt=%s: %s, %d rows, %s, checks %s", d.source, d.dataset, d.dt, d.write_status, d.rows,
                    d.state, d.checks_label)
    create_markdown_artifact(source_markdown(outcome), key=f"{outcome.source}-governance",
                             description=f"{outcome.source}: snapshots and checks")
    url = run_url(rt_flow_run.id)
    for d in outcome.datasets:
        if d.warnings and not d.errors:
            send_alert(Alert("warning", "governance warnings: " + "; ".join(d.warnings[:5]), flow=flow_name,
                             source=d.source, dataset=d.dataset, run_url=url), logger=logger)
    if outcome.status == "blocked":
        raise SourceRunFailed(outcome)
    return outcome


def _precheck_or_skip(source: str, force: bool) -> SourceOutcome | None:
    s = get_settings()
    pre = _checking(precheck_task, source).with_options(timeout_seconds=s.precheck_timeout_seconds)(source, force)
    get_run_logger().info("%s pre-check: %s", source, "; ".join(pre.reasons))
    return None if pre.due else SourceOutcome(source, "skipped", notes=pre.reasons)


def run_source(source: str, flow_name: str, force: bool, dt: date | str | None,
               options: dict[str, Any] | None) -> SourceOutcome:
    """pre-check → fetch + snapshot → source checks → governance (promote or leave pending) → notify."""
    started = time.monotonic()
    step = "precheck"
    try:
        skipped = _precheck_or_skip(source, force)
        if skipped is not None:
            return skipped
        step = "fetch"
        results = _fetching(fetch_task, source)(source, dt, options, _run_id())
        step = "checks"
        extra = _checking(source_checks_task, source)(source, results)
        step = "govern"
        datasets = _checking(govern_task, source)(source, results, extra)
    except Exception as exc:
        raise SourceRunFailed(SourceOutcome(source, "failed", error=f"{type(exc).__name__}: {exc}",
                                            failed_step=step, seconds=time.monotonic() - started)) from exc
    return _finish(steps.source_outcome(source, datasets, time.monotonic() - started), flow_name)


_SOURCE_FLOW_OPTS: dict[str, Any] = {"log_prints": True, "persist_result": False}


@flow(name="nfl_data_pipeline", on_failure=[flow_failure_hook("nflverse")], on_crashed=[flow_failure_hook("nflverse")],
      **_SOURCE_FLOW_OPTS)
def nfl_data_pipeline(force: bool = False, dt: date | None = None, options: dict[str, Any] | None = None
                      ) -> SourceOutcome:
    """nflverse: player stats, snaps, opportunity, schedule, teams, players, id crosswalk."""
    return run_source("nflverse", "nfl_data_pipeline", force, dt, options)


@flow(name="sleeper_pipeline", on_failure=[flow_failure_hook("sleeper")], on_crashed=[flow_failure_hook("sleeper")],
      **_SOURCE_FLOW_OPTS)
def sleeper_pipeline(force: bool = False, dt: date | None = None, options: dict[str, Any] | None = None
                     ) -> SourceOutcome:
    """Sleeper league API: league, users, rosters, transactions, picks, players."""
    return run_source("sleeper", "sleeper_pipeline", force, dt, options)


@flow(name="ktc_pipeline", on_failure=[flow_failure_hook("ktc")], on_crashed=[flow_failure_hook("ktc")],
      **_SOURCE_FLOW_OPTS)
def ktc_pipeline(force: bool = False, dt: date | None = None, options: dict[str, Any] | None = None
                 ) -> SourceOutcome:
    """KeepTradeCut dynasty values (players and picks)."""
    return run_source("ktc", "ktc_pipeline", force, dt, options)


@flow(name="ffanalytics_pipeline", on_failure=[flow_failure_hook("ffanalytics")],
      on_crashed=[flow_failure_hook("ffanalytics")], **_SOURCE_FLOW_OPTS)
def ffanalytics_pipeline(force: bool = False, dt: date | None = None, options: dict[str, Any] | None = None
                         ) -> SourceOutcome:
    """ffanalytics-style raw projections and their consensus."""
    return run_source("ffanalytics", "ffanalytics_pipeline", force, dt, options)


@flow(name="copy_league_sheet_flow", on_failure=[flow_failure_hook("sheets")],
      on_crashed=[flow_failure_hook("sheets")], **_SOURCE_FLOW_OPTS)
def copy_league_sheet_flow(force: bool = False, dt: date | None = None, options: dict[str, Any] | None = None
                           ) -> SourceOutcome:
    """Copy the commissioner sheet's tabs as a raw snapshot (checked for completeness, then promoted)."""
    started = time.monotonic()
    step = "precheck"
    try:
        skipped = _precheck_or_skip("sheets", force)
        if skipped is not None:
            return skipped
        step = "copy"
        raw = _fetching(copy_sheet_task, "sheets")(dt, options, _run_id())
        step = "checks"
        extra = _checking(source_checks_task, "sheets")("sheets", [raw])
        step = "govern"
        datasets = _checking(govern_task, "sheets")("sheets", [raw], extra)
    except Exception as exc:
        raise SourceRunFailed(SourceOutcome("sheets", "failed", error=f"{type(exc).__name__}: {exc}",
                                            failed_step=step, seconds=time.monotonic() - started)) from exc
    return _finish(steps.source_outcome("sheets", datasets, time.monotonic() - started), "copy_league_sheet_flow")


@flow(name="parse_league_sheet_flow", on_failure=[flow_failure_hook("sheets")],
      on_crashed=[flow_failure_hook("sheets")], **_SOURCE_FLOW_OPTS)
def parse_league_sheet_flow(raw_dt: date | None = None, dt: date | None = None,
                            options: dict[str, Any] | None = None) -> SourceOutcome:
    """Parse a raw sheet copy (default: the current one) into contracts, cap space, picks and transactions."""
    started = time.monotonic()
    step = "parse"
    try:
        parsed = _checking(parse_sheet_task, "sheets")(raw_dt, dt, options, _run_id())
        step = "checks"
        extra = _checking(source_checks_task, "sheets")("sheets", parsed)
        step = "govern"
        datasets = _checking(govern_task, "sheets")("sheets", parsed, extra)
    except Exception as exc:
        raise SourceRunFailed(SourceOutcome("sheets", "failed", error=f"{type(exc).__name__}: {exc}",
                                            failed_step=step, seconds=time.monotonic() - started)) from exc
    return _finish(steps.source_outcome("sheets", datasets, time.monotonic() - started), "parse_league_sheet_flow")


SOURCE_FLOWS = {
    "nflverse": nfl_data_pipeline,
    "sleeper": sleeper_pipeline,
    "ktc": ktc_pipeline,
    "ffanalytics": ffanalytics_pipeline,
}


def run_subflow(flow_fn: Any, source: str, **kwargs: Any) -> SourceOutcome:
    """Call a source flow as a subflow and return its outcome, whether it completed or failed.

    The outcome comes from the call itself (the return value, or the SourceRunFailed it raised), never from a
    state fetched back from the API, which carries no data when results are not persisted.
    """
    try:
        return flow_fn(**kwargs)
    except SourceRunFailed as exc:
        return exc.outcome
    except Exception as exc:  # noqa: BLE001 - one source failing must not stop the others
        return SourceOutcome(source, "failed", error=f"{type(exc).__name__}: {exc}", failed_step="flow")


def _merge(first: SourceOutcome, second: SourceOutcome) -> SourceOutcome:
    rank = {"failed": 0, "blocked": 1, "warning": 2, "ok": 3, "skipped": 4}
    worst = min((first, second), key=lambda o: rank[o.status])
    return SourceOutcome(first.source, worst.status, first.datasets + second.datasets,
                         error=worst.error, failed_step=worst.failed_step, seconds=first.seconds + second.seconds,
                         notes=first.notes + second.notes)


# -- all sources ---------------------------------------------------------------------------------------------------
@task(name="source")
def source_job(source: str, force: bool, dt: date | None, options: dict[str, Any] | None) -> SourceOutcome:
    """Run one source's flow as a subflow and turn its final state into an outcome (never raises)."""
    if source == "sheets":
        opts = options or {}
        copied = run_subflow(copy_league_sheet_flow, "sheets", force=force, dt=dt, options=opts.get("copy"))
        if copied.status not in ("ok", "warning") or not copied.datasets:
            return copied
        raw_dt = date.fromisoformat(copied.datasets[0].dt)
        parsed = run_subflow(parse_league_sheet_flow, "sheets", raw_dt=raw_dt, dt=dt, options=opts.get("parse"))
        return _merge(copied, parsed)
    return run_subflow(SOURCE_FLOWS[source], source, force=force, dt=dt, options=options)


@task(name="governance-report")
def report_task() -> str:
    return steps.write_report()


@flow(name="ff_analytics_pipeline", on_failure=[flow_failure_hook()], on_crashed=[flow_failure_hook()],
      log_prints=True, persist_result=False)
def ff_analytics_pipeline(sources: list[str] | None = None, force: bool = False, dt: date | None = None,
                          options: dict[str, dict[str, Any]] | None = None, run_dbt: bool = True,
                          label: str = "ff_analytics_pipeline") -> RunSummary:
    """All sources in parallel → dbt build (one task per node) → dbt source freshness → governance report → alerts.

    A failing source does not stop the others; dbt runs on what is current. The flow ends Failed when any source
    failed or was blocked by its checks, dbt failed, or the report could not be written; the summary is attached
    to the failure and published as artifacts either way.
    """
    logger = get_run_logger()
    started = time.monotonic()
    chosen = [s for s in SOURCE_ORDER if sources is None or s in sources]
    unknown = sorted(set(sources or []) - set(SOURCE_ORDER))
    if unknown:
        raise FFAError(f"unknown source(s): {', '.join(unknown)} (known: {', '.join(SOURCE_ORDER)})")
    futures: dict[str, Any] = {}
    for s in chosen:  # SOURCE_ORDER lists upstream sources first
        upstream = [futures[u] for u in SOURCE_DEPENDS_ON.get(s, ()) if u in futures]
        futures[s] = source_job.with_options(name=f"source-{s}").submit(s, force, dt, (options or {}).get(s),
                                                                         wait_for=upstream)
    outcomes = [futures[s].result() for s in chosen]
    summary = RunSummary(label, outcomes)
    if run_dbt:
        summary.dbt_build = _dbt("build")
        summary.dbt_freshness = _dbt("source freshness")
    try:
        summary.report_path = report_task()
    except Exception as exc:  # noqa: BLE001 - reported in the summary; the run ends Failed
        summary.report_error = f"{type(exc).__name__}: {exc}"
    summary.seconds = time.monotonic() - started
    publish_summary(summary)
    logger.info("%s", summary_markdown(summary))
    if not summary.ok:
        raise PipelineFailed(summary)
    return summary


def _dbt(command: str) -> DbtOutcome:
    """Run dbt inside this flow (prefect-dbt makes one task per node) and log what it did."""
    logger = get_run_logger()
    outcome = dbt_steps.invoke(command.split(), use_prefect=True)
    logger.info("dbt %s: ok=%s models=%d tests passed=%d failed=%d%s", command, outcome.ok, outcome.models_built,
                outcome.tests_passed, outcome.tests_failed, f" error={outcome.error}" if outcome.error else "")
    for failure in outcome.failures[:20]:
        logger.error("dbt %s: %s", command, failure)
    if not outcome.ok:
        send_alert(Alert("task_failure", f"dbt {command}: " + (outcome.error or "; ".join(outcome.failures[:5])),
                         flow=rt_flow_run.flow_name, source="dbt", run_url=run_url(rt_flow_run.id)), logger=logger)
    elif outcome.warnings:
        send_alert(Alert("warning", f"dbt {command}: " + "; ".join(outcome.warnings[:5]), flow=rt_flow_run.flow_name,
                         source="dbt", run_url=run_url(rt_flow_run.id)), logger=logger)
    return outcome


class PipelineFailed(FFAError):
    """The all-sources run finished but something in it failed; carries the summary for the caller."""

    def __init__(self, summary: RunSummary) -> None:
        self.summary = summary
        super().__init__("run failed: " + " | ".join(summary.failures()))


def publish_summary(summary: RunSummary) -> None:
    """Table + markdown artifacts of the run, and an ℹ️ alert with the one-line result when it succeeded."""
    create_table_artifact(summary_table_rows(summary), key="ff-analytics-run-summary",
                          description="per source: rows, new/unchanged, checks; dbt build and tests")
    create_markdown_artifact(summary_markdown(summary), key="ff-analytics-governance-summary",
                             description="governance summary of the run")
    if not summary.ok:
        return  # the flow's on_failure hook sends the ⚠️ alert with the failures
    what = "run completed: " + ", ".join(f"{s.source} {s.status}" for s in summary.sources)
    if summary.dbt_build is not None:
        what += f"; dbt models {summary.dbt_build.models_built}, tests passed {summary.dbt_build.tests_passed}"
    if summary.report_path:
        what += f"; report {summary.report_path}"
    send_alert(Alert("info", what, flow=rt_flow_run.flow_name, run_url=run_url(rt_flow_run.id)),
               logger=get_run_logger())
