"""`dbt build` and `dbt source freshness` over the current snapshots, with or without Prefect.

With Prefect, prefect-dbt's ``PrefectDbtRunner`` turns every dbt node into a Prefect task (it must be called inside
a flow; :mod:`ff_analytics.dbt_runner.node_task_runner` keeps its per-node cost down). Without Prefect (the
overhead baseline) the same arguments go to dbt's own ``dbtRunner``. Both use the project's ``profiles.yml``
(target from FFA_DBT_TARGET, DuckDB path from ``prepare_dbt``).
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ff_analytics.orchestration.env import restore_env, set_env
from ff_analytics.orchestration.outcomes import DbtOutcome
from ff_analytics.orchestration.sources import call_with_supported, load_function
from ff_analytics.settings import get_settings
from ff_analytics.snapshots.store import SnapshotStore

MODEL_TYPES = {"model", "snapshot"}
TEST_TYPES = {"test", "unit_test"}


def warehouse_path() -> Path | None:
    """The DuckDB file of a run: ``<local data root>/warehouse/ff_analytics.duckdb`` (one per data root, so tests
    and the demo never share a warehouse); None for an object-store root (prepare_dbt's default)."""
    root = get_settings().data_root
    if "://" in root:
        return None
    path = Path(root).resolve() / "warehouse" / "ff_analytics.duckdb"
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


def prepare(store: SnapshotStore | None = None) -> dict[str, Any]:
    """What dbt needs for this data root: vars and environment (from ``ff_analytics.transform.prepare_dbt``)."""
    fn = load_function("ff_analytics.transform", "prepare_dbt", source="dbt")
    prepared = call_with_supported(fn, store=store or SnapshotStore(), duckdb_path=warehouse_path())
    return dict(prepared or {})


@contextmanager
def dbt_environment(prepared: dict[str, Any]) -> Iterator[None]:
    env = {str(k): str(v) for k, v in (prepared.get("env") or {}).items()}
    env.setdefault("DO_NOT_TRACK", "1")
    previous = set_env(env)
    try:
        yield
    finally:
        restore_env(previous)


def dbt_args(command: list[str], prepared: dict[str, Any]) -> list[str]:
    args = list(command)
    extra = prepared.get("args") or []
    args += [str(a) for a in extra]
    if prepared.get("vars"):
        args += ["--vars", json.dumps(prepared["vars"], default=str)]
    return args


def invoke(command: list[str], *, use_prefect: bool, prepared: dict[str, Any] | None = None) -> DbtOutcome:
    """Run one dbt command and count what it did; dbt failures are reported in the outcome, not raised."""
    prepared = prepared if prepared is not None else prepare()
    project_dir = prepared.get("project_dir") or get_settings().dbt_project_dir
    profiles_dir = prepared.get("profiles_dir") or project_dir
    label = " ".join(command)
    started = time.monotonic()
    with dbt_environment(prepared):
        args = dbt_args(command, prepared)
        try:
            if use_prefect:
                from prefect_dbt import PrefectDbtSettings

                from ff_analytics.dbt_runner.node_task_runner import NodeTaskDbtRunner

                runner = NodeTaskDbtRunner(
                    settings=PrefectDbtSettings(project_dir=str(project_dir), profiles_dir=str(profiles_dir)),
                    raise_on_failure=False, disable_assets=True,
                )
                res = runner.invoke(args)
            else:
                from dbt.cli.main import dbtRunner

                res = dbtRunner().invoke(args + ["--project-dir", str(project_dir),
                                                 "--profiles-dir", str(profiles_dir)])
        except Exception as exc:  # noqa: BLE001 - dbt crashing is reported as this step's failure
            return DbtOutcome(label, ok=False, error=f"{type(exc).__name__}: {exc}",
                              seconds=time.monotonic() - started)
    outcome = summarize_result(label, res)
    outcome.seconds = time.monotonic() - started
    return outcome


def summarize_result(label: str, res: Any) -> DbtOutcome:
    """Count nodes by kind and status from a ``dbtRunnerResult``."""
    outcome = DbtOutcome(label, ok=bool(getattr(res, "success", False)))
    exc = getattr(res, "exception", None)
    if exc is not None:
        outcome.error = f"{type(exc).__name__}: {exc}"
    for r in getattr(getattr(res, "result", None), "results", None) or []:
        node = getattr(r, "node", None)
        kind = str(getattr(node, "resource_type", "") or "")
        kind = getattr(getattr(node, "resource_type", None), "value", kind)
        status = str(getattr(r.status, "value", r.status)).lower()
        name = getattr(node, "unique_id", None) or getattr(r, "unique_id", "?")
        failed = status in ("error", "fail", "runtime error")
        if failed:
            outcome.failures.append(f"{name}: {status}: {(getattr(r, 'message', '') or '')[:200]}")
        elif status == "warn":
            outcome.warnings.append(f"{name}: {(getattr(r, 'message', '') or '')[:200]}")
        if kind in MODEL_TYPES:
            outcome.models_built += status == "success"
            outcome.models_failed += failed
        elif kind in TEST_TYPES:
            outcome.tests_passed += status == "pass"
            outcome.tests_failed += failed
            outcome.tests_warned += status == "warn"
        elif kind == "seed":
            outcome.seeds_loaded += status == "success"
        elif not failed:
            outcome.other_ok += 1
    if outcome.failures:
        outcome.ok = False
    return outcome
