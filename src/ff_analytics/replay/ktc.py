"""Replay the repo's recorded keeptradecut.com dynasty-rankings pages (127.0.0.1 only).

Like the real site, ``GET /dynasty-rankings?page=N`` answers the same page (both market arrays) for every N:
``recordings/ktc/pages/dynasty-rankings.html``. Older recorded days are served under a dated prefix,
``GET /asof/<YYYY-MM-DD>/dynasty-rankings`` from ``recordings/ktc/pages/<YYYY-MM-DD>/dynasty-rankings.html``, so
a KTC history of several dated snapshots can be built: ``ingest_ktc(dt=day, base_url=dated_base_url(server,
day))``. The real captured page (``recordings/ktc/real/``, unchanged) is served by
``build_ktc_server(pages=[real_page()])``. Point the connector at a server with ``FFA_KTC_BASE_URL=<server.url>``
(``replay_env``, which the demo uses, also drops the pause between pages).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

from ff_analytics.replay.server import ReplayServer, Request, Response
from ff_analytics.settings import get_settings

RANKINGS_PATH = "/dynasty-rankings"
PAGE_FILE = "dynasty-rankings.html"
DATED_PREFIX = "/asof"
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def pages_dir(recordings_dir: Path | None = None) -> Path:
    return Path(recordings_dir or get_settings().recordings_dir) / "ktc" / "pages"


def recorded_pages(recordings_dir: Path | None = None) -> list[bytes]:
    """The current recorded page (the live site serves this one page for every ``?page=N``)."""
    file = pages_dir(recordings_dir) / PAGE_FILE
    if not file.is_file():
        raise FileNotFoundError(f"no recorded KTC page {file}")
    return [file.read_bytes()]


def recorded_dates(recordings_dir: Path | None = None) -> list[str]:
    """Days (ISO) with an older recorded page, oldest first."""
    folder = pages_dir(recordings_dir)
    return sorted(d.name for d in folder.iterdir() if d.is_dir() and _DAY.match(d.name) and (d / PAGE_FILE).is_file())


def dated_page(day: str, recordings_dir: Path | None = None) -> bytes:
    return (pages_dir(recordings_dir) / day / PAGE_FILE).read_bytes()


def real_page(recordings_dir: Path | None = None) -> bytes:
    """The real keeptradecut.com page as captured (thinned to 105 of 500 assets upstream; 3 in oneQBPlayers)."""
    return (Path(recordings_dir or get_settings().recordings_dir) / "ktc" / "real" / PAGE_FILE).read_bytes()


def thinned_page(body: bytes, keep: Callable[[dict], bool]) -> bytes:
    """``body`` with the assets ``keep`` rejects removed from both arrays (a page that lost assets, for tests)."""
    text = body.decode("utf-8")
    decoder = json.JSONDecoder()
    for var in ("oneQBPlayers", "playersArray"):  # later array first, so the earlier one's offsets stay valid
        found = re.search(rf"\bvar\s+{var}\s*=\s*", text)
        if found is None:
            continue
        assets, end = decoder.raw_decode(text, found.end())
        text = text[:found.end()] + json.dumps([a for a in assets if keep(a)], ensure_ascii=False) + text[end:]
    return text.encode("utf-8")


def dated_base_url(server: ReplayServer, day: str) -> str:
    """Base URL under which ``server`` answers the rankings page recorded on ``day``."""
    return f"{server.url}{DATED_PREFIX}/{day}"


def _rankings(bodies: list[bytes]):
    def handler(req: Request) -> Response:
        try:
            page = int(req.query.get("page", ["0"])[0])
        except ValueError:
            return Response(400, b"bad page", "text/plain")
        return Response(200, bodies[min(max(page, 0), len(bodies) - 1)], "text/html; charset=utf-8")

    return handler


def build_ktc_server(recordings_dir: Path | None = None, pages: list[bytes] | None = None) -> ReplayServer:
    """A server (not started) answering the rankings path with the recorded (or the given) pages.

    ``pages[N]`` answers ``?page=N`` and the last one every later N; the recorded default is one page.
    """
    server = ReplayServer()
    server.add(RANKINGS_PATH, _rankings(pages if pages is not None else recorded_pages(recordings_dir)))
    if pages is None:
        for day in recorded_dates(recordings_dir):
            server.add(f"{DATED_PREFIX}/{day}{RANKINGS_PATH}", _rankings([dated_page(day, recordings_dir)]))
    return server


def demo_options() -> dict[str, object]:
    """Ingest arguments for the demo: both markets, as the dbt test root loads them (the row-count baseline)."""
    return {"market_scopes": ["dynasty_1qb", "dynasty_superflex"]}


def replay_env(server: ReplayServer) -> dict[str, str]:
    """Settings that point the KTC connector at ``server``, without the pause between pages: the pause spares
    keeptradecut.com, and the replay is our own server on 127.0.0.1 (the demo would otherwise wait 2 s a page)."""
    return {"FFA_KTC_BASE_URL": server.url, "FFA_KTC_PAGE_DELAY_SECONDS": "0"}
