"""`run_dbt`: one Prefect flow that runs any dbt Core command on any project, one Prefect task per dbt node.

Parameters are validated before dbt starts; the profile comes from Prefect blocks (default) or the project's
profiles.yml; every run keeps its own artifacts dir and publishes a summary artifact; failures raise.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from prefect import flow, get_run_logger
from prefect.artifacts import create_markdown_artifact
from prefect.context import FlowRunContext

from ff_analytics.alerts import flow_failure_hook
from ff_analytics.dbt_runner.artifacts import RunArtifacts, summarise, summary_markdown
from ff_analytics.dbt_runner.invoke import invoke_dbt
from ff_analytics.dbt_runner.params import DbtInvocation, validate_request
from ff_analytics.dbt_runner.profiles import (
    ephemeral_profiles_dir,
    load_target_block,
    local_profiles_dir,
    snowflake_timeouts,
)
from ff_analytics.errors import FFAError
from ff_analytics.settings import get_settings
from ff_analytics.storage import DataRoot

SOURCE = "dbt_runner"


class DbtRunError(FFAError):
    """dbt ran but nodes failed (or dbt itself errored); the message names the failed nodes."""


def artifacts_root(project_dir: Path, configured: str | None = None) -> Path:
    """Where per-run artifact dirs go: the caller's folder, else FFA_DBT_ARTIFACTS_DIR, else
    ``<data root>/ops/dbt_runs/<project>``."""
    chosen = configured or get_settings().dbt_artifacts_dir
    if chosen:
        return Path(chosen).expanduser().resolve()
    return (DataRoot.from_settings().dbt_runs_dir / project_dir.name).resolve()


def new_run_dir(project_dir: Path, target: str, configured: str | None = None) -> Path:
    """A fresh dir for this run's artifacts: ``<root>/<UTC time>-<target>-<flow run id>``."""
    ctx = FlowRunContext.get()
    run_id = str(ctx.flow_run.id)[:8] if ctx and ctx.flow_run else "local"
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    path = artifacts_root(project_dir, configured) / f"{stamp}-{target}-{run_id}"
    path.mkdir(parents=True, exist_ok=False)
    return path


@contextlib.contextmanager
def profiles_for(invocation: DbtInvocation) -> Iterator[Path]:
    """The profiles dir of the run: the project's own, or one rendered from the target block (with timeouts)."""
    if invocation.profiles_strategy == "local":
        yield Path(local_profiles_dir(invocation.project_dir))
        return
    block = load_target_block(invocation.target)
    with contextlib.ExitStack() as stack:
        profiles_dir = stack.enter_context(ephemeral_profiles_dir(invocation.project_dir, invocation.target, block))
        if block.kind == "snowflake":
            stack.enter_context(snowflake_timeouts(**block.connector_timeouts()))  # type: ignore[attr-defined]
        yield Path(profiles_dir)


def _artifact_key(target: str) -> str:
    return "dbt-run-" + re.sub(r"[^a-z0-9-]", "-", target.lower())


@flow(name="run-dbt", description="Run a dbt Core command (one Prefect task per node) with block-based profiles.",
      on_failure=[flow_failure_hook(source="dbt")], on_crashed=[flow_failure_hook(source="dbt")])
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
    env: dict[str, str] | None = None,
    artifacts_dir: str | None = None,
    per_node_tasks: bool = True,
) -> dict[str, Any]:
    """Run ``dbt <command>`` and return the run summary (raises DbtRunError when dbt fails).

    ``env``: variables the project's profiles or models read with ``env_var()`` (set for the call only);
    ``per_node_tasks``: one Prefect task per dbt node (default) or one for the whole invocation.
    """
    invocation = validate_request(
        command=command, target=target, select=select, exclude=exclude, vars=vars, full_refresh=full_refresh,
        state_path=state_path, defer=defer, profiles_strategy=profiles_strategy,
        project_dir=project_dir or get_settings().dbt_project_dir,
    )
    return _run(invocation, get_run_logger(), env or {}, artifacts_dir, per_node_tasks)


def _run(invocation: DbtInvocation, logger: Any, env: dict[str, str], artifacts_dir: str | None,
         per_node: bool) -> dict[str, Any]:
    run_dir = new_run_dir(invocation.project_dir, invocation.target, artifacts_dir)
    logger.info("dbt %s (target %s, profiles from %s); artifacts in %s", " ".join(invocation.args),
                invocation.target, invocation.profiles_strategy, run_dir)
    with profiles_for(invocation) as profiles_dir:
        run = invoke_dbt(list(invocation.args), project_dir=invocation.project_dir, profiles_dir=profiles_dir,
                         target_path=run_dir / "target", log_path=run_dir / "logs", env=env, per_node=per_node)
    success, error = run.success, run.error
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
