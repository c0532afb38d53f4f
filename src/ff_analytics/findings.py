"""The one result type every check returns (source checks, governance, dbt): a located, one-line finding.

It sits below every layer that produces findings (sources, governance, orchestration); the JSON envelope that
commands print lives in :mod:`ff_analytics.governance.findings`.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Any

from pydantic import BaseModel


class Severity(StrEnum):
    error = "error"
    warning = "warning"
    info = "info"


_RANK = {Severity.error: 0, Severity.warning: 1, Severity.info: 2}


class Finding(BaseModel):
    """One thing a check noticed, located as precisely as possible (source, dataset, dt and path)."""

    severity: Severity
    check: str
    code: str
    message: str
    source: str | None = None
    dataset: str | None = None
    dt: date | None = None
    path: str | None = None

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.error

    def line(self) -> str:
        """One line for terminals and logs."""
        where = "/".join(p for p in (self.source, self.dataset) if p)
        if self.dt:
            where = f"{where} {self.dt.isoformat()}" if where else self.dt.isoformat()
        path = f" ({self.path})" if self.path else ""
        return f"{self.severity.value.upper():7} {self.check:10} {where}: {self.message}{path}"


def error(check: str, code: str, message: str, **where: Any) -> Finding:
    return Finding(severity=Severity.error, check=check, code=code, message=message, **where)


def warning(check: str, code: str, message: str, **where: Any) -> Finding:
    return Finding(severity=Severity.warning, check=check, code=code, message=message, **where)


def info(check: str, code: str, message: str, **where: Any) -> Finding:
    return Finding(severity=Severity.info, check=check, code=code, message=message, **where)
