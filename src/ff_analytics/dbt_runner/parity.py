"""Parity between two dbt runs (e.g. the last dbt Cloud run vs the first Prefect run) from their artifacts.

Compared: node counts by resource type and by status, nodes only in one run, status changes, row counts where
the adapter reports them (``adapter_response.rows_affected``), and timings. Nodes, statuses and row counts beyond
the tolerance make the runs differ; timings are reported and only count when a timing tolerance is given.

A node is compared on two levels: the project (manifest: does the node exist) and the run (run_results: was it
executed, with which status). A node both projects have but only one run executed is a difference, named with the
status it had: "success 49 -> 48" never passes as identical.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from ff_analytics.dbt_runner.artifacts import RunArtifacts
from ff_analytics.errors import ConfigError

SOURCE = "dbt_runner"
MIN_TIMING_SECONDS = 1.0  # slower-than-tolerance only counts above this, so sub-second jitter never fails


@dataclass(frozen=True)
class Tolerance:
    """rows: allowed relative row-count change (0.05 = 5 %); timing: allowed relative slow-down, None = ignore."""

    rows: float = 0.0
    timing: float | None = None

    @classmethod
    def parse(cls, specs: list[str] | None) -> Tolerance:
        """From ``["rows=0.05", "timing=0.5"]`` (a bare number means rows)."""
        values: dict[str, float] = {}
        for spec in specs or []:
            key, _, raw = spec.partition("=") if "=" in spec else ("rows", "=", spec)
            key = key.strip().lower()
            if key not in ("rows", "timing"):
                raise ConfigError(f"unknown tolerance {key!r} in {spec!r} (use rows=FRACTION or timing=FRACTION)",
                                  source=SOURCE)
            try:
                value = float(raw)
            except ValueError:
                raise ConfigError(f"tolerance {spec!r} is not a number", source=SOURCE) from None
            if value < 0:
                raise ConfigError(f"tolerance {spec!r} must not be negative", source=SOURCE)
            values[key] = value
        return cls(**values)


@dataclass
class ParityReport:
    baseline: str
    candidate: str
    tolerance: dict[str, Any]
    counts_by_type: dict[str, dict[str, int]] = field(default_factory=dict)    # type -> {baseline, candidate}
    counts_by_status: dict[str, dict[str, int]] = field(default_factory=dict)  # status -> {baseline, candidate}
    only_in_baseline: list[str] = field(default_factory=list)
    only_in_candidate: list[str] = field(default_factory=list)
    status_changes: list[dict[str, Any]] = field(default_factory=list)
    result_only_in_baseline: list[dict[str, str]] = field(default_factory=list)   # executed in one run only
    result_only_in_candidate: list[dict[str, str]] = field(default_factory=list)
    row_count_differences: list[dict[str, Any]] = field(default_factory=list)
    timing: dict[str, Any] = field(default_factory=dict)
    slower_nodes: list[dict[str, Any]] = field(default_factory=list)
    differences: list[str] = field(default_factory=list)

    @property
    def identical(self) -> bool:
        return not self.differences

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "identical": self.identical}


def _pair(a: Counter[str], b: Counter[str]) -> dict[str, dict[str, int]]:
    return {k: {"baseline": a.get(k, 0), "candidate": b.get(k, 0)} for k in sorted(set(a) | set(b))}


def compare_runs(baseline_dir: str | Path, candidate_dir: str | Path, tolerance: Tolerance | None = None
                 ) -> ParityReport:
    """Compare two runs' artifact dirs (each holding run_results.json and manifest.json, or a target/ with them)."""
    tol = tolerance or Tolerance()
    base = RunArtifacts.load(baseline_dir, required=True)
    cand = RunArtifacts.load(candidate_dir, required=True)
    report = ParityReport(baseline=str(base.path), candidate=str(cand.path), tolerance=asdict(tol))
    b_results, c_results = base.results(), cand.results()
    # Node inventory: the manifest when present (catches nodes that exist but were not executed), else results.
    b_nodes = base.manifest_nodes() or {u: r.resource_type for u, r in b_results.items()}
    c_nodes = cand.manifest_nodes() or {u: r.resource_type for u, r in c_results.items()}
    executable = {"model", "seed", "snapshot", "test", "unit_test", "source"}
    b_nodes = {u: t for u, t in b_nodes.items() if t in executable}
    c_nodes = {u: t for u, t in c_nodes.items() if t in executable}
    report.counts_by_type = _pair(Counter(b_nodes.values()), Counter(c_nodes.values()))
    report.counts_by_status = _pair(Counter(r.status for r in b_results.values()),
                                    Counter(r.status for r in c_results.values()))
    report.only_in_baseline = sorted(set(b_nodes) - set(c_nodes))
    report.only_in_candidate = sorted(set(c_nodes) - set(b_nodes))
    for uid in report.only_in_baseline:
        report.differences.append(f"{b_nodes[uid]} {uid} is only in the baseline")
    for uid in report.only_in_candidate:
        report.differences.append(f"{c_nodes[uid]} {uid} is only in the candidate")

    in_both = set(b_nodes) & set(c_nodes)
    for uid in sorted(set(b_results) - set(c_results)):
        if uid in in_both or uid not in b_nodes:  # a node only in the baseline's project is reported above
            report.result_only_in_baseline.append({"unique_id": uid, "status": b_results[uid].status})
            report.differences.append(f"{uid} has a result only in the baseline ({b_results[uid].status}); "
                                      "the candidate did not run it")
    for uid in sorted(set(c_results) - set(b_results)):
        if uid in in_both or uid not in c_nodes:
            report.result_only_in_candidate.append({"unique_id": uid, "status": c_results[uid].status})
            report.differences.append(f"{uid} has a result only in the candidate ({c_results[uid].status}); "
                                      "the baseline did not run it")

    for uid in sorted(set(b_results) & set(c_results)):
        b, c = b_results[uid], c_results[uid]
        if b.status != c.status:
            report.status_changes.append({"unique_id": uid, "baseline": b.status, "candidate": c.status})
            report.differences.append(f"{uid} status {b.status} -> {c.status}")
        if b.rows_affected is not None and c.rows_affected is not None and b.rows_affected != c.rows_affected:
            rel = abs(c.rows_affected - b.rows_affected) / max(b.rows_affected, 1)
            within = rel <= tol.rows
            report.row_count_differences.append({"unique_id": uid, "baseline": b.rows_affected,
                                                 "candidate": c.rows_affected, "relative": round(rel, 6),
                                                 "within_tolerance": within})
            if not within:
                report.differences.append(f"{uid} rows {b.rows_affected} -> {c.rows_affected} "
                                          f"({rel:.1%} > {tol.rows:.1%})")
        if b.execution_time > 0 and c.execution_time > b.execution_time:
            slowdown = c.execution_time / b.execution_time - 1
            report.slower_nodes.append({"unique_id": uid, "baseline": round(b.execution_time, 3),
                                        "candidate": round(c.execution_time, 3), "slowdown": round(slowdown, 3)})
            if tol.timing is not None and slowdown > tol.timing and c.execution_time >= MIN_TIMING_SECONDS:
                report.differences.append(f"{uid} took {c.execution_time:.2f}s vs {b.execution_time:.2f}s "
                                          f"(+{slowdown:.0%} > +{tol.timing:.0%})")
    report.slower_nodes = sorted(report.slower_nodes, key=lambda r: r["slowdown"], reverse=True)[:10]
    b_total = sum(r.execution_time for r in b_results.values())
    c_total = sum(r.execution_time for r in c_results.values())
    report.timing = {"baseline_elapsed": base.elapsed_time, "candidate_elapsed": cand.elapsed_time,
                     "baseline_node_seconds": round(b_total, 3), "candidate_node_seconds": round(c_total, 3)}
    return report


def render_text(report: ParityReport) -> str:
    """A human report: verdict first, then what differs."""
    lines = [f"parity: {'IDENTICAL' if report.identical else 'DIFFERENT'} "
             f"({len(report.differences)} difference(s) beyond tolerance rows={report.tolerance['rows']}, "
             f"timing={report.tolerance['timing']})",
             f"baseline:  {report.baseline}", f"candidate: {report.candidate}", "", "nodes by resource type:"]
    lines += [f"  {k:<12} {v['baseline']:>6} -> {v['candidate']:<6}{'' if v['baseline'] == v['candidate'] else '  *'}"
              for k, v in report.counts_by_type.items()]
    lines.append("nodes by status:")
    lines += [f"  {k:<12} {v['baseline']:>6} -> {v['candidate']:<6}{'' if v['baseline'] == v['candidate'] else '  *'}"
              for k, v in report.counts_by_status.items()]
    for title, items in (("only in baseline", report.only_in_baseline),
                         ("only in candidate", report.only_in_candidate)):
        if items:
            lines.append(f"{title}:")
            lines += [f"  {u}" for u in items]
    for title, results in (("executed only in baseline", report.result_only_in_baseline),
                           ("executed only in candidate", report.result_only_in_candidate)):
        if results:
            lines.append(f"{title}:")
            lines += [f"  {r['unique_id']} ({r['status']})" for r in results]
    if report.status_changes:
        lines.append("status changes:")
        lines += [f"  {s['unique_id']}: {s['baseline']} -> {s['candidate']}" for s in report.status_changes]
    if report.row_count_differences:
        lines.append("row counts (adapter-reported):")
        lines += [f"  {r['unique_id']}: {r['baseline']} -> {r['candidate']} ({r['relative']:.1%})"
                  f"{'' if r['within_tolerance'] else '  *'}" for r in report.row_count_differences]
    t = report.timing
    lines.append(f"timing: elapsed {t['baseline_elapsed']} s -> {t['candidate_elapsed']} s; node time "
                 f"{t['baseline_node_seconds']} s -> {t['candidate_node_seconds']} s")
    if report.slower_nodes:
        lines.append("slower nodes:")
        lines += [f"  {s['unique_id']}: {s['baseline']} s -> {s['candidate']} s" for s in report.slower_nodes[:5]]
    if report.differences:
        lines.append("differences:")
        lines += [f"  - {d}" for d in report.differences]
    return "\n".join(lines)


def render_json(report: ParityReport) -> str:
    return json.dumps(report.to_dict(), indent=2, sort_keys=True)
