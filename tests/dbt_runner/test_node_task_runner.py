"""NodeTaskDbtRunner: still one Prefect task per dbt node; node threads share the run's API client; the settings are
left out of the per-node context only when they are the ones the node threads inherit."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from ff_analytics.dbt_runner.flow import run_dbt
from ff_analytics.dbt_runner.node_task_runner import without_inherited_settings
from ff_analytics.orchestration.env import in_process_settings


def test_settings_are_left_out_only_when_they_are_the_ones_in_force() -> None:
    from prefect.context import serialize_context
    from prefect.settings import PREFECT_LOGGING_LEVEL, temporary_settings

    context = serialize_context()
    assert context["settings_context"], "prefect serializes the settings: the cost this runner avoids"
    lean = without_inherited_settings(context)
    assert lean["settings_context"] == {}
    assert {k: v for k, v in lean.items() if k != "settings_context"} == \
        {k: v for k, v in context.items() if k != "settings_context"}

    with temporary_settings(updates={PREFECT_LOGGING_LEVEL: "DEBUG"}):  # node threads inherit these too
        scoped = serialize_context()
        assert without_inherited_settings(scoped)["settings_context"] == {}
    assert without_inherited_settings(scoped) is scoped  # not the settings in force here: kept


@pytest.mark.slow
def test_every_dbt_node_is_a_completed_task_run(duckdb_project: Path, duckdb_target: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    from prefect import get_client
    from prefect.client.orchestration import SyncPrefectClient
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId
    from prefect.context import SettingsContext

    # sync API clients (each one builds a TLS context) and settings contexts (each one validates every nested
    # settings model) built during the run
    created: dict[type, int] = {SyncPrefectClient: 0, SettingsContext: 0}
    for cls in created:
        def counting_init(self, *args, _cls=cls, _init=cls.__init__, **kwargs) -> None:
            created[_cls] += 1
            _init(self, *args, **kwargs)

        monkeypatch.setattr(cls, "__init__", counting_init)
    with in_process_settings():  # as `ffa run` and `ffa demo` call flows: settings differ from the global ones
        state = run_dbt(command="build", project_dir=str(duckdb_project), return_state=True)
    monkeypatch.undo()
    summary = state.result()
    assert summary["success"] is True
    nodes = sum(sum(by_status.values()) for by_status in summary["nodes_by_type_and_status"].values())
    assert nodes == 14  # 3 seeds, 4 models, 7 tests
    # The stock runner built two clients and rebuilt the settings per node; node threads now share the flow's.
    assert created[SyncPrefectClient] < nodes, f"{created[SyncPrefectClient]} sync clients for {nodes} nodes"
    assert created[SettingsContext] < nodes, f"{created[SettingsContext]} settings contexts for {nodes} nodes"
    with get_client(sync_client=True) as client:
        flow_run_id = state.state_details.flow_run_id  # this test's run (other tests share the server)
        deadline = time.monotonic() + 30  # task states reach the server as events, a moment later
        while True:
            runs = client.read_task_runs(flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[flow_run_id])))
            completed = [r for r in runs if r.state is not None and r.state.is_completed()]
            if len(completed) >= nodes or time.monotonic() > deadline:
                break
            time.sleep(0.5)
    assert len(completed) == nodes, sorted(r.name for r in runs)
