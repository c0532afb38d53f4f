"""`ffa demo` and `ffa run`: the all-sources run, against recorded real data (demo) or the real sources (run).

The demo starts every source's replay server in-process on 127.0.0.1, points the connectors at them through the
FFA_*_BASE_URL settings, and runs the same pipeline as production on the fixed data root (default ``data/``), so a
second run finds every snapshot unchanged. ``run_direct`` runs the identical steps without Prefect (the baseline
of the orchestration-overhead benchmark).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor, wait
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from ff_analytics.errors import FFAError
from ff_analytics.orchestration import dbt_steps, steps
from ff_analytics.orchestration.env import ensure_prefect_env, in_process_settings, restore_env, set_env
from ff_analytics.orchestration.outcomes import RunSummary, SourceOutcome
from ff_analytics.orchestration.run_lock import exclusive_run
from ff_analytics.orchestration.sources import SOURCE_DEPENDS_ON, SOURCE_ORDER, load_function
from ff_analytics.settings import get_settings

# Replay server per source and the settings (env vars) that point its connector at it.
REPLAY_TARGETS: dict[str, tuple[str, ...]] = {
    "nflverse": ("FFA_NFLVERSE_BASE_URL",),
    "ktc": ("FFA_KTC_BASE_URL",),
    "sleeper": ("FFA_SLEEPER_BASE_URL",),
    "sheets": ("FFA_SHEETS_BASE_URL", "FFA_DRIVE_BASE_URL"),
}


@dataclass
class DemoEnvironment:
    urls: dict[str, str] = field(default_factory=dict)
    env: dict[str, str] = field(default_factory=dict)
    options: dict[str, dict[str, Any]] = field(default_factory=dict)


def replay_settings(source: str, server: Any) -> dict[str, str]:
    """Settings that point a source's connector at its started replay server (base URLs, ids, test credentials)."""
    try:
        env_for = load_function(f"ff_analytics.replay.{source}", "replay_env", source=source)
    except FFAError:
        return {var: server.url for var in REPLAY_TARGETS[source]}
    return {str(k): str(v) for k, v in env_for(server).items()}


def demo_options() -> dict[str, dict[str, Any]]:
    """Per-source ingest arguments for the recorded data (seasons and files the recordings hold)."""
    import importlib

    options: dict[str, dict[str, Any]] = {}
    for source in SOURCE_ORDER:
        try:
            module = importlib.import_module(f"ff_analytics.replay.{source}")
        except ModuleNotFoundError:
            continue
        if hasattr(module, "demo_options"):
            options[source] = dict(module.demo_options() or {})
        elif hasattr(module, "RECORDED_SEASONS"):
            options[source] = {"seasons": list(module.RECORDED_SEASONS)}
    if "ffanalytics" not in options:
        options["ffanalytics"] = {"raw_path": str(_ffanalytics_recording(get_settings().recordings_dir))}
    return options


def _ffanalytics_recording(recordings: Any) -> Any:
    base = recordings / "ffanalytics" / "projections"
    candidates = sorted(base.rglob("*.parquet")) + sorted(base.rglob("*.csv"))
    raw = [p for p in candidates if "raw" in p.name]
    if not (raw or candidates):
        raise FFAError(f"no recorded ffanalytics projections under {base}", source="ffanalytics")
    return (raw or candidates)[0]


@contextmanager
def replay_environment(sources: list[str]) -> Iterator[DemoEnvironment]:
    """Start the replay servers of ``sources`` and point the settings at them; restore everything afterwards."""
    demo = DemoEnvironment()
    with ExitStack() as stack:
        for source in sources:
            if source not in REPLAY_TARGETS:
                continue
            build = load_function(f"ff_analytics.replay.{source}", f"build_{source}_server", source=source)
            server = stack.enter_context(build())
            demo.urls[source] = server.url
            demo.env.update(replay_settings(source, server))
        previous = set_env(demo.env)
        stack.callback(restore_env, previous)
        stack.callback(get_settings.cache_clear)
        get_settings.cache_clear()
        demo.options = demo_options()
        yield demo


def run_with_prefect(sources: list[str], *, force: bool, dt: date | None,
                     options: dict[str, dict[str, Any]], run_dbt: bool = True, label: str = "ffa run"
                     ) -> RunSummary:
    """The all-sources flow; its summary whether it completed or failed."""
    ensure_prefect_env()
    from ff_analytics.orchestration.flows import PipelineFailed, ff_analytics_pipeline

    with exclusive_run(), in_process_settings():
        try:
            return ff_analytics_pipeline(sources=sources, force=force, dt=dt, options=options, run_dbt=run_dbt,
                                         label=label)
        except PipelineFailed as exc:  # the run ended Failed; its summary says why
            return exc.summary


def run_direct(sources: list[str], *, force: bool, dt: date | None, options: dict[str, dict[str, Any]],
               run_dbt: bool = True, label: str = "ffa run (no Prefect)") -> RunSummary:
    """The same steps as the all-sources flow, called directly (sources in parallel threads, then dbt)."""
    with exclusive_run():
        return _run_direct(sources, force=force, dt=dt, options=options, run_dbt=run_dbt, label=label)


def _run_direct(sources: list[str], *, force: bool, dt: date | None, options: dict[str, dict[str, Any]],
                run_dbt: bool, label: str) -> RunSummary:
    started = time.monotonic()

    def one(source: str) -> SourceOutcome:
        try:
            return steps.run_source_direct(source, force=force, dt=dt, options=options.get(source))
        except Exception as exc:  # noqa: BLE001 - mirror the flow: one source failing does not stop the others
            return SourceOutcome(source, "failed", error=f"{type(exc).__name__}: {exc}", failed_step="run")

    def after(upstream: list[Future[SourceOutcome]], source: str) -> SourceOutcome:
        wait(upstream)
        return one(source)

    with ThreadPoolExecutor(max_workers=len(sources) or 1) as pool:
        futures: dict[str, Future[SourceOutcome]] = {}
        for source in sorted(sources, key=SOURCE_ORDER.index):  # upstream sources first
            upstream = [futures[u] for u in SOURCE_DEPENDS_ON.get(source, ()) if u in futures]
            futures[source] = pool.submit(after, upstream, source)
        outcomes = [futures[s].result() for s in sources]
    summary = RunSummary(label, outcomes)
    if run_dbt:
        prepared = dbt_steps.prepare()
        summary.dbt_build = dbt_steps.invoke(["build"], use_prefect=False, prepared=prepared)
        summary.dbt_freshness = dbt_steps.invoke(["source", "freshness"], use_prefect=False, prepared=prepared)
    try:
        summary.report_path = steps.write_report()
    except Exception as exc:  # noqa: BLE001
        summary.report_error = f"{type(exc).__name__}: {exc}"
    summary.seconds = time.monotonic() - started
    return summary


def run_demo(*, sources: list[str] | None = None, use_prefect: bool = True, run_dbt: bool = True,
             dt: date | None = None) -> RunSummary:
    """`ffa demo`: replay servers up, every connector pointed at them, the full run on today's date."""
    chosen = list(sources or SOURCE_ORDER)
    day = dt or datetime.now(UTC).date()
    with replay_environment(chosen) as demo:
        runner = run_with_prefect if use_prefect else run_direct
        return runner(chosen, force=True, dt=day, options=demo.options, run_dbt=run_dbt, label="ffa demo")
