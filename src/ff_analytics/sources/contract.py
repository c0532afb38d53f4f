"""The one contract every source fulfils: a typed ``Source`` object the pipeline, CLI, demo and docs iterate over.

A source package exports one ``SOURCE`` (in its ``source.py``) and is listed once in
:mod:`ff_analytics.sources.catalog`. Everything the orchestration needs to run it is here, typed: its stages
(ingest callables that take a validated options model, not ``**kwargs``), its checks, the setting holding its
base URL and the host probed when that setting is empty, the credentials it needs, and the sources it reads from.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from ff_analytics.errors import ConfigError, SourceError
from ff_analytics.findings import Finding
from ff_analytics.settings import Settings
from ff_analytics.snapshots.store import SnapshotStore, WriteResult


class IngestOptions(BaseModel):
    """Base of every source's options model: unknown keys are an error, never silently dropped."""

    model_config = ConfigDict(extra="forbid", frozen=True)


@dataclass(frozen=True)
class StageContext:
    """What every stage receives besides its options: where to write, under which run and snapshot date."""

    store: SnapshotStore
    run_id: str | None = None
    dt: date | str | None = None


# A stage reads the results of the stage before it (empty for the first): the sheet's parse reads its copy.
StageFn = Callable[[StageContext, Any, Sequence[WriteResult]], Sequence[WriteResult]]
ChecksFn = Callable[[Sequence[WriteResult], SnapshotStore], list[Finding]]
RegisterCli = Callable[[Any], None]


@dataclass(frozen=True)
class Stage:
    """One fetch → checks → govern round. ``network`` stages get retries with jitter; the others never retry."""

    name: str
    run: StageFn
    network: bool = True


def no_missing_settings(_settings: Settings, _base_url: str | None) -> list[str]:
    return []


@dataclass(frozen=True)
class Source:
    """One source: what it loads, how, what it checks, and what it needs before a run."""

    name: str
    description: str
    options: type[IngestOptions]
    stages: tuple[Stage, ...]
    register_cli: RegisterCli
    checks: ChecksFn | None = None
    base_url_setting: str | None = None  # Settings attribute holding the base URL (None: no HTTP endpoint)
    upstream_probe: str | None = None  # URL probed when that setting is empty (nflverse without a mirror)
    depends_on: tuple[str, ...] = ()  # sources whose current snapshots this one reads while loading
    missing_settings: Callable[[Settings, str | None], list[str]] = no_missing_settings
    flow_name: str = ""  # the name of this source's subflow in the all-sources flow (as before the consolidation)

    def parse_options(self, raw: Mapping[str, Any] | IngestOptions | None) -> IngestOptions:
        """Validate ingest options; a misspelled or ill-typed one is a ConfigError naming the allowed options."""
        if isinstance(raw, self.options):
            return raw
        try:
            return self.options.model_validate(dict(raw or {}))
        except ValidationError as exc:
            allowed = ", ".join(self.options.model_fields) or "none"
            bad = "; ".join(f"{'.'.join(map(str, e['loc'])) or 'options'}: {e['msg']}" for e in exc.errors())
            raise ConfigError(f"invalid ingest options ({bad}); allowed options: {allowed}",
                              source=self.name) from None

    def base_url(self, settings: Settings) -> str | None:
        """The URL the connector calls (a replay server in the demo), or None for file-based sources."""
        if self.base_url_setting is None:
            return None
        return getattr(settings, self.base_url_setting) or self.upstream_probe

    def stage(self, name: str) -> Stage:
        for stage in self.stages:
            if stage.name == name:
                return stage
        raise ConfigError(f"unknown stage {name!r} (known: {', '.join(s.name for s in self.stages)})",
                          source=self.name)


def as_results(value: Any, source: str) -> list[WriteResult]:
    """An ingest's return value as a non-empty list of WriteResults (anything else is the source's bug)."""
    items = [value] if isinstance(value, WriteResult) else list(value or [])
    bad = [type(v).__name__ for v in items if not isinstance(v, WriteResult)]
    if bad:
        raise SourceError(f"ingest returned {', '.join(bad)} instead of WriteResult", source=source)
    if not items:
        raise SourceError("ingest wrote no snapshots", source=source)
    return items
