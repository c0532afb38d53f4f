"""Read a dbt run's artifacts (run_results.json, manifest.json, sources.json) and summarise them.

Used by the flow (a Prefect artifact per run: nodes by status, slowest nodes) and by parity (two runs compared).
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from ff_analytics.errors import ConfigError

SOURCE = "dbt_runner"
EXECUTABLE_TYPES = ("model", "seed", "snapshot", "test", "unit_test", "source")


@dataclass(frozen=True)
class NodeResult:
    unique_id: str
    resource_type: str
    name: str
    status: str
    execution_time: float
    rows_affected: int | None
    message: str | None
    compiled_code: str | None = None


@dataclass
class RunArtifacts:
    """The parsed artifacts of one run directory (any file may be missing, e.g. after `dbt deps`)."""

    path: Path
    run_results: dict[str, Any] | None = None
    manifest: dict[str, Any] | None = None
    sources: dict[str, Any] | None = None

    @classmethod
    def load(cls, path: str | Path, required: bool = False) -> RunArtifacts:
        """Artifacts from ``path`` or ``path/target``; with ``required`` a dir without results is an error."""
        base = Path(path)
        if not base.is_dir():
            raise ConfigError(f"artifacts dir {str(base)!r} does not exist", source=SOURCE)
        if not any((base / n).is_file() for n in ("run_results.json", "manifest.json", "sources.json")) \
                and (base / "target").is_dir():
            base = base / "target"
        found = cls(path=base, run_results=_read_json(base / "run_results.json"),
                    manifest=_read_json(base / "manifest.json"), sources=_read_json(base / "sources.json"))
        if required and found.run_results is None and found.sources is None:
            raise ConfigError(f"{str(base)!r} holds no run_results.json or sources.json", source=SOURCE)
        return found

    def results(self) -> dict[str, NodeResult]:
        """Executed nodes by unique_id (run_results, plus source freshness results)."""
        out: dict[str, NodeResult] = {}
        for doc in (self.run_results, self.sources):
            for r in (doc or {}).get("results", []):
                uid = r["unique_id"]
                response = r.get("adapter_response") or {}
                rows = response.get("rows_affected")
                out[uid] = NodeResult(
                    unique_id=uid, resource_type=uid.split(".", 1)[0], name=uid.rsplit(".", 1)[-1],
                    status=str(r.get("status")), execution_time=float(r.get("execution_time") or 0.0),
                    rows_affected=rows if isinstance(rows, int) and rows >= 0 else None,
                    message=r.get("message") if isinstance(r.get("message"), str) else None,
                    compiled_code=r.get("compiled_code") if isinstance(r.get("compiled_code"), str) else None,
                )
        return out

    def manifest_nodes(self) -> dict[str, str]:
        """Every enabled node in the project (unique_id → resource type), executed or not."""
        if self.manifest is None:
            return {}
        nodes: dict[str, str] = {}
        for section in ("nodes", "sources", "unit_tests"):
            for uid, node in (self.manifest.get(section) or {}).items():
                nodes[uid] = node.get("resource_type", uid.split(".", 1)[0])
        return nodes

    @property
    def command(self) -> str | None:
        args = (self.run_results or self.sources or {}).get("args") or {}
        return args.get("which")

    @property
    def elapsed_time(self) -> float | None:
        doc = self.run_results or self.sources
        return float(doc["elapsed_time"]) if doc and "elapsed_time" in doc else None


def _read_json(path: Path) -> dict[str, Any] | None:
    if not path.is_file():
        return None
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise ConfigError(f"{str(path)!r} is not valid JSON: {exc}", source=SOURCE) from None


@dataclass
class RunSummary:
    """What an operator wants to see first after a run."""

    command: str | None
    success: bool
    elapsed_seconds: float | None
    artifacts_dir: str
    nodes_by_status: dict[str, int] = field(default_factory=dict)
    nodes_by_type_and_status: dict[str, dict[str, int]] = field(default_factory=dict)
    slowest: list[dict[str, Any]] = field(default_factory=list)
    failures: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


FAILED = {"error", "fail", "runtime error"}


def summarise(artifacts: RunArtifacts, success: bool, slowest: int = 10) -> RunSummary:
    results = artifacts.results()
    by_status = Counter(r.status for r in results.values())
    by_type: dict[str, Counter[str]] = {}
    for r in results.values():
        by_type.setdefault(r.resource_type, Counter())[r.status] += 1
    ranked = sorted(results.values(), key=lambda r: r.execution_time, reverse=True)[:slowest]
    return RunSummary(
        command=artifacts.command, success=success, elapsed_seconds=artifacts.elapsed_time,
        artifacts_dir=str(artifacts.path), nodes_by_status=dict(sorted(by_status.items())),
        nodes_by_type_and_status={t: dict(sorted(c.items())) for t, c in sorted(by_type.items())},
        slowest=[{"unique_id": r.unique_id, "status": r.status, "seconds": round(r.execution_time, 3)}
                 for r in ranked],
        failures=[{"unique_id": r.unique_id, "status": r.status, "message": (r.message or "")[:500]}
                  for r in results.values() if r.status in FAILED],
    )


def summary_markdown(summary: RunSummary, title: str) -> str:
    """The Prefect artifact body: status counts, per-type counts, slowest nodes, failures."""
    lines = [f"# {title}", "",
             f"**Result:** {'success' if summary.success else 'FAILED'} · command `{summary.command or '-'}` · "
             f"elapsed {summary.elapsed_seconds if summary.elapsed_seconds is not None else '-'} s", "",
             f"Artifacts: `{summary.artifacts_dir}`", ""]
    if not summary.nodes_by_status:
        lines.append("_No node results (the command produces none, or dbt stopped before running nodes)._")
        return "\n".join(lines)
    lines += ["## Nodes by status", "", "| status | nodes |", "|---|---|"]
    lines += [f"| {s} | {n} |" for s, n in summary.nodes_by_status.items()]
    lines += ["", "## Nodes by type", "", "| type | status | nodes |", "|---|---|---|"]
    lines += [f"| {t} | {s} | {n} |" for t, c in summary.nodes_by_type_and_status.items() for s, n in c.items()]
    lines += ["", "## Slowest nodes", "", "| node | status | seconds |", "|---|---|---|"]
    lines += [f"| `{r['unique_id']}` | {r['status']} | {r['seconds']} |" for r in summary.slowest]
    if summary.failures:
        lines += ["", "## Failures", "", "| node | status | message |", "|---|---|---|"]
        lines += [f"| `{f['unique_id']}` | {f['status']} | {f['message'].replace('|', '/').splitlines()[0] if f['message'] else ''} |"  # noqa: E501
                  for f in summary.failures]
    return "\n".join(lines)
