"""How the demo and ``--samples`` replay each source: its server, the settings that point the connector at it, and
the ingest options that fit the recordings. Keyed by the source names of :mod:`ff_analytics.sources.catalog`;
a source without a replay (ffanalytics reads a recorded file) only has options.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ff_analytics.errors import FFAError
from ff_analytics.replay import ktc, nflverse, sheets, sleeper
from ff_analytics.replay.server import ReplayServer
from ff_analytics.settings import get_settings
from ff_analytics.sources.base_url import serve_samples_with


@dataclass(frozen=True)
class Replay:
    """One source's recordings: ``build`` makes a (not started) server; ``env`` points settings at a started one."""

    build: Callable[[], ReplayServer] | None
    env: Callable[[ReplayServer], Mapping[str, str]]
    options: Callable[[], dict[str, Any]] = dict
    samples_defaults: dict[str, Any] = field(default_factory=dict)


def _url_env(*names: str) -> Callable[[ReplayServer], Mapping[str, str]]:
    return lambda server: {name: server.url for name in names}


def recorded_ffanalytics_file(recordings: Path | None = None) -> Path:
    """The recorded raw projections the demo aggregates (the R scrape needs the network)."""
    base = (recordings or get_settings().recordings_dir) / "ffanalytics" / "projections"
    candidates = sorted(base.rglob("*.parquet")) + sorted(base.rglob("*.csv"))
    raw = [p for p in candidates if "raw" in p.name]
    if not (raw or candidates):
        raise FFAError(f"no recorded ffanalytics projections under {base}", source="ffanalytics")
    return (raw or candidates)[0]


REPLAYS: dict[str, Replay] = {
    "nflverse": Replay(nflverse.build_nflverse_server, _url_env("FFA_NFLVERSE_BASE_URL"),
                       lambda: {"seasons": list(nflverse.RECORDED_SEASONS)},
                       {"seasons": list(nflverse.RECORDED_SEASONS)}),
    "sleeper": Replay(sleeper.build_sleeper_server,
                      lambda server: {"FFA_SLEEPER_BASE_URL": server.url,
                                      "FFA_SLEEPER_LEAGUE_ID": sleeper.RECORDED_LEAGUE_ID},
                      sleeper.demo_options,
                      {"seasons": list(sleeper.RECORDED_SEASONS), "league_id": sleeper.RECORDED_LEAGUE_ID}),
    "ktc": Replay(ktc.build_ktc_server, ktc.replay_env, ktc.demo_options),
    "sheets": Replay(sheets.build_sheets_server, sheets.replay_env),
    "ffanalytics": Replay(None, lambda _server: {}, lambda: {"raw_path": str(recorded_ffanalytics_file())}),
}


def register_samples_servers() -> None:
    """Let ``--samples`` start each source's replay server (connectors only know URLs)."""
    for name, replay in REPLAYS.items():
        if replay.build is not None:
            serve_samples_with(name, replay.build, replay.samples_defaults)
