"""The one pipeline: each source's steps, then dbt, freshness and the governance report, run by a ``StepRunner``.

A source run is precheck → for each stage: stage (fetch + snapshot) → checks → govern → notify. The runner decides
how a step runs: :class:`DirectRunner` calls it (``ffa demo --no-prefect``, the orchestration bench's baseline);
the Prefect runner in :mod:`ff_analytics.orchestration.flows` makes each step a task with retries, timeouts and
alerts. Both run exactly these functions, so the two modes do the same work and write the same snapshots.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, wait
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, Protocol, TypeVar

from ff_analytics import progress
from ff_analytics.dbt_runner.invoke import DbtRun
from ff_analytics.governance.findings_store import active_findings
from ff_analytics.governance.history import record_run_history
from ff_analytics.governance.ops_store import RunRecord, changed
from ff_analytics.orchestration import steps
from ff_analytics.orchestration.outcomes import DatasetOutcome, RunSummary, SourceOutcome
from ff_analytics.snapshots.registry import RegistryRow
from ff_analytics.snapshots.store import SnapshotStore, WriteResult
from ff_analytics.sources.contract import Source, StageContext
from ff_analytics.transform.dbt import ProjectRun, prepare_dbt, run_project_dbt

log = logging.getLogger(__name__)
T = TypeVar("T")
SourceJob = Callable[[], SourceOutcome]


class StepRunner(Protocol):
    """How the pipeline's steps run: plainly, or as Prefect tasks and subflows."""

    def step(self, name: str, source: str | None, fn: Callable[..., T], *args: Any, network: bool = False,
             **kwargs: Any) -> T: ...

    def run_id(self) -> str | None: ...

    def run_sources(self, jobs: Sequence[tuple[Source, SourceJob]]) -> list[SourceOutcome]: ...

    def dbt(self, args: list[str], prepared: ProjectRun) -> DbtRun: ...

    def source_done(self, outcome: SourceOutcome) -> None: ...

    def run_done(self, summary: RunSummary) -> None: ...


class DirectRunner:
    """Every step a plain call; sources in threads (upstream sources first); dbt in this process."""

    def step(self, name: str, source: str | None, fn: Callable[..., T], *args: Any, network: bool = False,
             **kwargs: Any) -> T:
        return fn(*args, **kwargs)

    def run_id(self) -> str | None:
        return None

    def run_sources(self, jobs: Sequence[tuple[Source, SourceJob]]) -> list[SourceOutcome]:
        return run_in_threads(jobs)

    def dbt(self, args: list[str], prepared: ProjectRun) -> DbtRun:
        return run_project_dbt(args, prepared=prepared)

    def source_done(self, outcome: SourceOutcome) -> None:
        for d in outcome.datasets:
            log.info("%s/%s dt=%s: %s, %d rows, %s, checks %s", d.source, d.dataset, d.dt, d.write_status, d.rows,
                     d.state, d.checks_label)

    def run_done(self, summary: RunSummary) -> None:
        log.info("%s finished in %.1fs (ok=%s)", summary.run_label, summary.seconds, summary.ok)


def run_in_threads(jobs: Sequence[tuple[Source, SourceJob]]) -> list[SourceOutcome]:
    """Run source jobs in parallel threads, each after the sources it depends on; outcomes in job order."""
    with ThreadPoolExecutor(max_workers=len(jobs) or 1) as pool:
        futures: dict[str, Future[SourceOutcome]] = {}
        for source, job in jobs:
            upstream = [futures[u] for u in source.depends_on if u in futures]
            futures[source.name] = pool.submit(_after, upstream, job)
        return [futures[source.name].result() for source, _job in jobs]


def _after(upstream: list[Future[SourceOutcome]], job: SourceJob) -> SourceOutcome:
    wait(upstream)
    return job()


def run_source(source: Source, runner: StepRunner, *, force: bool = False, dt: date | str | None = None,
               options: Mapping[str, Any] | None = None, stages: Sequence[str] | None = None,
               store: SnapshotStore | None = None) -> SourceOutcome:
    """precheck → per stage: fetch + snapshot → checks → govern (promote or leave pending) → notify.

    A step that raises makes the outcome ``failed`` (naming the step); a check error leaves the snapshot pending
    and the outcome ``blocked``, and later stages (the sheet's parse) do not run on it.
    """
    store = store or SnapshotStore()
    started = time.monotonic()
    progress.source_started(source.name)
    step = "options"
    datasets: list[DatasetOutcome] = []
    try:
        opts = source.parse_options(options)
        chosen = [source.stage(name) for name in stages] if stages else list(source.stages)
        if not stages or chosen[0] is source.stages[0]:
            step = "precheck"
            pre = runner.step("precheck", source.name, steps.precheck, source, force=force, store=store)
            if not pre.due:
                return _done(runner, SourceOutcome(source.name, "skipped", notes=pre.reasons))
        ctx = StageContext(store=store, run_id=runner.run_id(), dt=dt)
        before: list[WriteResult] = []
        for stage in chosen:
            step = stage.name
            results = runner.step(stage.name, source.name, steps.run_stage, source, stage, ctx, opts, before,
                                  network=stage.network)
            step = "checks"
            findings = runner.step("checks", source.name, steps.source_checks, source, results, store)
            step = "govern"
            governed = runner.step("govern", source.name, steps.govern, source.name, results, store=store,
                                   extra_findings=findings)
            datasets += governed
            if any(d.errors for d in governed):
                break
            before = results
    except Exception as exc:  # noqa: BLE001 - one source failing is its outcome, never the run's crash
        outcome = SourceOutcome(source.name, "failed", datasets, error=f"{type(exc).__name__}: {exc}",
                                failed_step=step, seconds=time.monotonic() - started)
    else:
        outcome = steps.source_outcome(source.name, datasets, time.monotonic() - started)
    return _done(runner, outcome)


def _done(runner: StepRunner, outcome: SourceOutcome) -> SourceOutcome:
    runner.source_done(outcome)
    progress.source_finished(outcome.source, outcome.status)
    return outcome


def run_all(sources: Sequence[Source], runner: StepRunner, *, source_job: Callable[[Source], SourceOutcome],
            run_dbt: bool = True, label: str = "ffa run", store: SnapshotStore | None = None) -> RunSummary:
    """Every source (in parallel, upstream first) → dbt build → dbt source freshness → governance report.

    A failing source does not stop the others; dbt runs on what is current, unless no source has anything
    current to read (every source failed).
    """
    store = store or SnapshotStore()
    started, started_at = time.monotonic(), datetime.now(UTC)
    registry_before = store.registry.read(strict=False)
    outcomes = runner.run_sources([(s, _bind(source_job, s)) for s in sources])
    produced = not all(o.status == "failed" for o in outcomes)
    if produced:  # one player id per source key, before dbt joins through it
        progress.source_started("identity")
        outcomes.append(runner.step("identity", "identity", steps.resolve_identity, store, runner.run_id()))
        progress.source_finished("identity", outcomes[-1].status)
    summary = RunSummary(label, outcomes)
    if run_dbt and produced:
        prepared = prepare_dbt(store)
        summary.dbt_build = runner.dbt(["build"], prepared)
        summary.dbt_freshness = runner.dbt(["source", "freshness"], prepared)
    elif run_dbt:
        summary.notes.append("dbt not run: no source produced data")
    summary.seconds = time.monotonic() - started
    try:
        summary.changes = runner.step("run-history", None, record_history, summary, registry_before, store,
                                      started_at, runner.run_id(), store.root.dbt_target_dir.resolve())
    except Exception as exc:  # noqa: BLE001 - the history is a record, not the run: say so and go on
        summary.notes.append(f"run history not recorded: {type(exc).__name__}: {exc}")
    summary.findings = active_findings(store.root)
    try:
        summary.report_path = runner.step("governance-report", None, steps.write_report, store)
    except Exception as exc:  # noqa: BLE001 - reported in the summary; the run ends failed
        summary.report_error = f"{type(exc).__name__}: {exc}"
    summary.seconds = time.monotonic() - started
    runner.run_done(summary)
    return summary


def record_history(summary: RunSummary, registry_before: list[RegistryRow], store: SnapshotStore,
                   started_at: datetime, run_id: str | None, dbt_target: Path | None) -> list[str]:
    """Append this run to the warehouse's ops history (runs, findings, dbt results, snapshot events); returns the
    snapshot events that changed something, one line each."""
    keys: dict[str, list[tuple[str, str, str]]] = {"written": [], "unchanged": []}
    for d in (d for o in summary.sources for d in o.datasets):
        keys["unchanged" if d.write_status == "unchanged" else "written"].append((d.source, d.dataset, d.dt))
    record = RunRecord(run_id or uuid.uuid4().hex, started_at, datetime.now(UTC), summary.run_label, summary.ok,
                       store.root.url, {"sources": {o.source: o.status for o in summary.sources}})
    events = record_run_history(record, registry_before, store=store, dbt_artifacts_dir=dbt_target,
                                written=keys["written"], unchanged=keys["unchanged"])
    return [e.line() for e in changed(events)]


def _bind(job: Callable[[Source], SourceOutcome], source: Source) -> SourceJob:
    return lambda: job(source)
