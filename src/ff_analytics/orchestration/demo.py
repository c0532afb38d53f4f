"""`ffa demo` and `ffa run`: the one pipeline, with Prefect or without; the demo first starts the replay servers.

The demo points every connector at its source's replay server (``replay/catalog.py``), runs the pipeline on
today's date with the options the recordings fit, and restores the settings afterwards.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from ff_analytics.dbt_runner.invoke import process_env
from ff_analytics.orchestration.env import ensure_prefect_env, in_process_settings
from ff_analytics.orchestration.outcomes import RunSummary
from ff_analytics.orchestration.pipeline import DirectRunner, run_all, run_source
from ff_analytics.orchestration.run_lock import exclusive_run
from ff_analytics.orchestration.steps import preflight
from ff_analytics.replay.catalog import REPLAYS
from ff_analytics.settings import get_settings
from ff_analytics.sources.catalog import sources_named


@dataclass
class DemoEnvironment:
    urls: dict[str, str] = field(default_factory=dict)
    env: dict[str, str] = field(default_factory=dict)
    options: dict[str, dict[str, Any]] = field(default_factory=dict)


@contextmanager
def replay_environment(sources: list[str]) -> Iterator[DemoEnvironment]:
    """Start the replay servers of ``sources`` and point the settings at them; restore everything afterwards."""
    demo = DemoEnvironment()
    with ExitStack() as stack:
        for name in sources:
            replay = REPLAYS.get(name)
            if replay is None or replay.build is None:
                continue
            server = stack.enter_context(replay.build())
            demo.urls[name] = server.url
            demo.env.update({str(k): str(v) for k, v in replay.env(server).items()})
        stack.enter_context(process_env(demo.env))
        stack.callback(get_settings.cache_clear)
        get_settings.cache_clear()
        demo.options = {name: REPLAYS[name].options() for name in sources if name in REPLAYS}
        yield demo


def run_pipeline(sources: list[str], *, use_prefect: bool, force: bool, dt: date | None,
                 options: dict[str, dict[str, Any]], run_dbt: bool = True, label: str = "ffa run") -> RunSummary:
    """The all-sources pipeline under the data root's run lock; its summary whether it completed or failed."""
    preflight(sources_named(sources))  # every missing setting named at once, before any network call
    with exclusive_run():
        if not use_prefect:
            runner = DirectRunner()  # each source job opens its own store, as each Prefect subflow does
            return run_all(sources_named(sources), runner, run_dbt=run_dbt, label=label,
                           source_job=lambda s: run_source(s, runner, force=force, dt=dt,
                                                           options=options.get(s.name)))
        ensure_prefect_env()
        from ff_analytics.orchestration.flows import PipelineFailed, ff_analytics_pipeline  # imports Prefect (~2 s)

        with in_process_settings():
            try:
                return ff_analytics_pipeline(sources=sources, force=force, dt=dt, options=options,
                                             run_dbt=run_dbt, label=label)
            except PipelineFailed as exc:  # the run ended Failed; its summary says why
                return exc.summary


def run_demo(*, sources: list[str] | None = None, use_prefect: bool = True, run_dbt: bool = True,
             dt: date | None = None) -> RunSummary:
    """`ffa demo`: replay servers up, every connector pointed at them, the full run on today's date."""
    chosen = [s.name for s in sources_named(sources)]
    day = dt or datetime.now(UTC).date()
    with replay_environment(chosen) as demo:
        label = "ffa demo" if use_prefect else "ffa demo (no Prefect)"
        return run_pipeline(chosen, use_prefect=use_prefect, force=True, dt=day, options=demo.options,
                            run_dbt=run_dbt, label=label)
