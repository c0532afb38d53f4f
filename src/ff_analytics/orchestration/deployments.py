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

FLOWS_FILE = "src/ff_analytics/orchestration/flows.py"
WORK_POOL = "ff-analytics-process"
SHEET_PARSE_DELAY_MINUTES = 20  # parse runs this long after each copy (config: "copy every 3 h, parse 20 min after")
TIMEZONE = "UTC"


@dataclass(frozen=True)
class DeploymentSpec:
    name: str
    flow: str
    source: str | None
    cron: str | None
    description: str
    parameters: dict[str, Any] = field(default_factory=dict)


SOURCE_DEPLOYMENTS = (  # (deployment name, flow function, source)
    ("nflverse", "nfl_data_pipeline", "nflverse"),
    ("sleeper", "sleeper_pipeline", "sleeper"),
    ("ktc", "ktc_pipeline", "ktc"),
    ("ffanalytics", "ffanalytics_pipeline", "ffanalytics"),
    ("sheets-copy", "copy_league_sheet_flow", "sheets"),
)


def shift_minutes(cron: str, minutes: int) -> str:
    """The same cron ``minutes`` later, for crons whose minute field is a plain number (parse after copy)."""
    fields = cron.split()
    if len(fields) != 5 or not fields[0].isdigit():
        raise ConfigError(f"cannot derive the sheet parse schedule from cron {cron!r}: its minute field must be a "
                          "plain number", source="sheets")
    minute = int(fields[0]) + minutes
    if minute >= 60:
        raise ConfigError(f"sheet parse offset {minutes} min pushes cron {cron!r} past the hour", source="sheets")
    return " ".join([str(minute), *fields[1:]])


def deployment_specs(config: PlatformConfig | None = None) -> list[DeploymentSpec]:
    config = config or platform_config()
    specs = []
    for name, fn, source in SOURCE_DEPLOYMENTS:
        cadence = config.sources[source].cadence
        specs.append(DeploymentSpec(name, fn, source, cadence.cron, f"{source}: {cadence.description}"))
    copy_cron = config.sources["sheets"].cadence.cron
    specs.append(DeploymentSpec("sheets-parse", "parse_league_sheet_flow", "sheets",
                                shift_minutes(copy_cron, SHEET_PARSE_DELAY_MINUTES),
                                f"sheets: parse the current raw copy {SHEET_PARSE_DELAY_MINUTES} min after each copy"))
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
        crons = [s.get("cron") for s in have.get("schedules") or [] if s.get("active", True)]
        want_crons = [s["cron"] for s in want["schedules"]]
        if crons != want_crons:
            problems.append(f"{want['name']}: schedules {crons} != {want_crons} from config/platform.yaml")
        if (have.get("work_pool") or {}).get("name") is None:
            problems.append(f"{want['name']}: no work pool")
    return problems


if __name__ == "__main__":
    print(yaml.safe_dump({"deployments": render_deployments()}, sort_keys=False, allow_unicode=True))
