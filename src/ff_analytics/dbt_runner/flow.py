"""`run_dbt`: one Prefect flow that runs any dbt Core command on any project, one Prefect task per dbt node.

Parameters are validated before dbt starts; the profile comes from Prefect blocks (default) or the project's
profiles.yml; every run keeps its own artifacts dir and publishes a summary artifact; failures raise.
"""

from __future__ import annotations

import contextlib
import importlib
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from prefect import flow, get_run_logger
from prefect.artifacts import create_markdown_artifact
from prefect.context import FlowRunContext
from prefect_dbt.core.settings import PrefectDbtSettings

from ff_analytics.dbt_runner.artifacts import RunArtifacts, summarise, summary_markdown
from ff_analytics.dbt_runner.node_task_runner import NodeTaskDbtRunner
from ff_analytics.dbt_runner.params import DbtInvocation, validate_request
from ff_analytics.dbt_runner.profiles import (
    PreRenderedProfilesSettings,
    ephemeral_profiles_dir,
    load_target_block,
    local_profiles_dir,
    snowflake_timeouts,
)
from ff_analytics.errors import FFAError
from ff_analytics.settings import get_settings

SOURCE = "dbt_runner"


class DbtRunError(FFAError):
    """dbt ran but nodes failed (or dbt itself errored); the message names the failed nodes."""


def artifacts_root(project_dir: Path) -> Path:
    """Where per-run artifact dirs go: FFA_DBT_ARTIFACTS_DIR, else <local data root>/ops/dbt_runs/<project>."""
    settings = get_settings()
    if settings.dbt_artifacts_dir:
        return Path(settings.dbt_artifacts_dir).expanduser().resolve()
    data_root = settings.data_root
    base = Path(data_root) if "://" not in data_root else Path(__file__).resolve().parents[3] / "data"
    return (base / "ops" / "dbt_runs" / project_dir.name).resolve()


def new_run_dir(project_dir: Path, target: str) -> Path:
    """A fresh dir for this run's artifacts: ``<root>/<UTC time>-<target>-<flow run id>``."""
    ctx = FlowRunContext.get()
    run_id = str(ctx.flow_run.id)[:8] if ctx and ctx.flow_run else "local"
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    path = artifacts_root(project_dir) / f"{stamp}-{target}-{run_id}"
    path.mkdir(parents=True, exist_ok=False)
    return path


@contextlib.contextmanager
def dbt_settings_for(invocation: DbtInvocation, run_dir: Path) -> Iterator[PrefectDbtSettings]:
    """prefect-dbt settings for the run; with blocks, inside the ephemeral-profiles (and timeouts) context."""
    target_path = run_dir / "target"
    if invocation.profiles_strategy == "local":
        yield PrefectDbtSettings(project_dir=invocation.project_dir,
                                 profiles_dir=local_profiles_dir(invocation.project_dir), target_path=target_path)
        return
    block = load_target_block(invocation.target)
    with contextlib.ExitStack() as stack:
        profiles_dir = stack.enter_context(ephemeral_profiles_dir(invocation.project_dir, invocation.target, block))
        if block.kind == "snowflake":
            stack.enter_context(snowflake_timeouts(**block.connector_timeouts()))  # type: ignore[attr-defined]
        yield PreRenderedProfilesSettings(project_dir=invocation.project_dir, profiles_dir=profiles_dir,
                                          target_path=target_path)


@contextlib.contextmanager
def project_preparation(invocation: DbtInvocation) -> Iterator[DbtInvocation]:
    """For the repo's own dbt project, apply ``ff_analytics.transform.prepare_dbt`` (checked sources YAML, absolute
    data_root and snapshot vars, env for its profiles.yml) under the caller's vars; other projects pass through."""
    if invocation.project_dir != Path(get_settings().dbt_project_dir).resolve():
        yield invocation
        return
    try:
        prepare_dbt = importlib.import_module("ff_analytics.transform").prepare_dbt
    except (ImportError, AttributeError):
        yield invocation
        return
    prepared = prepare_dbt()
    merged = {**(prepared.get("vars") or {}), **invocation.vars}
    invocation = validate_request(
        command=invocation.command, target=invocation.target, project_dir=invocation.project_dir,
        vars=merged, profiles_strategy=invocation.profiles_strategy,
        **_selection_kwargs(invocation.args, invocation.state_path),
    )
    env = {str(k): str(v) for k, v in (prepared.get("env") or {}).items()}
    with importlib.import_module("ff_analytics.transform.dbt").process_env(env):  # dbt reads env_var() from it
        yield invocation


def _selection_kwargs(args: list[str], state_path: Path | None) -> dict[str, Any]:
    """Recover select/exclude/full_refresh/defer from validated args (to re-validate with merged vars)."""
    out: dict[str, Any] = {"full_refresh": "--full-refresh" in args, "defer": "--defer" in args,
                           "state_path": state_path}
    for flag, key in (("--select", "select"), ("--exclude", "exclude")):
        if flag in args:
            i = args.index(flag) + 1
            items = []
            while i < len(args) and not args[i].startswith("--"):
                items.append(args[i])
                i += 1
            out[key] = items
    return out


def _artifact_key(target: str) -> str:
    return "dbt-run-" + re.sub(r"[^a-z0-9-]", "-", target.lower())


def _alert_on_failure(flow: Any, flow_run: Any, state: Any) -> None:
    """Flow failure → the platform's alert block (best effort; never raises)."""
    try:
        from ff_analytics.orchestration.alerts import flow_failure_hook
    except ImportError:
        return
    flow_failure_hook(source="dbt")(flow, flow_run, state)


@flow(name="run-dbt", description="Run a dbt Core command (one Prefect task per node) with block-based profiles.",
      on_failure=[_alert_on_failure], on_crashed=[_alert_on_failure])
def run_dbt(
    command: str = "build",
    target: str = "dev",
    select: str | None = None,
    exclude: str | None = None,
    vars: str | dict[str, Any] | None = None,
    full_refresh: bool = False,
    state_path: str | None = None,
    defer: bool = False,
    project_dir: str | None = None,
    profiles_strategy: str = "blocks",
) -> dict[str, Any]:
    """Run ``dbt <command>`` and return the run summary (raises DbtRunError when dbt fails)."""
    logger = get_run_logger()
    invocation = validate_request(
        command=command, target=target, select=select, exclude=exclude, vars=vars, full_refresh=full_refresh,
        state_path=state_path, defer=defer, profiles_strategy=profiles_strategy,
        project_dir=project_dir or get_settings().dbt_project_dir,
    )
    with project_preparation(invocation) as prepared:
        return _run(prepared, logger)


def _run(invocation: DbtInvocation, logger: Any) -> dict[str, Any]:
    run_dir = new_run_dir(invocation.project_dir, invocation.target)
    logger.info("dbt %s (target %s, profiles from %s); artifacts in %s", " ".join(invocation.args),
                invocation.target, invocation.profiles_strategy, run_dir)
    error: str | None = None
    success = False
    with dbt_settings_for(invocation, run_dir) as settings:
        runner = NodeTaskDbtRunner(settings=settings, raise_on_failure=False)
        try:
            result = runner.invoke(list(invocation.args), log_path=str(run_dir / "logs"))
            success = bool(result.success)
        except ValueError as exc:  # prefect-dbt raises ValueError when dbt itself fails (parse, connection)
            error = str(exc)
    artifacts = RunArtifacts.load(run_dir / "target") if (run_dir / "target").is_dir() else RunArtifacts(run_dir)
    summary = summarise(artifacts, success=success)
    create_markdown_artifact(markdown=summary_markdown(summary, f"dbt {invocation.command} · {invocation.target}"),
                             key=_artifact_key(invocation.target),
                             description=f"dbt {invocation.command} on {invocation.project_dir.name}")
    if not success:
        failed = ", ".join(f"{f['unique_id']} ({f['status']})" for f in summary.failures) or "no node results"
        raise DbtRunError(f"dbt {invocation.command} failed on target {invocation.target}: {failed}"
                          + (f"; {error}" if error else ""), source=SOURCE, dataset=invocation.project_dir.name)
    logger.info("dbt %s succeeded: %s", invocation.command, summary.nodes_by_status)
    return summary.to_dict()
