"""Render a run's outcomes: a Rich table for the terminal, markdown and table rows for Prefect artifacts."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from ff_analytics.dbt_runner.invoke import DbtRun
from ff_analytics.findings import Severity
from ff_analytics.governance.findings import findings_markdown, sort_findings
from ff_analytics.orchestration.outcomes import RunSummary, SourceOutcome

STATUS_STYLE = {"ok": "green", "warning": "yellow", "blocked": "red", "failed": "red", "skipped": "dim"}


def checks_label(outcome: SourceOutcome) -> str:
    if outcome.status == "failed":
        return f"{outcome.failed_step} failed"
    errors, warnings = len(outcome.errors()), len(outcome.warnings())
    if errors:
        return f"{errors} failed (left pending)"
    if warnings:
        return f"passed, {warnings} warning(s)"
    if outcome.status == "skipped":
        return "not due"
    if outcome.datasets and all(d.checks_run == 0 for d in outcome.datasets):
        return "unchanged: not rerun"
    return "passed"


def dbt_label(outcome: DbtRun | None) -> str:
    if outcome is None:
        return "not run"
    text = f"{outcome.models_built} models built, {outcome.tests_passed} tests passed"
    if outcome.tests_warned:
        text += f", {outcome.tests_warned} warned ({', '.join(n.name for n in outcome.warned_nodes[:5])})"
    if outcome.models_failed or outcome.tests_failed:
        text += f", {outcome.models_failed} models / {outcome.tests_failed} tests failed"
    if outcome.error:
        text += f" (error: {outcome.error[:120]})"
    return text


def freshness_label(outcome: DbtRun | None) -> str:
    if outcome is None:
        return "not run"
    fresh = sum(1 for n in outcome.nodes if n.status == "pass")
    if outcome.error and not outcome.nodes:
        return f"error: {outcome.error[:120]}"
    text = f"{fresh} fresh, {len(outcome.warnings)} warn, {len(outcome.failures)} error"
    stale = [n.name for n in outcome.failed_nodes + outcome.warned_nodes]
    return text + (f" ({', '.join(stale[:8])})" if stale else "")


def summary_table_rows(summary: RunSummary) -> list[dict[str, Any]]:
    """One row per source (Prefect table artifact), plus dbt rows."""
    rows: list[dict[str, Any]] = [
        {"source": s.source, "status": s.status, "rows": s.rows, "snapshots": s.write_label,
         "checks": checks_label(s), "detail": s.error or "; ".join(s.notes)}
        for s in summary.sources
    ]
    rows.append({"source": "dbt build", "status": "ok" if summary.dbt_build and summary.dbt_build.ok else
                 ("not run" if summary.dbt_build is None else "failed"), "rows": "", "snapshots": "",
                 "checks": dbt_label(summary.dbt_build), "detail": ""})
    rows.append({"source": "dbt source freshness", "status": "", "rows": "", "snapshots": "",
                 "checks": freshness_label(summary.dbt_freshness), "detail": ""})
    return rows


def source_markdown(outcome: SourceOutcome) -> str:
    lines = [f"## {outcome.source}: {outcome.status}", "",
             "| dataset | dt | snapshot | rows | registry | checks |", "|---|---|---|---|---|---|"]
    for d in outcome.datasets:
        lines.append(f"| {d.dataset} | {d.dt} | {d.write_status} | {d.rows} | {d.state} | {d.checks_label} |")
    problems = [*outcome.errors(), *outcome.warnings()]
    if problems:
        lines += ["", "### Findings", *[f"- `{p}`" for p in problems[:50]]]
    if outcome.error:
        lines += ["", f"**{outcome.failed_step} failed:** {outcome.error}"]
    return "\n".join(lines)


def summary_markdown(summary: RunSummary) -> str:
    lines = [f"# {summary.run_label}: {'completed' if summary.ok else 'FAILED'} in {summary.seconds:.1f}s", "",
             "| source | status | rows | snapshots | checks |", "|---|---|---|---|---|"]
    for s in summary.sources:
        lines.append(f"| {s.source} | {s.status} | {s.rows} | {s.write_label} | {checks_label(s)} |")
    lines += ["", f"- dbt build: {dbt_label(summary.dbt_build)}",
              f"- dbt source freshness: {freshness_label(summary.dbt_freshness)}",
              f"- governance report: {summary.report_path or summary.report_error or 'not written'}"]
    failures = summary.failures()
    if failures:
        lines += ["", "## Failures", *[f"- {f}" for f in failures]]
    lines += ["", "## What changed", *([f"- {c}" for c in summary.changes] or ["- nothing changed"])]
    lines += ["", findings_markdown(summary.findings)]
    return "\n".join(lines)


def print_summary(summary: RunSummary, console: Console | None = None) -> None:
    """The table `ffa demo` / `ffa run` end with."""
    console = console or Console()
    table = Table(title=f"{summary.run_label}: {'completed' if summary.ok else 'FAILED'} "
                        f"in {summary.seconds:.1f}s")
    for col in ("source", "status", "rows", "snapshots", "checks"):
        table.add_column(col, justify="right" if col == "rows" else "left")
    for s in summary.sources:
        style = STATUS_STYLE.get(s.status, "")
        table.add_row(s.source, f"[{style}]{s.status}[/{style}]" if style else s.status, str(s.rows),
                      s.write_label, checks_label(s))
    console.print(table)
    console.print(f"dbt build: {escape(dbt_label(summary.dbt_build))}", highlight=False, soft_wrap=True)
    console.print(f"dbt source freshness: {escape(freshness_label(summary.dbt_freshness))}", highlight=False,
                  soft_wrap=True)
    for failure in summary.failures():
        console.print(f"[red]failed:[/red] {escape(failure)}", highlight=False, soft_wrap=True)
    for f in (f for f in sort_findings(summary.findings) if f.severity is not Severity.info):
        style = "red" if f.severity is Severity.error else "yellow"
        console.print(f"[{style}]{escape(f.line())}[/{style}] " + escape(f"[{f.code}]"), highlight=False,
                      soft_wrap=True)
    for note in summary.notes:
        console.print(note, highlight=False, soft_wrap=True)
    if summary.report_path:
        console.print(f"governance report: {summary.report_path}", highlight=False, soft_wrap=True)
