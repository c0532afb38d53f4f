"""NodeTaskDbtRunner: still one Prefect task per dbt node; node threads share the run's API client; the settings are
left out of the per-node context only when they equal the process's global settings."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from ff_analytics.dbt_runner.flow import run_dbt
from ff_analytics.dbt_runner.node_task_runner import without_global_settings


def test_settings_are_left_out_only_when_they_are_the_global_ones() -> None:
    from prefect.context import serialize_context
    from prefect.settings import PREFECT_LOGGING_LEVEL, temporary_settings

    context = serialize_context()
    assert context["settings_context"], "prefect serializes the settings: the cost this runner avoids"
    lean = without_global_settings(context)
    assert lean["settings_context"] == {}
    assert {k: v for k, v in lean.items() if k != "settings_context"} == \
        {k: v for k, v in context.items() if k != "settings_context"}

    with temporary_settings(updates={PREFECT_LOGGING_LEVEL: "DEBUG"}):  # differs from the global settings
        scoped = serialize_context()
        assert without_global_settings(scoped) is scoped


@pytest.mark.slow
def test_every_dbt_node_is_a_completed_task_run(duckdb_project: Path, duckdb_target: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    from prefect import get_client
    from prefect.client.orchestration import SyncPrefectClient
    from prefect.client.schemas.filters import FlowFilter, FlowFilterName, FlowRunFilter, FlowRunFilterId

    created: list[int] = []  # sync API clients built during the run (each one builds a TLS context)
    build_client = SyncPrefectClient.__init__

    def counting_init(self, *args, **kwargs) -> None:
        created.append(1)
        build_client(self, *args, **kwargs)

    monkeypatch.setattr(SyncPrefectClient, "__init__", counting_init)
    summary = run_dbt(command="build", project_dir=str(duckdb_project))
    monkeypatch.undo()
    assert summary["success"] is True
    nodes = sum(sum(by_status.values()) for by_status in summary["nodes_by_type_and_status"].values())
    assert nodes == 14  # 3 seeds, 4 models, 7 tests
    # The stock runner built two clients per node (28 here); node threads now share the flow's client.
    assert len(created) < nodes, f"{len(created)} sync clients for {nodes} nodes"
    with get_client(sync_client=True) as client:
        (flow_run,) = client.read_flow_runs(flow_filter=FlowFilter(name=FlowFilterName(any_=["run-dbt"])),
                                            limit=1, sort="START_TIME_DESC")
        deadline = time.monotonic() + 30  # task states reach the server as events, a moment later
        while True:
            runs = client.read_task_runs(flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[flow_run.id])))
            completed = [r for r in runs if r.state is not None and r.state.is_completed()]
            if len(completed) >= nodes or time.monotonic() > deadline:
                break
            time.sleep(0.5)
    assert len(completed) == nodes, sorted(r.name for r in runs)
