"""Reusable Prefect tasks for analytics flows.

load a dbt mart into Polars (retried: marts can be mid-rebuild) → compute, validating every output row with a
Pydantic model → write Parquet through the snapshot store (``raw/analytics/<name>/dt=…``, promoted to current once
valid) → run the dbt models that read ``source('analytics', <name>)``. Failures raise AnalyticsError/ConfigError
with a clear message, and the task's failure hook sends an alert through the platform's alert block.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import polars as pl
from prefect import task
from pydantic import BaseModel, ValidationError

from ff_analytics.errors import ConfigError, FFAError
from ff_analytics.platform_config import Cadence, Freshness, PlatformConfig, SourceConfig, platform_config
from ff_analytics.settings import get_settings
from ff_analytics.snapshots.store import SnapshotStore

SOURCE = "analytics"
# Policy for analytics outputs (kept here, not in config/platform.yaml, so governance of the upstream sources is
# unaffected; move it there if analytics outputs should get freshness checks too).
ANALYTICS_DATASETS = ["player_value"]
_RELATION = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*){0,2}$")


class AnalyticsError(FFAError):
    """An analytics computation produced rows that break its schema, or its inputs are unusable."""


def analytics_config(datasets: list[str] | None = None) -> PlatformConfig:
    """The platform config plus the ``analytics`` source, so the snapshot store accepts analytics outputs."""
    base = platform_config()
    names = sorted({*ANALYTICS_DATASETS, *(datasets or [])})
    source = SourceConfig(description="outputs of Python analytics flows", datasets=names,
                          freshness=Freshness(warn_after_days=7, error_after_days=14),
                          cadence=Cadence(cron="0 11 * * *", description="after the daily dbt build"))
    return base.model_copy(update={"sources": {**base.sources, SOURCE: source}})


def alert_hook(dataset: str) -> list[Callable[..., None]]:
    """The platform's task-failure alert (orchestration's alert block), when orchestration is installed."""
    try:
        from ff_analytics.alerts import task_failure_hook
    except ImportError:
        return []
    return [task_failure_hook(source=SOURCE, dataset=dataset)]


@task(name="check-settings", on_failure=alert_hook("settings"))
def require_settings(*names: str) -> None:
    """Fail with the env var's name when a setting the flow needs is empty."""
    settings = get_settings()
    missing = []
    for name in names:
        value = getattr(settings, name)
        value = value.get_secret_value() if hasattr(value, "get_secret_value") else value
        if value in ("", None):
            missing.append(f"FFA_{name.upper()}")
    if missing:
        raise ConfigError(f"missing environment variable(s): {', '.join(missing)}", source=SOURCE)


# -- load ---------------------------------------------------------------------------------------------------------
def _resolve_relation(con: duckdb.DuckDBPyConnection, relation: str) -> str:
    """``schema.table`` as given, or the one schema holding ``table`` (dbt custom schemas vary by project)."""
    if not _RELATION.match(relation):
        raise ConfigError(f"relation {relation!r} is not a plain [schema.]table name", source=SOURCE)
    if "." in relation:
        return relation
    rows = con.execute("select table_schema from information_schema.tables where table_name = ?",
                       [relation]).fetchall()
    if len(rows) != 1:
        found = ", ".join(r[0] for r in rows) or "none"
        raise ConfigError(f"mart {relation!r} must exist in exactly one schema (found: {found}); run dbt first "
                          "or qualify it as schema.table", source=SOURCE)
    return f"{rows[0][0]}.{relation}"


def read_duckdb_mart(path: str, relation: str, sql: str | None = None,
                     token: str | None = None) -> pl.DataFrame:
    """A mart (or ``sql`` over ``{relation}``) from a DuckDB/MotherDuck database as a Polars frame."""
    if not path.startswith("md:") and not Path(path).is_file():
        raise ConfigError(f"DuckDB database {path!r} does not exist (has dbt built this target?)", source=SOURCE)
    config = {"motherduck_token": token} if token else {}
    with duckdb.connect(path, config=config) as con:
        qualified = _resolve_relation(con, relation)
        query = (sql or "select * from {relation}").format(relation=qualified)
        return con.execute(query).pl()


def read_snowflake_mart(block: Any, relation: str, sql: str | None = None) -> pl.DataFrame:
    """A mart from Snowflake with the target block's credentials and finite timeouts."""
    import snowflake.connector

    out = block.profile_output()
    kwargs = {k: out[k] for k in ("account", "user", "password", "role", "warehouse", "database", "schema", "host",
                                  "port", "protocol") if k in out}
    with snowflake.connector.connect(**kwargs, **block.connector_timeouts()) as con:
        qualified = relation if "." in relation else f"{out['database']}.{out['schema']}.{relation}"
        cur = con.cursor()
        cur.execute((sql or "select * from {relation}").format(relation=qualified))
        return pl.from_arrow(cur.fetch_arrow_all())


@task(name="load-mart", retries=3, retry_delay_seconds=60)
def load_mart(relation: str, target: str = "dev", sql: str | None = None) -> pl.DataFrame:
    """Load a dbt mart of ``target`` (resolved through its ``ffa-dbt-<target>`` block) into Polars."""
    from ff_analytics.dbt_runner.profiles import load_target_block

    block = load_target_block(target)
    if block.kind == "snowflake":
        return read_snowflake_mart(block, relation, sql)
    token = block.motherduck_token.get_secret_value() if getattr(block, "motherduck_token", None) else None
    frame = read_duckdb_mart(block.path, relation, sql, token)  # type: ignore[attr-defined]
    if frame.height == 0:
        raise AnalyticsError(f"mart {relation!r} on target {target!r} is empty", source=SOURCE, dataset=relation)
    return frame


def configured_load_mart() -> Any:
    """load_mart with the retry policy from settings (3 × 60 s in production; tests set the delay to 0)."""
    settings = get_settings()
    return load_mart.with_options(retries=settings.analytics_retries,
                                  retry_delay_seconds=settings.analytics_retry_delay_seconds,
                                  on_failure=alert_hook("mart"))


# -- compute + validate -------------------------------------------------------------------------------------------
def validate_rows(frame: pl.DataFrame, row_model: type[BaseModel], name: str) -> pl.DataFrame:
    """Every row must satisfy ``row_model``; the error names the first bad rows, fields and values."""
    if frame.height == 0:
        raise AnalyticsError("computation produced no rows", source=SOURCE, dataset=name)
    problems = []
    for i, row in enumerate(frame.iter_rows(named=True)):
        try:
            row_model.model_validate(row)
        except ValidationError as exc:
            for err in exc.errors():
                field = ".".join(str(p) for p in err["loc"])
                problems.append(f"row {i} ({row.get('player_id', '')}): {field} {err['msg']} "
                                f"(got {err.get('input')!r})")
        if len(problems) >= 5:
            break
    if problems:
        raise AnalyticsError(f"{len(problems)}+ invalid output row(s) for {row_model.__name__}: "
                             + "; ".join(problems[:5]), source=SOURCE, dataset=name)
    return frame.select(list(row_model.model_fields))


def compute_validated(name: str, compute: Callable[..., pl.DataFrame], row_model: type[BaseModel],
                      **inputs: pl.DataFrame) -> pl.DataFrame:
    """Run ``compute(**inputs)`` as a task and validate its output (task name: compute-<name>)."""

    @task(name=f"compute-{name}", on_failure=alert_hook(name))
    def _compute(**frames: pl.DataFrame) -> pl.DataFrame:
        return validate_rows(compute(**frames), row_model, name)

    return _compute(**inputs)


# -- write --------------------------------------------------------------------------------------------------------
@task(name="write-analytics-output")
def write_output(name: str, frame: pl.DataFrame, dt: date | None = None, run_id: str | None = None) -> str:
    """Write the validated frame through the snapshot store and make it current; returns the partition URI."""
    store = SnapshotStore(config=analytics_config([name]))
    result = store.write(SOURCE, name, frame, dt=dt, loader=f"ff_analytics.analytics.{name}", run_id=run_id)
    if result.status != "unchanged":
        store.registry.promote(SOURCE, name, result.dt.isoformat(), note="validated by its row schema")
    return result.path


# -- dbt ----------------------------------------------------------------------------------------------------------
def run_analytics_models(name: str, target: str, project_dir: str | None = None) -> dict[str, Any]:
    """Build the dbt models downstream of ``source('analytics', name)`` (a run-dbt subflow)."""
    from ff_analytics.dbt_runner.flow import run_dbt

    root = SnapshotStore().root
    data_root = root.base if root.is_local else root.url.rstrip("/")
    return run_dbt(command="build", target=target, select=f"source:{SOURCE}.{name}+",
                   vars={"data_root": data_root}, project_dir=project_dir)
