"""The one result type every governance check returns, and its stable JSON envelope.

JSON schema (``schema_version`` 1; fields are only ever added, never renamed or removed)::

    {
      "schema_version": 1,
      "check": "validate" | "coverage" | "freshness" | "govern" | "sync" | "retention" | "report",
      "generated_at": "<ISO-8601 UTC timestamp>",
      "as_of": "YYYY-MM-DD",            # the "today" the checks were run against
      "root": "<data root URI>",
      "summary": {"errors": int, "warnings": int, "info": int, "ok": bool},
      "findings": [
        {
          "severity": "error" | "warning" | "info",
          "check": "<check name, e.g. registry, manifest, footer, gaps, samples, freshness, anomaly, drift>",
          "code": "<stable machine code, e.g. registry_missing_partition>",
          "source": str | null, "dataset": str | null, "dt": "YYYY-MM-DD" | null,
          "path": str | null,               # the file or folder the finding is about
          "message": str                    # one human-readable line
        }, ...
      ],
      ...                                   # check-specific extras (e.g. "coverage", "sources", "actions")
    }

``ok`` is false when any finding is an error. Errors block promotion and make the CLI exit 1; warnings are
printed; info is context.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import UTC, date, datetime
from typing import Any

from ff_analytics.findings import _RANK, Finding, Severity, error, info, warning  # noqa: F401

SCHEMA_VERSION = 1


def sort_findings(findings: Iterable[Finding]) -> list[Finding]:
    """Errors first, then by location, so output is stable run to run."""
    return sorted(findings, key=lambda f: (_RANK[f.severity], f.source or "", f.dataset or "",
                                           f.dt or date.min, f.check, f.code, f.path or "", f.message))


def summarize(findings: Iterable[Finding]) -> dict[str, Any]:
    items = list(findings)
    counts = {s: sum(1 for f in items if f.severity is s) for s in Severity}
    return {"errors": counts[Severity.error], "warnings": counts[Severity.warning],
            "info": counts[Severity.info], "ok": counts[Severity.error] == 0}


def has_errors(findings: Iterable[Finding]) -> bool:
    return any(f.is_error for f in findings)


def envelope(check: str, findings: Iterable[Finding], *, as_of: date, root: str,
             **extra: Any) -> dict[str, Any]:
    """The versioned JSON document every command's ``--format json`` prints."""
    items = sort_findings(findings)
    doc: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "check": check,
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "as_of": as_of.isoformat(),
        "root": root,
        "summary": summarize(items),
        "findings": [f.model_dump(mode="json") for f in items],
    }
    doc.update(extra)
    return doc


def dumps(doc: dict[str, Any]) -> str:
    return json.dumps(doc, indent=2, default=str)
