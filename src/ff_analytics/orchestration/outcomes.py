"""What a run produced, per dataset and per source: plain data the flows return, the summary prints and alerts cite."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from ff_analytics.dbt_runner.invoke import DbtRun
from ff_analytics.findings import Finding

SourceStatus = Literal["ok", "warning", "blocked", "failed", "skipped"]


@dataclass
class DatasetOutcome:
    """One dataset's snapshot after governance: written how, promoted or left pending, and what the checks said."""

    source: str
    dataset: str
    dt: str
    write_status: str  # new | replaced | unchanged
    rows: int
    state: str  # registry status after governance: current | pending | ...
    promoted: bool = False
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    checks_run: int = 0

    @property
    def checks_label(self) -> str:
        if self.errors:
            return f"{len(self.errors)} failed"
        if self.warnings:
            return f"{len(self.warnings)} warning(s)"
        return "passed" if self.checks_run else "not rerun"


@dataclass
class SourceOutcome:
    """One source's run: ``failed`` = a step raised, ``blocked`` = checks kept a snapshot pending."""

    source: str
    status: SourceStatus
    datasets: list[DatasetOutcome] = field(default_factory=list)
    error: str | None = None
    failed_step: str | None = None
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)

    @property
    def rows(self) -> int:
        return sum(d.rows for d in self.datasets)

    @property
    def write_label(self) -> str:
        counts: dict[str, int] = {}
        for d in self.datasets:
            counts[d.write_status] = counts.get(d.write_status, 0) + 1
        return ", ".join(f"{n} {k}" for k, n in sorted(counts.items())) or "-"

    @property
    def all_unchanged(self) -> bool:
        return bool(self.datasets) and all(d.write_status == "unchanged" for d in self.datasets)

    def warnings(self) -> list[str]:
        return [w for d in self.datasets for w in d.warnings]

    def errors(self) -> list[str]:
        return [e for d in self.datasets for e in d.errors]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SourceOutcome:
        datasets = [DatasetOutcome(**d) for d in data.get("datasets", [])]
        return cls(**{**data, "datasets": datasets})


@dataclass
class RunSummary:
    """The whole all-sources run: sources, dbt build, dbt source freshness and the governance report."""

    run_label: str
    sources: list[SourceOutcome]
    dbt_build: DbtRun | None = None
    dbt_freshness: DbtRun | None = None
    report_path: str | None = None
    report_error: str | None = None
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)
    changes: list[str] = field(default_factory=list)  # snapshot events of this run (written, promoted, ...)
    findings: list[Finding] = field(default_factory=list)  # every active finding after the run, with its text

    @property
    def ok(self) -> bool:
        sources_ok = all(s.status in ("ok", "warning", "skipped") for s in self.sources)
        dbt_ok = self.dbt_build is None or self.dbt_build.ok
        fresh_ok = self.dbt_freshness is None or self.dbt_freshness.ok  # a freshness error fails the run
        return sources_ok and dbt_ok and fresh_ok and self.report_error is None

    def failures(self) -> list[str]:
        out = [f"{s.source}: {s.failed_step or 'checks'} - {s.error or '; '.join(s.errors())}"
               for s in self.sources if s.status in ("failed", "blocked")]
        if self.dbt_build is not None and not self.dbt_build.ok:
            out.append("dbt build: " + (self.dbt_build.error or "; ".join(self.dbt_build.failures)))
        if self.dbt_freshness is not None and not self.dbt_freshness.ok:
            out.append("dbt source freshness: " + (self.dbt_freshness.error or "; ".join(self.dbt_freshness.failures)))
        if self.report_error:
            out.append(f"governance report: {self.report_error}")
        return out
