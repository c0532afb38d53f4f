"""How many of a written snapshot's player ids the nflverse id crosswalk knows, as findings.

The rate is info for every dataset with a minimum in config/platform.yaml (``mapping_rate_min``); below the
minimum it is a warning naming the counts.
"""

from __future__ import annotations

from collections.abc import Sequence

from ff_analytics.findings import Finding, Severity
from ff_analytics.governance.coverage import load_crosswalk, mapping_rates
from ff_analytics.platform_config import platform_config
from ff_analytics.snapshots.store import SnapshotStore, WriteResult


def mapping_findings(results: Sequence[WriteResult], store: SnapshotStore) -> list[Finding]:
    out: list[Finding] = []
    xref = None
    for r in results:
        minimum = platform_config().min_mapping_rate(r.source, r.dataset)
        if minimum is None:
            continue
        where = {"source": r.source, "dataset": r.dataset, "dt": r.dt, "path": r.path}
        xref = xref if xref is not None else load_crosswalk(store)
        if xref is None:
            out.append(Finding(severity=Severity.info, check=r.source, code=f"{r.source}_mapping_skipped",
                               message="no current nflverse ff_playerids snapshot yet; mapping rate not measured",
                               **where))
            continue
        rates = mapping_rates(store, r.source, r.dataset, r.dt, xref)
        rows, mapped = sum(m.rows for m in rates), sum(m.mapped for m in rates)
        if not rows:
            continue
        rate = mapped / rows
        out.append(Finding(severity=Severity.warning if rate < minimum else Severity.info, check=r.source,
                           code=f"{r.source}_mapping_rate",
                           message=f"{rate:.0%} of {r.source} {r.dataset} map to the id crosswalk ({mapped}/{rows}; "
                                   f"warn below {minimum:.0%})", **where))
    return out
