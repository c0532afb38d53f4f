"""The orchestration deployments for prefect.yaml, generated from config/platform.yaml cadences.

config/platform.yaml is the one source of truth for when each source loads: ``render_deployments`` turns it into
prefect.yaml entries and ``check_prefect_yaml`` (run by the tests) fails when prefect.yaml drifts from it.
Print the current section with ``uv run python -m ff_analytics.orchestration.deployments``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ff_analytics.errors import ConfigError
from ff_analytics.platform_config import PlatformConfig, platform_config
from ff_analytics.sources.catalog import SOURCES

FLOWS_FILE = "src/ff_analytics/orchestration/flows.py"
WORK_POOL = "ff-analytics-process"
# A later stage runs this long after the stage before it (the sheet: "copy every 3 h, parse 20 min after").
STAGE_DELAY_MINUTES = 20
TIMEZONE = "UTC"


@dataclass(frozen=True)
class DeploymentSpec:
    name: str
    flow: str
    source: str | None
    cron: str | None
    description: str
    parameters: dict[str, Any] = field(default_factory=dict)


def shift_minutes(cron: str, minutes: int, source: str = "sheets") -> str:
    """The same cron ``minutes`` later, for crons whose minute field is a plain number (parse after copy)."""
    fields = cron.split()
    if len(fields) != 5 or not fields[0].isdigit():
        raise ConfigError(f"cannot derive a later stage's schedule from cron {cron!r}: its minute field must be a "
                          "plain number", source=source)
    minute = int(fields[0]) + minutes
    if minute >= 60:
        raise ConfigError(f"stage offset {minutes} min pushes cron {cron!r} past the hour", source=source)
    return " ".join([str(minute), *fields[1:]])


def deployment_specs(config: PlatformConfig | None = None) -> list[DeploymentSpec]:
    """One deployment per source of the catalog on its cadence; a source with several stages (the sheet's copy and
    parse) gets one per stage, each later stage ``STAGE_DELAY_MINUTES`` after the one before."""
    config = config or platform_config()
    specs = []
    for source in SOURCES:
        cadence = config.sources[source.name].cadence
        if len(source.stages) == 1:
            specs.append(DeploymentSpec(source.name, "source_pipeline", source.name, cadence.cron,
                                        f"{source.name}: {cadence.description}", {"source": source.name}))
            continue
        for n, stage in enumerate(source.stages):
            cron = shift_minutes(cadence.cron, n * STAGE_DELAY_MINUTES, source.name) if n else cadence.cron
            specs.append(DeploymentSpec(f"{source.name}-{stage.name}", "source_pipeline", source.name, cron,
                                        f"{source.name} {stage.name}: {cadence.description}",
                                        {"source": source.name, "stages": [stage.name]}))
    specs.append(DeploymentSpec("all-sources", "ff_analytics_pipeline", None, None,
                                "all sources in parallel, then dbt build, source freshness and the governance "
                                "report (run on demand; each source also runs on its own cadence)"))
    return specs


def render_deployments(pool: str = WORK_POOL, config: PlatformConfig | None = None) -> list[dict[str, Any]]:
    """prefect.yaml ``deployments:`` entries for the orchestration flows."""
    out = []
    for spec in deployment_specs(config):
        entry: dict[str, Any] = {
            "name": spec.name,
            "entrypoint": f"{FLOWS_FILE}:{spec.flow}",
            "description": spec.description,
            "tags": ["ff-analytics", spec.source or "all-sources"],
            "parameters": dict(spec.parameters),
            "work_pool": {"name": pool},
            "schedules": [{"cron": spec.cron, "timezone": TIMEZONE}] if spec.cron else [],
        }
        out.append(entry)
    return out


def check_prefect_yaml(path: Path, config: PlatformConfig | None = None) -> list[str]:
    """Differences between prefect.yaml and the schedules/entrypoints config implies (empty = in step)."""
    doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    found = {d.get("name"): d for d in doc.get("deployments") or []}
    problems = []
    for want in render_deployments(config=config):
        have = found.get(want["name"])
        if have is None:
            problems.append(f"deployment {want['name']!r} missing from {path.name}")
            continue
        if have.get("entrypoint") != want["entrypoint"]:
            problems.append(f"{want['name']}: entrypoint {have.get('entrypoint')!r} != {want['entrypoint']!r}")
        if (have.get("parameters") or {}) != want["parameters"]:
            problems.append(f"{want['name']}: parameters {have.get('parameters')!r} != {want['parameters']!r}")
        crons = [s.get("cron") for s in have.get("schedules") or [] if s.get("active", True)]
        want_crons = [s["cron"] for s in want["schedules"]]
        if crons != want_crons:
            problems.append(f"{want['name']}: schedules {crons} != {want_crons} from config/platform.yaml")
        if (have.get("work_pool") or {}).get("name") is None:
            problems.append(f"{want['name']}: no work pool")
    return problems


if __name__ == "__main__":
    print(yaml.safe_dump({"deployments": render_deployments()}, sort_keys=False, allow_unicode=True))
