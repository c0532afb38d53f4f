"""Prepare a dbt run (sources YAML check, vars/env) and invoke dbt in-process with dbtRunner.

Nothing is written into the dbt project: several runs on different data roots may share the project directory
(the snapshot registry is read from the data root by the model ``snapshot_registry``; a local root keeps dbt's
target/ and logs/ under ``<root>/warehouse/``).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from ff_analytics.errors import ConfigError
from ff_analytics.settings import get_settings
from ff_analytics.snapshots.store import SnapshotStore
from ff_analytics.storage import DataRoot
from ff_analytics.transform.sources_yaml import check_sources_yaml

STRATEGIES = ("latest_only", "baseline_plus_latest", "all", "as_of")


def _check_date(name: str, value: str) -> str:
    if value:
        try:
            date.fromisoformat(value)
        except ValueError:
            raise ConfigError(f"{name} {value!r} is not a date (expected YYYY-MM-DD)", source="dbt") from None
    return value


def prepare_dbt(store: SnapshotStore | None = None, *, duckdb_path: str | Path | None = None) -> dict[str, Any]:
    """Everything a dbt run needs, as ``{"vars": {...}, "env": {...}, "project_dir", "profiles_dir"}``.

    Checks the sources YAML against config/platform.yaml and returns absolute paths (PrefectDbtRunner resolves
    relative paths from the working directory, not the project).
    """
    settings = get_settings()
    store = store or SnapshotStore()
    project_dir = Path(settings.dbt_project_dir).resolve()
    if settings.snapshot_strategy not in STRATEGIES:
        raise ConfigError(f"FFA_SNAPSHOT_STRATEGY {settings.snapshot_strategy!r} is not one of {STRATEGIES}",
                          source="dbt")
    if settings.snapshot_strategy == "baseline_plus_latest" and not settings.snapshot_baseline_dt:
        raise ConfigError("strategy baseline_plus_latest needs FFA_SNAPSHOT_BASELINE_DT", source="dbt")
    if settings.snapshot_strategy == "as_of" and not settings.snapshot_as_of:
        raise ConfigError("strategy as_of needs FFA_SNAPSHOT_AS_OF", source="dbt")
    check_sources_yaml(project_dir)
    root = store.root
    data_root = root.base if root.is_local else root.url.rstrip("/")
    dbt_vars = {
        "data_root": data_root,
        "snapshot_strategy": settings.snapshot_strategy,
        "snapshot_baseline_dt": _check_date("FFA_SNAPSHOT_BASELINE_DT", settings.snapshot_baseline_dt),
        "snapshot_as_of": _check_date("FFA_SNAPSHOT_AS_OF", settings.snapshot_as_of),
    }
    env = {
        "DO_NOT_TRACK": "1",
        "FFA_DATA_ROOT": data_root,
        "FFA_DBT_DUCKDB_PATH": str(Path(duckdb_path).resolve() if duckdb_path
                                   else project_dir / "target" / "ff_analytics.duckdb"),
        "FFA_SNAPSHOT_STRATEGY": dbt_vars["snapshot_strategy"],
        "FFA_SNAPSHOT_BASELINE_DT": dbt_vars["snapshot_baseline_dt"],
        "FFA_SNAPSHOT_AS_OF": dbt_vars["snapshot_as_of"],
        **dbt_artifact_paths(root),
    }
    return {"vars": dbt_vars, "env": env, "project_dir": str(project_dir), "profiles_dir": str(project_dir)}


def dbt_artifact_paths(root: DataRoot) -> dict[str, str]:
    """dbt's target/ and logs/ folders for a local data root, under ``<root>/warehouse/``.

    Runs on different roots then never share partial-parse state or artifacts (so they may run at once), and the
    repeated runs of one root reuse its partial parse. Object-store roots keep the project's own folders.
    """
    if not root.is_local:
        return {}
    base = Path(root.base).resolve() / "warehouse"
    return {"DBT_TARGET_PATH": str(base / "dbt_target"), "DBT_LOG_PATH": str(base / "dbt_logs")}


@dataclass
class DbtResult:
    success: bool
    command: list[str]
    results: list[dict[str, Any]]
    exception: BaseException | None

    def statuses(self) -> dict[str, str]:
        return {r["unique_id"]: r["status"] for r in self.results}


@contextmanager
def process_env(values: Mapping[str, str]) -> Iterator[None]:
    """dbt reads env_var() from the process environment: set ours for the call, then restore."""
    saved = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def dbt_invoke(args: list[str], *, target: str = "dev", store: SnapshotStore | None = None,
               extra_vars: Mapping[str, Any] | None = None, duckdb_path: str | Path | None = None) -> DbtResult:
    """Run one dbt command (``["build"]``, ``["source", "freshness"]``, ...) on this project, in-process."""
    from dbt.cli.main import dbtRunner

    prepared = prepare_dbt(store, duckdb_path=duckdb_path)
    dbt_vars = {**prepared["vars"], **(extra_vars or {})}
    command = [*args, "--project-dir", prepared["project_dir"], "--profiles-dir", prepared["profiles_dir"],
               "--target", target, "--vars", json.dumps(dbt_vars)]
    with process_env(prepared["env"]):
        res = dbtRunner().invoke(command)
    results = []
    for r in getattr(res.result, "results", None) or []:
        node = getattr(r, "node", None)
        results.append({"unique_id": getattr(node, "unique_id", None) or getattr(r, "unique_id", ""),
                        "status": str(getattr(r.status, "value", r.status)),
                        "message": getattr(r, "message", None), "failures": getattr(r, "failures", None),
                        "compiled_code": getattr(node, "compiled_code", None)})
    return DbtResult(success=bool(res.success), command=command, results=results, exception=res.exception)
