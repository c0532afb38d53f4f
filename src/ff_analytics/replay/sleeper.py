"""A replay server for the Sleeper API, serving the recorded responses under ``recordings/sleeper/responses``.

Each file ``responses/<path>.json`` answers ``GET /<path>`` (e.g. ``league/<id>/rosters.json`` →
``/league/<id>/rosters``), so the server's URL is a drop-in ``FFA_SLEEPER_BASE_URL``. The recordings are built
by ``recordings/sleeper/build_fixtures.py`` (see its docstring for where the data comes from).
"""

from __future__ import annotations

from pathlib import Path

from ff_analytics.errors import ConfigError
from ff_analytics.replay.server import ReplayServer
from ff_analytics.settings import get_settings

# The recorded league (the FFA_SLEEPER_LEAGUE_ID default) and its seasons, linked by previous_league_id.
RECORDED_LEAGUE_ID = "1230330435511275520"
RECORDED_SEASONS = (2023, 2024, 2025)


def recordings_root(recordings_dir: Path | None = None) -> Path:
    return (recordings_dir or get_settings().recordings_dir) / "sleeper" / "responses"


def build_sleeper_server(recordings_dir: Path | None = None, *, responses_dir: Path | None = None) -> ReplayServer:
    """A ReplayServer (not started) with one route per recorded response.

    ``responses_dir`` serves another tree laid out the same way (``<path>.json`` answers ``GET /<path>``), e.g.
    responses recorded from the live API by a third party.
    """
    root = responses_dir or recordings_root(recordings_dir)
    files = sorted(root.rglob("*.json"))
    if not files:
        raise ConfigError(f"no recorded Sleeper responses under {root}", source="sleeper")
    server = ReplayServer()
    for file in files:
        route = "/" + file.relative_to(root).with_suffix("").as_posix()
        server.add_file(route, file, content_type="application/json")
    return server


def demo_options() -> dict[str, object]:
    """Ingest arguments for the demo: every recorded season."""
    return {"seasons": list(RECORDED_SEASONS)}
