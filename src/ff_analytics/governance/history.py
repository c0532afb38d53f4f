"""One call at the end of a run: keep dbt's findings, derive snapshot events, append the run to the ops history.

The orchestration calls :func:`record_run_history` after dbt (build and source freshness) and before writing the
governance report, which then shows this run's changes as "what changed since the last run".
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from ff_analytics.governance.findings import Finding
from ff_analytics.governance.findings_store import FindingsStore, record_check_findings
from ff_analytics.governance.ops_store import (
    RunRecord,
    SnapshotEvent,
    default_warehouse,
    record_run,
    registry_events,
)
from ff_analytics.snapshots.registry import RegistryRow
from ff_analytics.snapshots.store import SnapshotStore


def record_run_history(run: RunRecord, registry_before: Sequence[RegistryRow], *,
                       store: SnapshotStore | None = None, findings: Iterable[Finding] = (),
                       dbt_artifacts_dir: str | Path | None = None,
                       written: Iterable[tuple[str, str, str]] = (), unchanged: Iterable[tuple[str, str, str]] = (),
                       warehouse_path: str | Path | None = None) -> list[SnapshotEvent]:
    """Record one finished run; returns its snapshot events.

    ``registry_before``: ``store.registry.read(strict=False)`` taken when the run started. ``findings``: what the
    run's checks found (source checks, gate). ``dbt_artifacts_dir``: the target dir of this run's dbt commands
    (``run_results.json`` of ``dbt build``, ``sources.json`` of ``dbt source freshness``): its non-passing tests
    and stale sources replace the previous run's in the findings store. ``written``/``unchanged``: keys
    ``(source, dataset, "YYYY-MM-DD")`` by the datasets' write status. The ops history gets every finding active
    at the end of the run (kept ones included), so ``ops.findings`` answers "what was wrong after run X".
    ``warehouse_path`` defaults to the root's warehouse (``DataRoot.warehouse_path``).
    """
    from ff_analytics.dbt_runner.artifacts import RunArtifacts, dbt_findings  # dbt_runner imports governance

    store = store or SnapshotStore()
    found = list(findings)
    nodes = []
    command = None
    if dbt_artifacts_dir is not None and Path(dbt_artifacts_dir).is_dir():
        artifacts = RunArtifacts.load(dbt_artifacts_dir)
        nodes = list(artifacts.results().values())
        command = artifacts.command
        checks = (["dbt"] if artifacts.run_results else []) + (["dbt_freshness"] if artifacts.sources else [])
        from_dbt = dbt_findings(artifacts)
        record_check_findings(store.root, from_dbt, checks, run_id=run.run_id)
        found += from_dbt
    kept = FindingsStore(store.root)
    seen = {(f.source, f.dataset, f.dt, f.code, f.path) for f in found}
    found += [f.finding() for f in kept.active() if f.key not in seen]
    events = registry_events(registry_before, store.registry.read(strict=False), written, unchanged)
    record_run(warehouse_path or default_warehouse(store.root), run, found, nodes, events, dbt_command=command,
               acknowledged=[a.key for a in kept.acknowledged()])
    return events
