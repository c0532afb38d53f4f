"""Governance: the pre-dbt safety net. Checks read Parquet footers and manifests (data only where a check needs it)
and return :class:`~ff_analytics.governance.findings.Finding` lists; the promotion gate turns them into
pending → current decisions.
"""

from ff_analytics.governance.anomalies import check_row_count_anomaly
from ff_analytics.governance.coverage import CoverageReport, analyze_coverage
from ff_analytics.governance.drift import check_schema_drift
from ff_analytics.governance.findings import SCHEMA_VERSION, Finding, Severity, findings_markdown
from ff_analytics.governance.findings_store import FindingsStore, active_findings, record_check_findings
from ff_analytics.governance.freshness import check_freshness, freshness_table
from ff_analytics.governance.gate import GateResult, gate_findings, govern_all_pending, govern_pending
from ff_analytics.governance.history import record_run_history
from ff_analytics.governance.ops_store import RunRecord, SnapshotEvent, read_history, record_run, registry_events
from ff_analytics.governance.report import build_report, write_report
from ff_analytics.governance.retention import load_policy, plan_retention
from ff_analytics.governance.sync import sync_roots
from ff_analytics.governance.validate import validate

__all__ = [
    "SCHEMA_VERSION", "CoverageReport", "Finding", "FindingsStore", "GateResult", "RunRecord", "Severity",
    "SnapshotEvent", "active_findings", "analyze_coverage", "build_report", "check_freshness",
    "check_row_count_anomaly", "check_schema_drift", "findings_markdown", "freshness_table", "gate_findings",
    "govern_all_pending", "govern_pending", "load_policy", "plan_retention", "read_history",
    "record_check_findings", "record_run", "record_run_history", "registry_events", "sync_roots", "validate",
    "write_report",
]
