"""Replay the repo's nflverse recordings under the release paths nflreadpy asks for (127.0.0.1 only).

Point the connector at it with ``FFA_NFLVERSE_BASE_URL=<server.url>``: the mirror keeps nflreadpy's paths and swaps
the host. Recorded data is season 2024; other seasons can be served by relabelling it (``extra_seasons``), which
tests and benchmarks use for multi-season loads.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from functools import lru_cache
from pathlib import Path

import polars as pl

from ff_analytics.replay.server import ReplayServer, Request, Response
from ff_analytics.settings import get_settings
from ff_analytics.sources.nflverse.mirror import REPOSITORY_PATHS

RECORDED_SEASON = 2024
RECORDED_SEASONS = (RECORDED_SEASON,)

# dataset -> (repository, path pattern inside it, recording file relative to recordings/nflverse)
SEASON_FILES = {
    "weekly": ("nflverse-data", "stats_player/stats_player_week_{season}.parquet", "weekly/weekly.parquet"),
    "snap_counts": ("nflverse-data", "snap_counts/snap_counts_{season}.parquet", "snap_counts/snap_counts.parquet"),
    "ff_opportunity": ("ffopportunity", "latest-data/ep_weekly_{season}.parquet",
                       "ff_opportunity/ff_opportunity.parquet"),
}
SINGLE_FILES = {
    "schedule": ("nflverse-data", "schedules/games.parquet", "schedule/schedule.parquet"),
    "teams": ("nflverse-data", "teams/teams_colors_logos.parquet", "teams/teams.parquet"),
    "players": ("nflverse-data", "players/players.parquet", "players/players.parquet"),
    "ff_playerids": ("dynastyprocess", "db_playerids.csv", "ff_playerids/db_playerids.csv"),
}


def release_path(repository: str, path: str) -> str:
    """The URL path nflreadpy requests for ``path`` in ``repository`` (same on github.com and on a mirror)."""
    return f"{REPOSITORY_PATHS[repository]}{path}"


def relabel_season(frame: pl.DataFrame, season: int) -> pl.DataFrame:
    """The recorded season's rows presented as ``season`` (season column and game-id prefixes rewritten)."""
    if season == RECORDED_SEASON:
        return frame
    changes = [pl.lit(season).cast(frame.schema["season"]).alias("season")]
    if "game_id" in frame.columns:
        changes.append(pl.col("game_id").str.replace(f"^{RECORDED_SEASON}_", f"{season}_"))
    return frame.with_columns(changes)


def parquet_bytes(frame: pl.DataFrame) -> bytes:
    buf = io.BytesIO()
    frame.write_parquet(buf)
    return buf.getvalue()


def build_nflverse_server(extra_seasons: Iterable[int] = (), recordings_dir: Path | None = None) -> ReplayServer:
    """A server (not started) with every nflverse dataset at its release path; 404 for seasons not served."""
    root = Path(recordings_dir or get_settings().recordings_dir) / "nflverse"
    seasons = sorted({RECORDED_SEASON, *extra_seasons})
    server = ReplayServer()
    for repository, pattern, rel in SEASON_FILES.values():
        for season in seasons:
            url_path = release_path(repository, pattern.format(season=season))
            if season == RECORDED_SEASON:
                server.add_file(url_path, root / rel)
            else:
                server.add(url_path, _lazy(lambda f=root / rel, s=season: parquet_bytes(relabel_season(_read(f), s))))
    repository, path, rel = SINGLE_FILES["schedule"]
    server.add(release_path(repository, path), _lazy(lambda f=root / rel: parquet_bytes(pl.concat(
        [relabel_season(_read(f), s) for s in seasons]))))
    for name in ("teams", "players"):
        repository, path, rel = SINGLE_FILES[name]
        server.add_file(release_path(repository, path), root / rel)
    repository, path, rel = SINGLE_FILES["ff_playerids"]
    server.add_file(release_path(repository, path), root / rel, content_type="text/csv")
    return server


def _read(path: Path) -> pl.DataFrame:
    return _read_cached(str(path), path.stat().st_mtime_ns)


@lru_cache(maxsize=32)
def _read_cached(path: str, _mtime: int) -> pl.DataFrame:
    return pl.read_parquet(path)


def _lazy(make: Callable[[], bytes]) -> Callable[[Request], Response]:
    """Build the body on first request (relabelled seasons cost nothing until asked for)."""
    cache: list[bytes] = []

    def handler(_req: Request) -> Response:
        if not cache:
            cache.append(make())
        return Response(200, cache[0], "application/octet-stream")

    return handler
