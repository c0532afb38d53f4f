"""Prefect flows: ``source_pipeline`` (one source, any of its stages) and ``ff_analytics_pipeline`` (all of them).

The flows add only what Prefect gives: each step of :mod:`ff_analytics.orchestration.pipeline` becomes a task
(fetch stages retry with jitter; checks never retry), sources run as subflows named after the source's flow name,
artifacts and alerts publish the outcomes. dbt runs as one task per invocation, its every node's result published
as a table artifact; ``FFA_DBT_PER_NODE_TASKS=true`` makes one task per dbt node instead (prefect-dbt).
A source that fails or is blocked by its checks ends its subflow Failed; the all-sources flow keeps going and ends
Failed at the end.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any, TypeVar

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact, create_table_artifact
from prefect.cache_policies import NO_CACHE
from prefect.runtime import flow_run as rt_flow_run

from ff_analytics.alerts import Alert, flow_failure_hook, run_url, send_alert, task_failure_hook
from ff_analytics.dbt_runner.invoke import DbtRun, node_table
from ff_analytics.errors import FFAError
from ff_analytics.orchestration.outcomes import RunSummary, SourceOutcome
from ff_analytics.orchestration.pipeline import SourceJob, run_all, run_source
from ff_analytics.orchestration.summary import source_markdown, summary_markdown, summary_table_rows
from ff_analytics.settings import get_settings
from ff_analytics.sources.catalog import source_named, sources_named
from ff_analytics.sources.contract import Source
from ff_analytics.transform.dbt import ProjectRun, run_project_dbt

T = TypeVar("T")


class SourceRunFailed(FFAError):
    """A source flow did not finish cleanly; carries the outcome so the all-sources flow can report it."""

    def __init__(self, outcome: SourceOutcome) -> None:
        self.outcome = outcome
        what = outcome.error or "; ".join(outcome.errors()[:3]) or outcome.status
        super().__init__(f"{outcome.failed_step or 'governance'} failed: {what}", source=outcome.source)


class PipelineFailed(FFAError):
    """The all-sources run finished but something in it failed; carries the summary for the caller."""

    def __init__(self, summary: RunSummary) -> None:
        self.summary = summary
        super().__init__("run failed: " + " | ".join(summary.failures()))


class PrefectRunner:
    """Each step a Prefect task; sources as subflows submitted in parallel (upstream first)."""

    def step(self, name: str, source: str | None, fn: Callable[..., T], *args: Any, network: bool = False,
             **kwargs: Any) -> T:
        s = get_settings()
        options: dict[str, Any] = {"name": f"{name}-{source}" if source else name, "cache_policy": NO_CACHE,
                                   "persist_result": False, "on_failure": [task_failure_hook(source)]}
        # A glitch on the wire is retried; a failed check is an answer, never retried. No task timeouts: these
        # tasks run in worker threads, where Prefect cannot interrupt them (every HTTP call has its own timeout).
        if network:
            options.update(retries=s.fetch_retries, retry_delay_seconds=s.fetch_retry_delay_seconds,
                           retry_jitter_factor=0.5)
        return task(fn, **options)(*args, **kwargs)

    def run_id(self) -> str | None:
        return str(rt_flow_run.id) if rt_flow_run.id else None

    def run_sources(self, jobs: Sequence[tuple[Source, SourceJob]]) -> list[SourceOutcome]:
        futures: dict[str, Any] = {}
        for source, job in jobs:  # the catalog lists upstream sources first
            upstream = [futures[u] for u in source.depends_on if u in futures]
            futures[source.name] = _source_job.with_options(name=f"source-{source.name}").submit(
                job, wait_for=upstream)
        return [futures[source.name].result() for source, _job in jobs]

    def dbt(self, args: list[str], prepared: ProjectRun) -> DbtRun:
        label = " ".join(args)
        if get_settings().dbt_per_node_tasks:
            run = run_project_dbt(args, prepared=prepared, per_node=True)  # prefect-dbt: one task per node
        else:
            run = self.step(f"dbt-{label.replace(' ', '-')}", None, run_project_dbt, args, prepared=prepared)
        _publish_dbt(run)
        return run

    def source_done(self, outcome: SourceOutcome) -> None:
        logger = get_run_logger()
        for d in outcome.datasets:
            logger.info("%s/%s dt=%s: %s, %d rows, %s, checks %s", d.source, d.dataset, d.dt, d.write_status,
                        d.rows, d.state, d.checks_label)
        create_markdown_artifact(source_markdown(outcome), key=f"{outcome.source}-governance",
                                 description=f"{outcome.source}: snapshots and checks")
        url = run_url(rt_flow_run.id)
        for d in outcome.datasets:
            if d.warnings and not d.errors:
                send_alert(Alert("warning", "governance warnings: " + "; ".join(d.warnings[:5]),
                                 flow=rt_flow_run.flow_name, source=d.source, dataset=d.dataset, run_url=url),
                           logger=logger)

    def run_done(self, summary: RunSummary) -> None:
        publish_summary(summary)
        get_run_logger().info("%s", summary_markdown(summary))


@task(name="source", cache_policy=NO_CACHE, persist_result=False)
def _source_job(job: SourceJob) -> SourceOutcome:
    """One source's subflow, its outcome whether it completed or failed (never raises)."""
    return job()


def _publish_dbt(run: DbtRun) -> None:
    """Every node's result as a table artifact; failures and warnings as alerts, with the nodes named."""
    logger = get_run_logger()
    logger.info("dbt %s: ok=%s models=%d tests passed=%d warned=%d failed=%d%s", run.command, run.ok,
                run.models_built, run.tests_passed, run.tests_warned, run.tests_failed,
                f" error={run.error}" if run.error else "")
    if run.nodes:
        words = run.command.split()
        command = words[:next((i for i, w in enumerate(words) if w.startswith("-")), len(words))]
        create_table_artifact(node_table(run), key="dbt-" + "-".join(command) + "-nodes",
                              description=f"dbt {run.command}: every node's status and time")
    for failure in run.failures[:20]:
        logger.error("dbt %s: %s", run.command, failure)
    url = run_url(rt_flow_run.id)
    if not run.ok:
        send_alert(Alert("task_failure", f"dbt {run.command}: " + (run.error or "; ".join(run.failures[:5])),
                         flow=rt_flow_run.flow_name, source="dbt", run_url=url), logger=logger)
    elif run.warnings:
        send_alert(Alert("warning", f"dbt {run.command}: " + "; ".join(run.warnings[:5]),
                         flow=rt_flow_run.flow_name, source="dbt", run_url=url), logger=logger)


@flow(name="source_pipeline", flow_run_name="{source}", on_failure=[flow_failure_hook()],
      on_crashed=[flow_failure_hook()], log_prints=True, persist_result=False)
def source_pipeline(source: str, force: bool = False, dt: date | None = None,
                    options: dict[str, Any] | None = None, stages: list[str] | None = None) -> SourceOutcome:
    """One source: precheck → per stage fetch + snapshot → checks → govern → notify (ends Failed when blocked)."""
    outcome = run_source(source_named(source), PrefectRunner(), force=force, dt=dt, options=options, stages=stages)
    if outcome.status in ("failed", "blocked"):
        raise SourceRunFailed(outcome)
    return outcome


def run_source_subflow(source: Source, *, force: bool, dt: date | None, options: dict[str, Any] | None
                       ) -> SourceOutcome:
    """The source's flow as a subflow named after it; its outcome whether it completed or failed."""
    sub = source_pipeline.with_options(name=source.flow_name or source.name,
                                       on_failure=[flow_failure_hook(source.name)],
                                       on_crashed=[flow_failure_hook(source.name)])
    try:
        return sub(source=source.name, force=force, dt=dt, options=options)
    except SourceRunFailed as exc:
        return exc.outcome
    except Exception as exc:  # noqa: BLE001 - one source failing must not stop the others
        return SourceOutcome(source.name, "failed", error=f"{type(exc).__name__}: {exc}", failed_step="flow")


@flow(name="ff_analytics_pipeline", on_failure=[flow_failure_hook()], on_crashed=[flow_failure_hook()],
      log_prints=True, persist_result=False)
def ff_analytics_pipeline(sources: list[str] | None = None, force: bool = False, dt: date | None = None,
                          options: dict[str, dict[str, Any]] | None = None, run_dbt: bool = True,
                          label: str = "ff_analytics_pipeline") -> RunSummary:
    """All sources in parallel → dbt build → dbt source freshness → governance report → alerts.

    Ends Failed when any source failed or was blocked, dbt failed, a freshness error, or no report; the summary
    is attached to the failure and published as artifacts either way.
    """
    chosen = sources_named(sources)
    options = options or {}
    summary = run_all(chosen, PrefectRunner(), run_dbt=run_dbt, label=label,
                      source_job=lambda s: run_source_subflow(s, force=force, dt=dt, options=options.get(s.name)))
    if not summary.ok:
        raise PipelineFailed(summary)
    return summary


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
