"""Validate `run_dbt` parameters before dbt starts, and turn them into a dbt argument list.

Everything a scheduler or an operator can pass is checked here so that a typo fails in a second with a message
naming the parameter, instead of minutes later inside dbt (or, worse, running the wrong selection).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml

from ff_analytics.errors import ConfigError

COMMANDS: dict[str, list[str]] = {
    "build": ["build"],
    "run": ["run"],
    "test": ["test"],
    "seed": ["seed"],
    "deps": ["deps"],
    "clean": ["clean"],
    "source freshness": ["source", "freshness"],
}
SELECTING = {"build", "run", "test", "seed", "source freshness"}
FULL_REFRESHING = {"build", "run", "seed"}
STATEFUL = {"build", "run", "test", "seed"}
ProfilesStrategy = Literal["blocks", "local"]
PROFILES_STRATEGIES = ("blocks", "local")
_TARGET = re.compile(r"^[A-Za-z][A-Za-z0-9_-]{0,63}$")
SOURCE = "dbt_runner"


@dataclass(frozen=True)
class DbtInvocation:
    """A validated request: the dbt args to run and where things are."""

    command: str
    target: str
    project_dir: Path
    profiles_strategy: ProfilesStrategy
    args: list[str] = field(default_factory=list)
    vars: dict[str, Any] = field(default_factory=dict)
    state_path: Path | None = None


def parse_vars(value: str | dict[str, Any] | None) -> dict[str, Any]:
    """A dbt ``--vars`` value from a JSON or YAML mapping (a dict passes through); anything else is an error."""
    if value is None or value == "" or value == {}:
        return {}
    if isinstance(value, dict):
        parsed: Any = value
    elif isinstance(value, str):
        try:
            parsed = yaml.safe_load(value)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
            raise ConfigError(f"vars is not valid JSON/YAML{where}: {value!r}", source=SOURCE) from None
    else:
        raise ConfigError(f"vars must be a JSON/YAML string or a mapping, got {type(value).__name__}",
                          source=SOURCE)
    if not isinstance(parsed, dict):
        raise ConfigError(f"vars must be a mapping like '{{\"key\": \"value\"}}', got {type(parsed).__name__}: "
                          f"{value!r}", source=SOURCE)
    bad = [k for k in parsed if not isinstance(k, str) or not k]
    if bad:
        raise ConfigError(f"vars keys must be non-empty strings, got {bad!r}", source=SOURCE)
    try:
        json.dumps(parsed)
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"vars values must be JSON-serialisable: {exc}", source=SOURCE) from None
    return parsed


def normalise_command(command: str) -> str:
    """'source freshness' (any spacing/case) or one of the single-word commands; else a clear error."""
    key = " ".join(str(command or "").lower().split())
    if key not in COMMANDS:
        raise ConfigError(f"unknown dbt command {command!r}; allowed: {', '.join(COMMANDS)}", source=SOURCE)
    return key


def _selector(name: str, value: str | list[str] | None) -> list[str]:
    if value is None:
        return []
    items = value.split() if isinstance(value, str) else [str(v) for v in value]
    for item in items:
        if item.startswith("-"):
            raise ConfigError(f"{name} {item!r} looks like a flag, not a dbt selector", source=SOURCE)
    return items


def validate_request(
    *,
    command: str,
    target: str,
    project_dir: str | Path,
    select: str | list[str] | None = None,
    exclude: str | list[str] | None = None,
    vars: str | dict[str, Any] | None = None,
    full_refresh: bool = False,
    state_path: str | Path | None = None,
    defer: bool = False,
    profiles_strategy: str = "blocks",
) -> DbtInvocation:
    """Check every parameter and build the dbt args (``--target`` etc.); raises ConfigError naming the problem."""
    cmd = normalise_command(command)
    if not isinstance(target, str) or not _TARGET.match(target):
        raise ConfigError(f"target {target!r} is not a valid dbt target name (letters, digits, '_' or '-')",
                          source=SOURCE)
    if profiles_strategy not in PROFILES_STRATEGIES:
        raise ConfigError(f"profiles_strategy {profiles_strategy!r} unknown; allowed: "
                          f"{', '.join(PROFILES_STRATEGIES)}", source=SOURCE)
    project = Path(project_dir).expanduser().resolve()
    if not (project / "dbt_project.yml").is_file():
        raise ConfigError(f"project_dir {str(project)!r} has no dbt_project.yml", source=SOURCE)
    parsed_vars = parse_vars(vars)
    selects, excludes = _selector("select", select), _selector("exclude", exclude)
    if (selects or excludes) and cmd not in SELECTING:
        raise ConfigError(f"select/exclude do not apply to 'dbt {cmd}'", source=SOURCE)
    if full_refresh and cmd not in FULL_REFRESHING:
        raise ConfigError(f"full_refresh applies to {', '.join(sorted(FULL_REFRESHING))}, not 'dbt {cmd}'",
                          source=SOURCE)
    state = None
    if state_path:
        if cmd not in STATEFUL:
            raise ConfigError(f"state_path does not apply to 'dbt {cmd}'", source=SOURCE)
        state = Path(state_path).expanduser().resolve()
        if not (state / "manifest.json").is_file() and (state / "target" / "manifest.json").is_file():
            state = state / "target"
        if not (state / "manifest.json").is_file():
            raise ConfigError(f"state_path {str(state)!r} holds no manifest.json from an earlier run",
                              source=SOURCE)
    elif defer:
        raise ConfigError("defer needs state_path (the artifacts of the run to defer to)", source=SOURCE)
    if any(s.startswith("state:") for s in selects + excludes) and state is None:
        raise ConfigError("a 'state:' selector needs state_path", source=SOURCE)

    args = [*COMMANDS[cmd]]
    if cmd != "deps":
        args += ["--target", target]
    if selects:
        args += ["--select", *selects]
    if excludes:
        args += ["--exclude", *excludes]
    if parsed_vars:
        args += ["--vars", json.dumps(parsed_vars, sort_keys=True)]
    if full_refresh:
        args.append("--full-refresh")
    if state is not None:
        args += ["--state", str(state)]
        if defer:
            args.append("--defer")
    return DbtInvocation(command=cmd, target=target, project_dir=project, args=args, vars=parsed_vars,
                         state_path=state, profiles_strategy=profiles_strategy)  # type: ignore[arg-type]
