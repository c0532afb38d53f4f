"""Which library function loads each source, where it lives and what it needs before a run (no Prefect here).

The flows call these through :mod:`ff_analytics.orchestration.steps`; keeping the mapping in one table means a
renamed entry point is fixed in one place.
"""

from __future__ import annotations

import importlib
import inspect
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ff_analytics.errors import ConfigError


@dataclass(frozen=True)
class SourceSpec:
    name: str
    module: str
    ingest: str
    base_url_setting: str | None  # Settings attribute probed by the pre-check (None: no HTTP endpoint)
    needs_google_credentials: bool = False


SOURCE_SPECS: dict[str, SourceSpec] = {
    "nflverse": SourceSpec("nflverse", "ff_analytics.sources.nflverse", "ingest_nflverse", "nflverse_base_url"),
    "ktc": SourceSpec("ktc", "ff_analytics.sources.ktc", "ingest_ktc", "ktc_base_url"),
    "sleeper": SourceSpec("sleeper", "ff_analytics.sources.sleeper", "ingest_sleeper", "sleeper_base_url"),
    "sheets": SourceSpec("sheets", "ff_analytics.sources.sheets", "copy_league_sheet", "sheets_base_url",
                         needs_google_credentials=True),
    "ffanalytics": SourceSpec("ffanalytics", "ff_analytics.sources.ffanalytics", "ingest_ffanalytics", None),
}

SOURCE_ORDER = ("nflverse", "sleeper", "ktc", "ffanalytics", "sheets")
# Sources that read another source's current snapshot while loading: ffanalytics maps players through the nflverse
# ff_playerids crosswalk, so it starts when nflverse has finished (the others run in parallel).
SOURCE_DEPENDS_ON: dict[str, tuple[str, ...]] = {"ffanalytics": ("nflverse",)}


def spec(source: str) -> SourceSpec:
    try:
        return SOURCE_SPECS[source]
    except KeyError:
        raise ConfigError(f"unknown source {source!r} (known: {', '.join(SOURCE_SPECS)})") from None


def load_function(module: str, name: str, *, source: str | None = None) -> Callable[..., Any]:
    """Import ``module.name``; a missing module or function is a clear ConfigError naming both."""
    try:
        mod = importlib.import_module(module)
    except ModuleNotFoundError as exc:
        raise ConfigError(f"module {module} is not available ({exc})", source=source) from None
    fn = getattr(mod, name, None)
    if fn is None:
        raise ConfigError(f"{module} has no function {name}", source=source)
    return fn


def call_with_supported(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Call ``fn`` with only the keyword arguments it accepts (entry points differ in optional knobs)."""
    params = inspect.signature(fn).parameters
    if any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params.values()):
        return fn(*args, **kwargs)
    return fn(*args, **{k: v for k, v in kwargs.items() if k in params})
