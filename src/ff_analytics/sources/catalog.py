"""The one list of sources. The pipeline, flows, deployments, CLI, demo, docs tables and dbt sources YAML iterate
over it; adding a source is a package exporting ``SOURCE``, one line here, and its block in config/platform.yaml.

Upstream sources come first: a source runs after the sources in its ``depends_on``.
"""

from __future__ import annotations

from ff_analytics.errors import unknown_name
from ff_analytics.sources.contract import Source
from ff_analytics.sources.ffanalytics.source import SOURCE as FFANALYTICS
from ff_analytics.sources.ktc.source import SOURCE as KTC
from ff_analytics.sources.nflverse.source import SOURCE as NFLVERSE
from ff_analytics.sources.sheets.source import SOURCE as SHEETS
from ff_analytics.sources.sleeper.source import SOURCE as SLEEPER

SOURCES: tuple[Source, ...] = (NFLVERSE, SLEEPER, KTC, FFANALYTICS, SHEETS)
SOURCE_NAMES: tuple[str, ...] = tuple(s.name for s in SOURCES)


def source_named(name: str) -> Source:
    """The source called ``name``; an unknown name is a ConfigError with the closest known names."""
    for source in SOURCES:
        if source.name == name:
            return source
    raise unknown_name("source", name, SOURCE_NAMES)


def sources_named(names: list[str] | None) -> list[Source]:
    """The named sources in catalog (dependency) order; none named → every source."""
    if not names:
        return list(SOURCES)
    wanted = {source_named(n).name for n in names}
    return [s for s in SOURCES if s.name in wanted]
