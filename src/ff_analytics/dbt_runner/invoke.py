"""Invoke dbt Core once and summarise what it did: the one dbt path of the platform, for any dbt project.

Two modes, one result. ``per_node=False`` runs dbt's own ``dbtRunner`` (inside a Prefect flow the caller wraps the
whole invocation in one task); ``per_node=True`` runs prefect-dbt's runner, one Prefect task per dbt node (it must
be called inside a flow). Either way the result is read back from the artifacts dbt wrote (``run_results.json``
or ``sources.json`` in the target path), so both modes report exactly the same nodes and statuses.

Nothing here knows a particular project: the caller passes paths, vars and the environment its profiles read.
"""

from __future__ import annotations

import json
import logging
import os
import re
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ff_analytics import progress
from ff_analytics.dbt_runner.artifacts import NodeResult, RunArtifacts

MODEL_TYPES = {"model", "snapshot"}
TEST_TYPES = {"test", "unit_test"}
FAILED = {"error", "fail", "runtime error"}
# dbt's lines as Python log records. Off unless a run log turns propagation on (`ffa demo`/`ffa run` quiet dbt's
# console and keep its lines in their log file); elsewhere (`ffa dbt run`) dbt's own console says it all, once.
DBT_LOG = logging.getLogger("ff_analytics.dbt")
DBT_LOG.addHandler(logging.NullHandler())
DBT_LOG.propagate = False
LOG_LEVELS = {"info": logging.INFO, "warn": logging.WARNING, "error": logging.ERROR}
ANSI = re.compile(r"\x1b\[[0-9;]*m")


@dataclass
class DbtRun:
    """One dbt invocation: success, every executed node's result, and counts the summaries print."""

    command: str
    success: bool
    nodes: list[NodeResult] = field(default_factory=list)
    error: str | None = None
    seconds: float = 0.0
    artifacts_dir: str = ""

    @property
    def ok(self) -> bool:
        return self.success and self.error is None and not self.failed_nodes

    def _count(self, kinds: set[str], statuses: set[str]) -> int:
        return sum(1 for n in self.nodes if n.resource_type in kinds and n.status in statuses)

    @property
    def models_built(self) -> int:
        return self._count(MODEL_TYPES, {"success"})

    @property
    def models_failed(self) -> int:
        return self._count(MODEL_TYPES, FAILED)

    @property
    def tests_passed(self) -> int:
        return self._count(TEST_TYPES, {"pass"})

    @property
    def tests_failed(self) -> int:
        return self._count(TEST_TYPES, FAILED)

    @property
    def tests_warned(self) -> int:
        return self._count(TEST_TYPES, {"warn"})

    @property
    def tests_skipped(self) -> int:
        return self._count(TEST_TYPES, {"skipped"})

    @property
    def seeds_loaded(self) -> int:
        return self._count({"seed"}, {"success"})

    @property
    def failed_nodes(self) -> list[NodeResult]:
        return [n for n in self.nodes if n.status in FAILED]

    @property
    def warned_nodes(self) -> list[NodeResult]:
        return [n for n in self.nodes if n.status == "warn"]

    @property
    def failures(self) -> list[str]:
        return [f"{n.unique_id}: {n.status}: {(n.message or '')[:200]}" for n in self.failed_nodes]

    @property
    def warnings(self) -> list[str]:
        return [f"{n.unique_id}: {(n.message or '')[:200]}" for n in self.warned_nodes]

    def statuses(self) -> dict[str, str]:
        return {n.unique_id: n.status for n in self.nodes}

    def counts_by_status(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for n in self.nodes:
            out[n.status] = out.get(n.status, 0) + 1
        return dict(sorted(out.items()))


@contextmanager
def process_env(values: Mapping[str, str]) -> Iterator[None]:
    """dbt reads ``env_var()`` from the process environment: set the caller's values for the call, then restore."""
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


def invoke_dbt(args: list[str], *, project_dir: str | Path, profiles_dir: str | Path, target_path: str | Path,
               log_path: str | Path | None = None, dbt_vars: Mapping[str, Any] | None = None,
               env: Mapping[str, str] | None = None, per_node: bool = False) -> DbtRun:
    """Run ``dbt <args>`` on a project and return its result; dbt failures are in the result, never raised."""
    target = Path(target_path)
    label = " ".join(args)
    started = time.monotonic()
    full = [*args, "--project-dir", str(project_dir), "--profiles-dir", str(profiles_dir)]
    if dbt_vars:
        full += ["--vars", json.dumps(dict(dbt_vars), default=str)]
    freshness = args[:2] == ["source", "freshness"]
    output = target / ("sources.json" if freshness else "run_results.json")
    output.unlink(missing_ok=True)  # never read a previous invocation's results as this one's
    success, error = False, None
    with process_env({"DO_NOT_TRACK": "1", **dict(env or {})}):
        try:
            if per_node:
                success = _invoke_per_node(full, project_dir, profiles_dir, target, log_path)
            else:
                success, error = _invoke_plain(full, target, log_path, command_words(args))
        except Exception as exc:  # noqa: BLE001 - dbt crashing is this invocation's failure, reported in the result
            error = f"{type(exc).__name__}: {exc}"
    nodes = []
    if output.is_file():  # the target keeps the other command's artifact (build's results beside freshness')
        artifacts = RunArtifacts.load(target)
        if freshness:
            artifacts.run_results = None
        else:
            artifacts.sources = None
        nodes = list(artifacts.results().values())
    return DbtRun(label, success, nodes, error, time.monotonic() - started, str(target))


def command_words(args: list[str]) -> str:
    """``["source", "freshness", "--target", "dev"]`` → ``"source freshness"``: what progress calls the run."""
    words = []
    for arg in args:
        if arg.startswith("-"):
            break
        words.append(arg)
    return " ".join(words)


def _invoke_plain(args: list[str], target: Path, log_path: str | Path | None,
                  command: str) -> tuple[bool, str | None]:
    from dbt.cli.main import dbtRunner  # imported on first use: dbt's import costs ~1.5 s for commands without it

    extra = ["--target-path", str(target)] + (["--log-path", str(log_path)] if log_path else [])
    res = dbtRunner(callbacks=[dbt_event_listener(command)]).invoke([*args, *extra])
    exc = getattr(res, "exception", None)
    return bool(res.success), (f"{type(exc).__name__}: {exc}" if exc is not None else None)


def dbt_event_listener(command: str) -> Callable[[Any], None]:
    """dbt's events → the Python log (each message at its level, so a run log holds dbt's lines even when dbt's
    console is quiet) and progress (each finished node, with the invocation's node count once dbt said it)."""
    total: list[int | None] = [None]

    def on_event(msg: Any) -> None:
        name, data = msg.info.name, msg.data
        if name == "LogStartLine" and data.total:
            total[0] = data.total
        elif name == "NodeFinished":
            progress.dbt_node_finished(command, data.node_info.unique_id, data.node_info.node_status, total[0])
        level = LOG_LEVELS.get(msg.info.level)
        if level is not None and msg.info.msg:
            DBT_LOG.log(level, "%s", ANSI.sub("", msg.info.msg))

    return on_event


def _invoke_per_node(args: list[str], project_dir: str | Path, profiles_dir: str | Path, target: Path,
                     log_path: str | Path | None) -> bool:
    # Imported here: the plain mode (and `ffa demo --no-prefect`) must not pay for importing Prefect (~2 s).
    from ff_analytics.dbt_runner.node_task_runner import NodeTaskDbtRunner
    from ff_analytics.dbt_runner.profiles import PreRenderedProfilesSettings

    settings = PreRenderedProfilesSettings(project_dir=str(project_dir), profiles_dir=str(profiles_dir),
                                           target_path=target)
    runner = NodeTaskDbtRunner(settings=settings, raise_on_failure=False, disable_assets=True)
    kwargs = {"log_path": str(log_path)} if log_path else {}
    return bool(runner.invoke(args, **kwargs).success)


def node_table(run: DbtRun) -> list[dict[str, Any]]:
    """Every node's result as rows (a Prefect table artifact and the run summary's detail)."""
    return [{"node": n.unique_id, "type": n.resource_type, "status": n.status,
             "seconds": round(n.execution_time, 3), "message": (n.message or "")[:200]}
            for n in sorted(run.nodes, key=lambda n: n.unique_id)]
