"""This project's dbt run: check the sources YAML, derive vars and paths from the data root, call the generic
runner (:func:`ff_analytics.dbt_runner.invoke.invoke_dbt`).

Nothing is written into the dbt project: several runs on different data roots may share the project directory.
The data root reaches dbt once, as the var ``data_root``; the warehouse file, dbt's target/ and logs/ are the data
root's own (:class:`ff_analytics.storage.DataRoot`), so ``ffa run``, ``ffa demo`` and ``ffa dbt run`` on one root
build the same warehouse.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from ff_analytics.dbt_runner.invoke import DbtRun, invoke_dbt
from ff_analytics.errors import ConfigError
from ff_analytics.settings import get_settings
from ff_analytics.snapshots.store import SnapshotStore
from ff_analytics.storage import DataRoot
from ff_analytics.transform.sources_yaml import check_sources_yaml

STRATEGIES = ("latest_only", "baseline_plus_latest", "all", "as_of")


@dataclass(frozen=True)
class ProjectRun:
    """Everything one dbt invocation of this project needs for a data root."""

    project_dir: Path
    dbt_vars: dict[str, Any]
    env: dict[str, str]
    target_path: Path
    log_path: Path
    warehouse_path: Path
    extra_args: list[str] = field(default_factory=list)


def _check_date(name: str, value: str) -> str:
    if value:
        try:
            date.fromisoformat(value)
        except ValueError:
            raise ConfigError(f"{name} {value!r} is not a date (expected YYYY-MM-DD)", source="dbt") from None
    return value


def prepare_dbt(store: SnapshotStore | None = None) -> ProjectRun:
    """Vars, environment and paths of a dbt run on ``store``'s data root (absolute paths: prefect-dbt resolves
    relative ones from the working directory). Refuses a sources YAML that is stale against platform.yaml."""
    settings = get_settings()
    root: DataRoot = (store or SnapshotStore()).root
    project_dir = Path(settings.dbt_project_dir).resolve()
    if settings.snapshot_strategy not in STRATEGIES:
        raise ConfigError(f"FFA_SNAPSHOT_STRATEGY {settings.snapshot_strategy!r} is not one of {STRATEGIES}",
                          source="dbt")
    if settings.snapshot_strategy == "baseline_plus_latest" and not settings.snapshot_baseline_dt:
        raise ConfigError("strategy baseline_plus_latest needs FFA_SNAPSHOT_BASELINE_DT", source="dbt")
    if settings.snapshot_strategy == "as_of" and not settings.snapshot_as_of:
        raise ConfigError("strategy as_of needs FFA_SNAPSHOT_AS_OF", source="dbt")
    check_sources_yaml(project_dir)
    warehouse = root.warehouse_path.resolve()
    warehouse.parent.mkdir(parents=True, exist_ok=True)
    dbt_vars = {
        "data_root": root.base if root.is_local else root.url.rstrip("/"),
        "snapshot_strategy": settings.snapshot_strategy,
        "snapshot_baseline_dt": _check_date("FFA_SNAPSHOT_BASELINE_DT", settings.snapshot_baseline_dt),
        "snapshot_as_of": _check_date("FFA_SNAPSHOT_AS_OF", settings.snapshot_as_of),
    }
    return ProjectRun(project_dir=project_dir, dbt_vars=dbt_vars, env={"FFA_DBT_DUCKDB_PATH": str(warehouse)},
                      target_path=root.dbt_target_dir.resolve(), log_path=root.dbt_log_dir.resolve(),
                      warehouse_path=warehouse)


def run_project_dbt(args: list[str], *, store: SnapshotStore | None = None, target: str = "dev",
                    extra_vars: Mapping[str, Any] | None = None, per_node: bool = False,
                    prepared: ProjectRun | None = None, warehouse_path: Path | None = None) -> DbtRun:
    """Run ``dbt <args>`` (``["build"]``, ``["source", "freshness"]``, ...) on this project for the data root.

    ``warehouse_path`` builds another DuckDB file than the root's (tests that keep several warehouses apart).
    """
    run = prepared or prepare_dbt(store)
    env = {**run.env, "FFA_DBT_DUCKDB_PATH": str(Path(warehouse_path).resolve())} if warehouse_path else run.env
    return invoke_dbt([*args, "--target", target], project_dir=run.project_dir, profiles_dir=run.project_dir,
                      target_path=run.target_path, log_path=run.log_path,
                      dbt_vars={**run.dbt_vars, **dict(extra_vars or {})}, env=env, per_node=per_node)
